"""Ingestion under load: concurrent job submissions and list calls against a running stack, on loopback.

    .venv/bin/parlance up &                                   # or the local cluster's load-balanced address
    KEY=$(.venv/bin/parlance keys create --account load --plan enterprise --test)
    PYTHONPATH=. .venv/bin/python benchmarks/ingest_load.py --url http://127.0.0.1:8000 --key "$KEY"

Sandbox (sk_test_) submissions by default: the full submit path (multipart parse, media write, duration probe,
account lock, transaction, outbox) without a model behind it, as the probe of issue 13 measured it. Each
request is timed from send to response; the loops are bounded in count and time and target loopback only.
Targets (issue 13, 2 cores): >= 150 submissions/s with p99 <= 500 ms on PostgreSQL, p99 <= 1 s on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import httpx

from tests.support.cluster import tone_wav

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


async def _fire(n: int, clients: int, deadline_s: float, request: Callable[[int], Awaitable[int]]) -> tuple[list[float], dict[int, int], float]:
    """`n` requests from `clients` concurrent clients; latencies (s), status counts, wall time."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)
    stop_at = time.monotonic() + deadline_s

    async def client_loop() -> None:
        while time.monotonic() < stop_at:
            try:
                i = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            t0 = time.perf_counter()
            status = await request(i)
            latencies.append(time.perf_counter() - t0)
            statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(client_loop() for _ in range(clients)))
    return latencies, statuses, time.perf_counter() - started


def _report(name: str, latencies: list[float], statuses: dict[int, int], wall: float) -> None:
    ms = [x * 1000 for x in latencies]
    print(
        f"{name:<12} {len(ms):>5} req  {len(ms) / wall:7.1f} req/s  p50 {statistics.median(ms):7.1f} ms  "
        f"p95 {percentile(ms, 95):7.1f}  p99 {percentile(ms, 99):7.1f}  max {max(ms):7.1f}  statuses {dict(sorted(statuses.items()))}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--key", required=True, help="an API key (sk_test_ for sandbox submissions)")
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--lists", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--max-seconds", type=float, default=300, help="stop each phase after this long")
    args = parser.parse_args()
    if urlsplit(args.url).hostname not in LOOPBACK:
        raise SystemExit("this load test only targets a stack on loopback")
    media = tone_wav(seconds=3.0)
    options = json.dumps({"sandbox": {}}) if args.key.startswith("sk_test_") else json.dumps({})
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(
        base_url=args.url, headers={"Authorization": f"Bearer {args.key}"}, timeout=60, limits=limits
    ) as client:
        async def submit(i: int) -> int:
            r = await client.post("/v1/jobs", files={"file": (f"load-{i}.wav", media, "audio/wav")}, data={"options": options})
            return r.status_code

        async def list_jobs(i: int) -> int:
            r = await client.get("/v1/jobs", params={"limit": 20})
            return r.status_code

        print(f"{args.url}: {args.clients} clients, {len(media)} byte WAV per submission")
        _report("submissions", *await _fire(args.submissions, args.clients, args.max_seconds, submit))
        _report("list", *await _fire(args.lists, args.clients, args.max_seconds, list_jobs))


if __name__ == "__main__":
    asyncio.run(main())
