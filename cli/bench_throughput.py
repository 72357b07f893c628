"""`parlance bench throughput`: many recordings at once through the REST API vs plain faster-whisper file by file.

Scenarios: `calls` (N copies of pyannote's 30 s two-speaker call), `mix` (lengths from 10 s to 5 min) and
`long` (one 10-minute file). Plain: `benchmarks/asr_sequential.py` in a subprocess, same model, cpu_threads =
the machine's cores. Platform, each deployment in turn, warmed with a few short jobs so the Serve replicas
have loaded the model:

- `embedded`: one `parlance up` (API + worker) with its own local Ray, as `make demo` runs it;
- `cluster-1`, `cluster-2`: a `ray start --head` of our own (cli/bench_cluster.py) and one or two
  `parlance up` processes joined to it (`RAY_ADDRESS` + token) sharing one job store, one object store dir and
  one Kafka consumer group; jobs go to the first one's API and Kafka splits them between the workers.
  (Each keeps its own embedded chDB for usage: fine for a benchmark, not a production layout.)

Every deployment uses a fresh PostgreSQL database on the local server (infra/local/postgres.sh): two processes
writing one SQLite file answered 500 to one of 40 simultaneous uploads in a first run (its log was lost;
SQLite write contention between the processes is the likely cause).

Every job is POSTed at once (8 uploads in parallel); latency is the job's `completed_at - created_at`, wall time
runs from the first POST to the last `completed_at`. Peak memory is the summed RSS of every process involved
(stacks, Ray head, replicas), sampled every 0.1 s. Figures, not tests.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from cli import services
from cli.bench import (
    TreeRss, audio_clip, create_key, delete_scratch_topics, free_port, scratch_prefix, stack_env, start_up, stop_up,
)
from cli.bench_cluster import ray_head
from cli.client import ParlanceClient
from cli.services import REPO_ROOT

MIX_SECONDS = (10, 20, 30, 45, 60, 90, 120, 180, 240, 300)
LONG_SECONDS = 600
TERMINAL = {"completed", "failed", "canceled"}


def make_inputs(sample: Path, tmp: Path, copies: int, scenarios: list[str]) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    base = audio_clip(sample, tmp / "sample-30s.wav", 30.0)
    if "calls" in scenarios:
        calls = []
        for i in range(copies):  # distinct names; the same bytes (the API never deduplicates by content)
            link = tmp / f"call-{i:03d}.wav"
            link.symlink_to(base)
            calls.append(link)
        out["calls"] = calls
    if "mix" in scenarios:
        out["mix"] = [audio_clip(sample, tmp / f"mix-{s:03d}s.wav", s) for s in MIX_SECONDS]
    if "long" in scenarios:
        out["long"] = [audio_clip(sample, tmp / "long-600s.wav", LONG_SECONDS)]
    return out


def run_plain(paths: list[Path], model: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.asr_sequential", "--model", model, "--cpu-threads", str(os.cpu_count() or 1)]
    done = subprocess.run([*cmd, *map(str, paths)], capture_output=True, text=True, check=True, cwd=REPO_ROOT,
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    raw = json.loads(done.stdout.strip().splitlines()[-1])
    return _row(raw["wall_s"], raw["audio_s"], raw["latencies_s"], raw["peak_rss_mb"], failed=0)


def fresh_database() -> str:
    """A new database on the local PostgreSQL server (started if needed), as the tests make theirs."""
    import asyncio
    import uuid

    import asyncpg

    subprocess.run(["bash", str(REPO_ROOT / "infra" / "local" / "postgres.sh"), "start"], check=True, capture_output=True)
    port = os.environ.get("PARLANCE_PG_PORT", "55432")
    name = f"bench_{uuid.uuid4().hex[:12]}"

    async def create() -> None:
        conn = await asyncpg.connect(f"postgresql://parlance:parlance@127.0.0.1:{port}/parlance")
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    return f"postgresql+asyncpg://parlance:parlance@127.0.0.1:{port}/{name}"


@contextmanager
def deployment(name: str, model: str, jobs_per_worker: int, tmp: Path) -> Iterator[tuple[str, str, list[int]]]:
    """(API url, key, pids whose process trees make up the deployment) for `embedded` or `cluster-N`."""
    prefix = scratch_prefix()
    workers = 1 if name == "embedded" else int(name.split("-")[1])
    shared = tmp / name
    shared.mkdir()
    with ExitStack() as stack:
        extra: dict[str, str] = {}
        pids: list[int] = []
        if name != "embedded":
            head = stack.enter_context(ray_head(num_cpus=os.cpu_count() or 2))
            extra = {k: v for k, v in head.env.items() if k.startswith("RAY_")}
            pids.append(head.pid)
        url = ""
        key = ""
        database_url = fresh_database()
        for index in range(workers):
            data_dir = shared / f"w{index}"
            data_dir.mkdir()
            env = stack_env(data_dir, free_port(), prefix, model, database_url=database_url)
            env.update(extra)
            env["PARLANCE_OBJECT_STORE_DIR"] = str(shared / "objects")
            env["PARLANCE_MAX_CONCURRENT_JOBS"] = str(jobs_per_worker)
            if index == 0:
                key = create_key(env)
                url = f"http://127.0.0.1:{env['PARLANCE_PORT']}"
            proc = start_up(env, data_dir / "up.log")  # one after the other: migrations run once
            stack.callback(stop_up, proc)
            pids.append(proc.pid)
        stack.callback(delete_scratch_topics, prefix)
        yield url, key, pids


def run_platform(url: str, key: str, pids: list[int], paths: list[Path], timeout_s: float = 3600) -> dict[str, Any]:
    client = ParlanceClient(url, key)
    with TreeRss(*pids) as rss:
        started = time.time()
        with ThreadPoolExecutor(8) as pool:
            submitted = list(pool.map(lambda path: _submit(client, path), paths))
        ids = [job["id"] for job in submitted if job is not None]
        jobs = _wait_all(url, key, ids, timeout_s)
    jobs += [{"status": "refused"} for job in submitted if job is None]
    ends = [_epoch(j["completed_at"]) for j in jobs if j["status"] == "completed"]
    latencies = [_epoch(j["completed_at"]) - _epoch(j["created_at"]) for j in jobs if j["status"] == "completed"]
    audio_s = sum(float(j["duration"] or 0) for j in jobs if j["status"] == "completed")
    failed = sum(j["status"] != "completed" for j in jobs)
    return _row((max(ends) - started) if ends else float("nan"), audio_s, latencies, rss.peak_mb, failed)


def _submit(client: ParlanceClient, path: Path) -> dict[str, Any] | None:
    """A refused upload counts as a failed job (and is printed): the run goes on."""
    try:
        return client.submit(path)
    except Exception as exc:  # noqa: BLE001 - any refusal is a figure here, not a crash
        print(f"submission of {path.name} failed: {exc}", file=sys.stderr)
        return None


def _wait_all(url: str, key: str, ids: list[str], timeout_s: float) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout_s
    done: dict[str, dict[str, Any]] = {}
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as http:
        while len(done) < len(ids):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{len(ids) - len(done)} jobs unfinished after {timeout_s:.0f} s")
            time.sleep(1.0)
            for job_id in [i for i in ids if i not in done]:
                job = http.get(f"/v1/jobs/{job_id}").json()["data"]
                if job["status"] in TERMINAL:
                    done[job_id] = job
    return [done[i] for i in ids]


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def _row(wall: float, audio_s: float, latencies: list[float], peak_mb: float, failed: int) -> dict[str, Any]:
    ordered = sorted(latencies) or [float("nan")]
    return {
        "wall_s": wall,
        "audio_h_per_h": audio_s / wall if wall else float("nan"),
        "p50_s": statistics.median(ordered),
        "p95_s": ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))],
        "peak_mb": peak_mb,
        "failed": failed,
    }


def pyannote_sample() -> Path:
    """pyannote.audio's bundled 30 s call (found without importing torch)."""
    import importlib.util

    spec = importlib.util.find_spec("pyannote.audio")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("pyannote.audio is not installed; pass --sample")
    return Path(next(iter(spec.submodule_search_locations))) / "sample" / "sample.wav"


def run_throughput_bench(
    *, sample: Path, copies: int, model: str, scenarios: list[str], deployments: list[str], jobs_per_worker: int,
    console: Console,
) -> dict[str, dict[str, dict[str, Any]]]:
    started_kafka = services.start_kafka()
    results: dict[str, dict[str, dict[str, Any]]] = {s: {} for s in scenarios}
    try:
        with tempfile.TemporaryDirectory(prefix="parlance-tput-") as tmp_name:
            tmp = Path(tmp_name)
            inputs = make_inputs(sample, tmp, copies, scenarios)
            for scenario, paths in inputs.items():
                console.print(f"plain faster-whisper, {scenario}: {len(paths)} file(s)…")
                results[scenario]["plain"] = run_plain(paths, model)
                console.print(json.dumps({scenario: {"plain": results[scenario]["plain"]}}))
            warmup = [audio_clip(sample, tmp / f"warm-{i}.wav", 8.0) for i in range(4)]
            for name in deployments:
                console.print(f"platform {name}: starting…")
                with deployment(name, model, jobs_per_worker, tmp) as (url, key, pids):
                    run_platform(url, key, pids, warmup)  # replicas load the model; every worker gets a handle
                    for scenario, paths in inputs.items():
                        console.print(f"platform {name}, {scenario}…")
                        results[scenario][name] = run_platform(url, key, pids, paths)
                        console.print(json.dumps({scenario: {name: results[scenario][name]}}))
    finally:
        if started_kafka:
            services.stop_kafka()
    _print(results, model, copies, jobs_per_worker, console)
    return results


def _print(results: dict[str, dict[str, dict[str, Any]]], model: str, copies: int, jobs: int, console: Console) -> None:
    for scenario, rows in results.items():
        title = f"throughput: {scenario} ({copies} x 30 s)" if scenario == "calls" else f"throughput: {scenario}"
        table = Table(title=f"{title}, {model}, {os.cpu_count()} CPUs, {jobs} jobs per worker")
        for column in ("", "wall s", "audio h/h", "p50 s", "p95 s", "peak MB", "failed", "/ plain"):
            table.add_column(column, justify="right" if column else "left")
        plain = rows.get("plain", {}).get("wall_s")
        for name, r in rows.items():
            ratio = f"{r['wall_s'] / plain:.3f}" if plain else "-"
            table.add_row(name, f"{r['wall_s']:.1f}", f"{r['audio_h_per_h']:.1f}", f"{r['p50_s']:.1f}",
                          f"{r['p95_s']:.1f}", f"{r['peak_mb']:.0f}", str(r["failed"]), ratio)
        console.print(table)
    console.print_json(json.dumps(results))
