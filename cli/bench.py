"""`parlance bench asr FILE`: plain faster-whisper vs the platform end to end, side by side.

Plain: faster-whisper's BatchedInferencePipeline on the same model and file with cpu_threads = the machine's cores
(its fastest setting here), in a fresh subprocess (so its
peak memory is its own), model load excluded. Platform: a temporary local stack (`parlance up` on the local
broker, its own topics and data dir), warmed with a short job so actors have loaded the model, then FILE
submitted over HTTP and timed from the POST to `completed`. Peak memory is the stack's whole process tree
(API + worker + Ray processes), sampled while the job runs.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import wave
from pathlib import Path
from typing import Any

import httpx
import psutil
from rich.console import Console
from rich.table import Table

from cli import services
from cli.client import ParlanceClient
from cli.services import REPO_ROOT

_PLAIN_SNIPPET = """
import json, runpy, sys
mod = runpy.run_path(sys.argv[1])
result = mod["run_plain"](sys.argv[2], model=sys.argv[3], cpu_threads=int(sys.argv[4]))
result.pop("text", None)
print(json.dumps(result))
"""


def _plain(file: Path, model: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", _PLAIN_SNIPPET, str(REPO_ROOT / "benchmarks" / "asr_plain.py"), str(file), model, str(os.cpu_count() or 1)],
        capture_output=True, text=True, check=True, cwd=REPO_ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def audio_clip(file: Path, dest: Path, seconds: float) -> Path:
    """The first `seconds` of `file` (tiled when it is shorter) as a 16 kHz mono WAV."""
    import numpy as np
    from faster_whisper import decode_audio

    audio = decode_audio(str(file))
    samples = int(seconds * 16000)
    audio = np.tile(audio, -(-samples // audio.shape[0]))[:samples]
    with wave.open(str(dest), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes((audio.clip(-1, 1) * 32767).astype("<i2").tobytes())
    return dest


class TreeRss:
    """Samples the summed RSS of some processes and all their descendants in a thread; keeps the peak."""

    def __init__(self, *pids: int) -> None:
        self._roots = [psutil.Process(pid) for pid in pids]
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            seen: set[int] = set()
            for root in self._roots:
                try:
                    tree = [root, *root.children(recursive=True)]
                except psutil.Error:
                    continue
                for proc in tree:
                    if proc.pid in seen:
                        continue
                    seen.add(proc.pid)
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        pass
            self.peak_mb = max(self.peak_mb, total / 2**20)
            self._stop.wait(0.1)

    def __enter__(self) -> "TreeRss":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scratch_prefix() -> str:
    """Time-stamped like the test suite's scratch prefixes, so a crashed run's topics are recognisably stale."""
    return f"bench-{int(time.time())}-{uuid.uuid4().hex[:8]}."


def stack_env(data_dir: Path, port: int, prefix: str, model: str, database_url: str | None = None) -> dict[str, str]:
    """Environment of a throwaway `parlance up`: its own data dir, port and topics (one consumer group per prefix)."""
    return {
        **os.environ,
        "PARLANCE_DATA_DIR": str(data_dir),
        "PARLANCE_DATABASE_URL": database_url or f"sqlite+aiosqlite:///{data_dir / 'bench.db'}",
        "PARLANCE_PORT": str(port),
        "PARLANCE_KAFKA_TOPIC_PREFIX": prefix,
        "PARLANCE_FAUST_APP_ID": f"parlance-{prefix.rstrip('.')}",
        "PARLANCE_ASR_MODEL": model,
        "PARLANCE_LOG_LEVEL": "WARNING",
        "RAY_USAGE_STATS_ENABLED": "0",
        "PARLANCE_RATE_LIMIT_ENABLED": "0",  # the timing loop polls fast; limits are not what is measured
        "PYTHONPATH": str(REPO_ROOT),
    }


PARLANCE = str(Path(sys.executable).with_name("parlance"))


def create_key(env: dict[str, str], account: str = "bench") -> str:
    return subprocess.run(
        [PARLANCE, "keys", "create", "--account", account, "--plan", "enterprise"], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def start_up(env: dict[str, str], log_path: Path, timeout_s: float = 300) -> subprocess.Popen[bytes]:
    """`parlance up --no-kafka` in its own process group, returned once `/readyz` answers 200."""
    url = f"http://127.0.0.1:{env['PARLANCE_PORT']}"
    with log_path.open("w") as log:
        proc = subprocess.Popen([PARLANCE, "up", "--no-kafka"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_up(proc)
            raise RuntimeError(f"stack did not start; see {log_path}")
        time.sleep(0.5)


def stop_up(proc: subprocess.Popen[bytes]) -> None:
    """What Ctrl-C does; the whole group is killed if it takes more than a minute."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _platform(file: Path, model: str, console: Console) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="parlance-bench-"))
    prefix = scratch_prefix()
    env = stack_env(tmp, free_port(), prefix, model)
    key = create_key(env)
    proc = start_up(env, tmp / "up.log")
    try:
        client = ParlanceClient(f"http://127.0.0.1:{env['PARLANCE_PORT']}", key)
        console.print("platform: warming up (replicas load the model)…")
        client.transcribe(audio_clip(file, tmp / "warmup.wav", 8.0))
        console.print("platform: timing the job end to end…")
        with TreeRss(proc.pid) as rss:
            started = time.perf_counter()
            job = client.submit(file)
            job = client.wait(job["id"], poll_s=0.05)
            wall = time.perf_counter() - started
        if job["status"] != "completed":
            raise RuntimeError(f"benchmark job ended {job['status']}: {job['error']}")
        audio_s = float(job["duration"])
        return {"audio_s": round(audio_s, 2), "wall_s": round(wall, 3), "rtf": round(wall / audio_s, 4), "peak_rss_mb": round(rss.peak_mb, 1)}
    finally:
        stop_up(proc)
        delete_scratch_topics(prefix)


def delete_scratch_topics(prefix: str) -> None:
    """Remove the throwaway stack's topics: a broker that keeps every scratch topic restarts slowly."""
    import asyncio

    from schemas.settings import CommonSettings
    from streams import topics

    bootstrap = CommonSettings().kafka_bootstrap

    async def delete() -> None:
        await topics.delete_topics(bootstrap, topics.topics_of_prefix(await topics.list_topics(bootstrap), prefix))

    asyncio.run(delete())


def run_asr_bench(file: Path, *, model: str, skip_plain: bool, console: Console) -> None:
    started_kafka = services.start_kafka()
    try:
        rows: dict[str, dict[str, Any]] = {}
        if not skip_plain:
            console.print("plain faster-whisper: running…")
            rows["plain faster-whisper (BatchedInferencePipeline)"] = _plain(file, model)
        rows["platform end to end (REST → Kafka → Faust → Ray)"] = _platform(file, model, console)
    finally:
        if started_kafka:
            services.stop_kafka()
    table = Table(title=f"ASR benchmark: {file.name}, model {model}, {os.cpu_count()} CPUs")
    for column in ("", "audio s", "wall s", "real-time factor", "peak RSS MB"):
        table.add_column(column, justify="right" if column else "left")
    for name, r in rows.items():
        table.add_row(name, f"{r['audio_s']:.1f}", f"{r['wall_s']:.2f}", f"{r['rtf']:.4f}", f"{r['peak_rss_mb']:.0f}")
    console.print(table)
    if len(rows) == 2:
        plain, platform = rows.values()
        console.print(f"platform / plain wall time: [bold]{platform['wall_s'] / plain['wall_s']:.3f}×[/bold]")
