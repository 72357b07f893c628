"""Issue 14: two worker processes on one real Ray cluster (a `ray start --head` of its own) share the Serve
applications and finish every job; an embedded process next to that cluster never joins it.

The head runs in a temp dir on loopback with its own ports and its own auth token (Ray 2.60's `ray start`
turns token auth on), and only its own process group is stopped afterwards: never `ray stop`, which would
stop every Ray on the machine.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[3]
RAY = Path(sys.executable).with_name("ray")
WORKER = Path(__file__).with_name("cluster_worker.py")
JOB_TIMEOUT_S = 600


@dataclass(frozen=True)
class Head:
    address: str
    env: dict[str, str]  # what a process joining this cluster needs (address, auth mode, token)
    ray_tmpdir: Path  # RAY_TMPDIR under which the head wrote `ray/ray_current_cluster`


def _free_ports(count: int) -> list[int]:
    socks = [socket.socket() for _ in range(count)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


@pytest.fixture(scope="module")
def ray_head() -> Iterator[Head]:
    base = Path(tempfile.mkdtemp(prefix="plr", dir="/tmp"))  # short: Ray's socket paths must stay < 108 bytes
    gcs, node_manager, object_manager, client, agent_grpc, agent_http, metrics, runtime_env, worker_lo = _free_ports(9)
    env = {
        **os.environ,
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": secrets.token_hex(32),
        "RAY_TMPDIR": str(base),
        "RAY_USAGE_STATS_ENABLED": "0",
        "PYTHONPATH": str(REPO_ROOT),
    }
    env.pop("RAY_ADDRESS", None)
    cmd = [
        str(RAY), "start", "--head", "--block", "--num-cpus", "2", "--node-ip-address", "127.0.0.1",
        "--port", str(gcs), "--node-manager-port", str(node_manager), "--object-manager-port", str(object_manager),
        "--ray-client-server-port", str(client), "--dashboard-agent-grpc-port", str(agent_grpc),
        "--dashboard-agent-listen-port", str(agent_http), "--metrics-export-port", str(metrics),
        "--runtime-env-agent-port", str(runtime_env), "--min-worker-port", str(worker_lo),
        "--max-worker-port", str(worker_lo + 200), "--include-dashboard", "false",
        "--object-store-memory", str(300 * 1024 * 1024), "--temp-dir", str(base / "ray"), "--disable-usage-stats",
    ]
    log = base / "head.log"
    with log.open("w") as out:
        head = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    address = f"127.0.0.1:{gcs}"
    try:
        deadline = time.monotonic() + 120
        while not (base / "ray" / "ray_current_cluster").is_file():
            if head.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"ray head did not start:\n{log.read_text()[-4000:]}")
            time.sleep(0.5)
        yield Head(address, {**env, "RAY_ADDRESS": address}, base)
    finally:
        _stop_group(head)
        _kill_leftovers(str(base))
        shutil.rmtree(base, ignore_errors=True)


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _kill_leftovers(marker: str) -> None:
    """Ray processes that left the head's group but name our temp dir on their command line (ours alone)."""
    import psutil

    for proc in psutil.process_iter(["pid", "cmdline"]):
        if any(marker in part for part in proc.info["cmdline"] or []):
            try:
                proc.kill()
            except psutil.Error:
                pass


def test_two_workers_share_the_applications_and_finish_every_job(ray_head: Head, sample_wav: Path) -> None:
    """Two workers, three jobs each (one diarized), in flight at once on a 2-CPU cluster whose ASR replicas
    reserve a CPU each: before Serve, each worker held one of its two actors and waited forever."""
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(sample_wav), "3", "1"],
            env=ray_head.env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]
    outputs = []
    try:
        for proc in procs:
            stdout, stderr = proc.communicate(timeout=JOB_TIMEOUT_S)
            assert proc.returncode == 0, stderr[-4000:]
            outputs.append(json.loads(stdout.strip().splitlines()[-1]))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    for out in outputs:
        assert out["owns_cluster"] is False
        assert len(out["jobs"]) == 3
        for job in out["jobs"]:
            assert "chicago" in job["text"].lower() and job["words"] > 40
        assert out["jobs"][0]["speakers"] == ["SPEAKER_00", "SPEAKER_01"]
    pids = {pid for out in outputs for pid in out["asr_replica_pids"]}
    assert len(pids) == 2, f"both workers use the same two replicas, not a pool each: {outputs}"


def test_embedded_runtime_never_joins_a_running_cluster(ray_head: Head) -> None:
    """With a live `ray_current_cluster` in Ray's default temp dir (and its token in the environment), the
    embedded default still starts a Ray of its own, with num_cpus, instead of crashing or joining."""
    env = {k: v for k, v in ray_head.env.items() if k != "RAY_ADDRESS"}
    script = (
        "import ray, json\n"
        "from inference.config import InferenceConfig\n"
        "from inference.runtime import RayRuntime\n"
        "rt = RayRuntime(InferenceConfig(ray_num_cpus=1, ray_object_store_bytes=100 * 1024 * 1024))\n"
        "rt.start()\n"
        "out = {'owns': rt.owns_cluster, 'gcs': ray.get_runtime_context().gcs_address, 'cpus': ray.cluster_resources().get('CPU')}\n"
        "rt.stop()\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["owns"] is True and out["cpus"] == 1.0
    assert out["gcs"] != ray_head.address
