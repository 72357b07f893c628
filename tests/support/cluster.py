"""Test helpers for the local cluster (cli/cluster.py): a tiny WAV to submit and a job poller.

A test starts a cluster with `LocalCluster(tmp_path / "cluster", api_replicas=..., workers=...)` as a context
manager (or the `cluster` fixture of tests/integration/cluster/test_chaos.py) and kills/restarts parts by name:
`cluster.kill("kafka-2")`, `cluster.restart("worker-0")`; `cluster.pids` maps names to process group ids.
"""

from __future__ import annotations

import io
import math
import struct
import time
import wave

import httpx

TERMINAL = ("completed", "failed", "canceled")


def tone_wav(seconds: float = 1.0, rate: int = 16000) -> bytes:
    """A short mono 16-bit WAV (a 440 Hz tone): enough media for a sandbox job, which runs no model."""
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate))) for i in range(int(seconds * rate)))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    return buf.getvalue()


def wait_for_job(client: httpx.Client, job_id: str, timeout_s: float = 120) -> dict:
    """Poll until the job ends (API replicas may come and go meanwhile: errors are retried)."""
    deadline = time.monotonic() + timeout_s
    last: dict | str = {}
    while time.monotonic() < deadline:
        try:
            r = client.get(f"/v1/jobs/{job_id}")
            if r.status_code == 200:
                last = r.json()["data"]
                if last["status"] in TERMINAL:
                    return last
            else:
                last = r.text
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not end in {timeout_s}s; last: {last}")
