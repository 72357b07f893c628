"""Metering benchmark: usage-event insert throughput, the per-account period query over N events, and what the
quota check adds to job submission; each beside plain clickhouse-connect / plain SQL so overhead is a ratio.

    PYTHONPATH=. .venv/bin/python benchmarks/metering_bench.py --events 10000000
    PARLANCE_CLICKHOUSE_URL=http://default:@127.0.0.1:8123 ... (a server instead of embedded chDB)

Targets (issue): >= 200,000 events/s inserted; period query p50 < 20 ms; quota check adds < 5 ms p50.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from metering.clickhouse import ClickHouseClients, ClickHouseConfig, create_client, ensure_database
from metering.events import UsageRecorded, usage_event_id
from metering.migrate import migrate
from metering.plans import PLANS
from metering.sink import ClickHouseUsageWriter
from metering.usage import USAGE_COLUMNS, insert_usage, period_usage, usage_columns

YEAR_START = datetime(2025, 1, 1, tzinfo=timezone.utc)
# Plain: the naive sum a user of clickhouse-connect would write (no dedup); ours deduplicates by event_id.
PERIOD_SQL = (
    "SELECT count(), sum(quantity_seconds), sum(billable_seconds), sum(cost_cents) FROM usage_events "
    "WHERE account_id = {account:String} "
    "AND occurred_at >= {start:DateTime64(3, 'UTC')} AND occurred_at < {end:DateTime64(3, 'UTC')}"
)


def batch(first: int, size: int, total: int, accounts: int, rng: random.Random) -> list[UsageRecorded]:
    """Events in time order over one year (as they arrive in reality), many accounts per batch."""
    span = 365 * 86400
    out = []
    for i in range(first, first + size):
        seconds = rng.randint(5, 1800)
        job = f"job-{i}"
        out.append(UsageRecorded.model_construct(
            type="usage.recorded", schema_version=1, event_id=usage_event_id(job, "transcription_seconds"),
            account_id=f"acct-{rng.randrange(accounts):05d}", job_id=job, kind="transcription_seconds",
            quantity_seconds=seconds - 0.4, billable_seconds=seconds, cost_cents=Decimal("0.5"), plan="pro",
            occurred_at=YEAR_START + timedelta(seconds=span * i // total),
        ))
    return out


def pct(samples: list[float], p: float) -> float:
    return sorted(samples)[min(len(samples) - 1, int(p * len(samples)))]


def line(name: str, ours: float, plain: float, unit: str) -> None:
    print(f"  {name:<44} {ours:>12,.2f} {plain:>12,.2f} {unit:<9} ratio {ours / plain if plain else float('nan'):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--plain-events", type=int, default=2_000_000, help="events for the plain insert baseline")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(7)
    url = os.environ.get("PARLANCE_CLICKHOUSE_URL") or None
    tmp = Path(tempfile.mkdtemp(prefix="metering-bench-"))
    ours_cfg = ClickHouseConfig(url=url, chdb_path=tmp / "clickhouse", database=f"bench_{uuid.uuid4().hex[:8]}")
    plain_cfg = ClickHouseConfig(url=url, chdb_path=tmp / "clickhouse", database=f"plain_{uuid.uuid4().hex[:8]}")
    raw_cfg = ClickHouseConfig(url=url, chdb_path=tmp / "clickhouse", database=f"raw_{uuid.uuid4().hex[:8]}")
    for cfg in (ours_cfg, plain_cfg, raw_cfg):
        ensure_database(cfg)
    clients = ClickHouseClients(ours_cfg)
    plain = create_client(plain_cfg)
    raw = create_client(raw_cfg)
    migrate(clients.get())
    migrate(plain)
    migrate(raw)
    print(f"backend: {'server ' + url if url else 'chDB (embedded) ' + str(tmp)}; "
          f"{args.events:,} events, batches of {args.batch:,}, {args.accounts:,} accounts")

    # 1. inserts: the sink's idempotent write (probe + columns + insert with token) vs plain client.insert.
    writer = ClickHouseUsageWriter(clients)
    ours_s = 0.0
    for first in range(0, args.events, args.batch):
        events = batch(first, min(args.batch, args.events - first), args.events, args.accounts, rng)
        t0 = time.perf_counter()
        writer.write_sync(events)
        ours_s += time.perf_counter() - t0
    plain_s = raw_s = 0.0
    plain_n = min(args.plain_events, args.events)
    for first in range(0, plain_n, args.batch):
        events = batch(first, min(args.batch, plain_n - first), plain_n, args.accounts, rng)
        columns = usage_columns(events)
        t0 = time.perf_counter()
        plain.insert("usage_events", columns, column_names=USAGE_COLUMNS, column_oriented=True)
        plain_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        insert_usage(raw, events)  # the insert alone (Arrow, token, optimize_on_insert=0), without the probe
        raw_s += time.perf_counter() - t0
    client = clients.get()
    stored = int(client.command("SELECT count() FROM usage_events"))
    print(f"\n{'':46} {'parlance':>12} {'plain':>12}")
    line("insert throughput, sink writer (events/s)", args.events / ours_s, plain_n / plain_s, "ev/s")
    line(f"insert alone, first {plain_n:,} (events/s)", plain_n / raw_s, plain_n / plain_s, "ev/s")

    # 2. per-account period query over the whole table: our function vs the same SQL through the plain client.
    accounts = [f"acct-{rng.randrange(args.accounts):05d}" for _ in range(args.queries)]
    start, end = datetime(2025, 6, 1, tzinfo=timezone.utc), datetime(2025, 7, 1, tzinfo=timezone.utc)
    ours_ms, plain_ms = [], []
    for account in accounts:
        t0 = time.perf_counter()
        period_usage(client, account, start, end)
        ours_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        client.query(PERIOD_SQL, parameters={"account": account, "start": start, "end": end})
        plain_ms.append((time.perf_counter() - t0) * 1000)
    line(f"period query p50 over {stored:,} rows (ms)", pct(ours_ms, 0.5), pct(plain_ms, 0.5), "ms")
    line("period query p95 (ms)", pct(ours_ms, 0.95), pct(plain_ms, 0.95), "ms")

    # 3. job submission on SQLite: a job row in one transaction, with and without the quota check.
    asyncio.run(submission(clients, args.queries, tmp))
    clients.close()
    plain.close()
    raw.close()


async def submission(clients: ClickHouseClients, n: int, tmp: Path) -> None:
    from sqlalchemy import Column, MetaData, String, Table, insert

    from metering.quota import QuotaService
    from metering.reservations import create_tables
    from store.db import create_engine, create_sessionmaker

    engine = create_engine(f"sqlite+aiosqlite:///{tmp / 'jobs.db'}")
    jobs = Table("bench_jobs", MetaData(), Column("id", String(40), primary_key=True), Column("account_id", String(40)))
    async with engine.begin() as conn:
        await conn.run_sync(jobs.metadata.create_all)
    await create_tables(engine)
    sessions = create_sessionmaker(engine)
    plan = PLANS["enterprise"]
    results: dict[str, list[float]] = {}
    for label, quota in (("plain", None), ("cached", QuotaService(clients)), ("uncached", QuotaService(clients, clickhouse_cache_s=0))):
        samples = []
        for i in range(n + 20):
            job_id = str(uuid.uuid4())
            account = f"acct-{i % 5:05d}"  # few accounts: the cache is warm as in steady traffic
            t0 = time.perf_counter()
            async with sessions.begin() as session:
                if quota is not None:
                    decision = await quota.reserve(session, account_id=account, job_id=job_id, plan=plan, estimated_seconds=60)
                    assert decision.allowed, decision.message
                await session.execute(insert(jobs).values(id=job_id, account_id=account))
            samples.append((time.perf_counter() - t0) * 1000)
        results[label] = samples[20:]  # warm-up dropped
    base = statistics.median(results["plain"])
    print(f"  {'job submission p50, no quota (ms)':<44} {base:>12,.2f}")
    for label in ("cached", "uncached"):
        p50 = statistics.median(results[label])
        print(f"  {'  + quota check, ClickHouse ' + label + ' (ms)':<44} {p50:>12,.2f}  adds {p50 - base:.2f} ms p50")
    await engine.dispose()


if __name__ == "__main__":
    main()
