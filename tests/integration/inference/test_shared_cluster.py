"""Issue 14: two worker processes on one real Ray cluster (a `ray start --head` of its own) share the Serve
applications and finish every job; an embedded process next to that cluster never joins it.

The head (cli/bench_cluster.py) runs in a temp dir on loopback with its own ports and its own auth token (Ray
2.60's `ray start` turns token auth on), and only its own processes are stopped afterwards.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.bench_cluster import RayHead, ray_head as start_ray_head

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[3]
WORKER = Path(__file__).with_name("cluster_worker.py")
JOB_TIMEOUT_S = 600


@pytest.fixture(scope="module")
def ray_head() -> Iterator[RayHead]:
    with start_ray_head(num_cpus=2) as head:
        yield head


def test_two_workers_share_the_applications_and_finish_every_job(ray_head: RayHead, sample_wav: Path) -> None:
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


def test_embedded_runtime_never_joins_a_running_cluster(ray_head: RayHead) -> None:
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
