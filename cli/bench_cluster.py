"""A throwaway Ray head of our own (`ray start --head`), for the throughput benchmark and the shared-cluster test.

Everything is private to it: a short temp dir (Ray's socket paths must stay under 108 bytes), loopback, free
ports, its own auth token (Ray 2.60's `ray start` turns token auth on; joining processes need
`RAY_AUTH_MODE=token` and the token, which `RayHead.env` carries). `RAY_TMPDIR` points at the temp dir, so the
head's `ray_current_cluster` file is written there, never into the machine's shared /tmp/ray. It is stopped
through its own process group and by the temp dir on the command lines: never `ray stop`, which stops every
Ray on the machine.
"""

from __future__ import annotations

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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

from cli.cluster_parts import RAY_STARTED, raylet_running
from cli.services import REPO_ROOT

HEAD_START_TIMEOUT_S = 120


@dataclass(frozen=True)
class RayHead:
    address: str
    env: dict[str, str]  # what a joining process needs: RAY_ADDRESS, RAY_AUTH_MODE, RAY_AUTH_TOKEN, RAY_TMPDIR
    base: Path  # RAY_TMPDIR; the head's files are under base/ray
    pid: int  # `ray start --block`: the head's processes are its descendants


def free_ports(count: int) -> list[int]:
    socks = [socket.socket() for _ in range(count)]
    for sock in socks:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in socks]
    for sock in socks:
        sock.close()
    return ports


@contextmanager
def ray_head(num_cpus: int = 2, object_store_bytes: int = 300 * 1024 * 1024, attempts: int = 3) -> Iterator[RayHead]:
    """A started head; tried up to `attempts` times, because `ray start` gives its raylet a fixed 30 s to
    register with the GCS, which a loaded two-core machine sometimes misses."""
    for attempt in range(1, attempts + 1):
        base = Path(tempfile.mkdtemp(prefix="plr", dir="/tmp"))
        try:
            head, env = _start(base, num_cpus, object_store_bytes)
        except RuntimeError:
            _kill_leftovers(str(base))
            shutil.rmtree(base, ignore_errors=True)
            if attempt == attempts:
                raise
            continue
        try:
            yield RayHead(env["RAY_ADDRESS"], env, base, head.pid)
        finally:
            _stop_group(head)
            _kill_leftovers(str(base))
            shutil.rmtree(base, ignore_errors=True)
        return


def _start(base: Path, num_cpus: int, object_store_bytes: int) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    gcs, node_manager, object_manager, client, agent_grpc, agent_http, metrics, runtime_env, worker_lo = free_ports(9)
    env = {
        **os.environ,
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": secrets.token_hex(32),
        "RAY_TMPDIR": str(base),
        "RAY_USAGE_STATS_ENABLED": "0",
        "PYTHONPATH": str(REPO_ROOT),
    }
    env.pop("RAY_ADDRESS", None)
    ray = Path(sys.executable).with_name("ray")
    cmd = [
        str(ray), "start", "--head", "--block", "--num-cpus", str(num_cpus), "--node-ip-address", "127.0.0.1",
        "--port", str(gcs), "--node-manager-port", str(node_manager), "--object-manager-port", str(object_manager),
        "--ray-client-server-port", str(client), "--dashboard-agent-grpc-port", str(agent_grpc),
        "--dashboard-agent-listen-port", str(agent_http), "--metrics-export-port", str(metrics),
        "--runtime-env-agent-port", str(runtime_env), "--min-worker-port", str(worker_lo),
        "--max-worker-port", str(worker_lo + 200), "--include-dashboard", "false",
        "--object-store-memory", str(object_store_bytes), "--temp-dir", str(base / "ray"), "--disable-usage-stats",
    ]
    log = base / "head.log"
    with log.open("w") as out:
        head = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + HEAD_START_TIMEOUT_S
    while not ((base / "ray" / "ray_current_cluster").is_file() and RAY_STARTED in log.read_text(errors="replace")):
        if head.poll() is not None or time.monotonic() > deadline:
            _stop_group(head)
            raise RuntimeError(f"ray head did not start:\n{log.read_text()[-4000:]}")
        time.sleep(0.5)
    if not raylet_running(psutil.Process(head.pid)):  # Ray writes the file even when the raylet just died
        _stop_group(head)
        raise RuntimeError(f"ray head's raylet died during start:\n{log.read_text()[-4000:]}")
    return head, {**env, "RAY_ADDRESS": f"127.0.0.1:{gcs}"}


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL. The grace is short because the head is thrown away with its temp dir: `ray start
    --block` on two cores never finished within 30 s anyway, and the wait cost every test module 30 s."""
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 10)):
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
