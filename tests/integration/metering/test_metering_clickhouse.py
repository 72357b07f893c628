"""Real ClickHouse SQL (chDB, or a server with PARLANCE_CLICKHOUSE_URL): migrations, dedup, rollups, periods,
analytics."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from metering.analytics import account_usage, call_analytics, usage_analytics
from metering.clickhouse import ClickHouseClients
from metering.events import UsageRecorded
from metering.facts import CallFact, insert_call_facts
from metering.migrate import applied_migrations, load_migrations, migrate
from metering.plans import PLANS
from metering.sink import ClickHouseUsageWriter
from metering.usage import insert_usage, period_usage

UTC = timezone.utc
JAN_31_LAST_MS = datetime(2025, 1, 31, 23, 59, 59, 999000, tzinfo=UTC)
FEB_1 = datetime(2025, 2, 1, tzinfo=UTC)


def _event(job: str, at: datetime, seconds: int = 60, account: str = "acme") -> UsageRecorded:
    return UsageRecorded.for_job(
        account_id=account, job_id=job, quantity_seconds=seconds - 0.5, billable_seconds=seconds, plan="pro",
        occurred_at=at, cost_cents=Decimal("0.25"),
    )


def _raw_rows(ch: ClickHouseClients) -> int:
    return int(ch.get().command("SELECT count() FROM usage_events"))


def _rollup_seconds(ch: ClickHouseClients, table: str = "usage_daily") -> int:
    return int(ch.get().command(f"SELECT sum(billable_seconds) FROM {table}"))


def test_migrations_are_recorded_and_idempotent(ch: ClickHouseClients) -> None:
    client = ch.get()
    assert migrate(client) == []
    applied = applied_migrations(client)
    assert sorted(applied) == [m.version for m in load_migrations()]
    tables = {row[0] for row in client.query("SHOW TABLES").result_rows}
    assert {"usage_events", "usage_daily", "usage_hourly", "call_facts", "schema_migrations"} <= tables


def test_redelivered_events_count_once_in_raw_and_rollups(ch: ClickHouseClients) -> None:
    writer = ClickHouseUsageWriter(ch)
    events = [_event(f"j{i}", FEB_1 + timedelta(minutes=i)) for i in range(10)]
    assert writer.write_sync(events[:6]) == 6
    # Redelivery after a crash before the commit, cut into different batches, with in-batch duplicates too.
    assert writer.write_sync(events[4:8] + events[4:6]) == 2
    assert writer.write_sync(events) == 2
    assert writer.write_sync(events) == 0
    assert _raw_rows(ch) == 10
    assert _rollup_seconds(ch) == _rollup_seconds(ch, "usage_hourly") == 600
    assert period_usage(ch.get(), "acme", FEB_1, FEB_1 + timedelta(days=28)).billable_seconds == 600


def test_a_batch_written_in_blocks_counts_once_even_if_it_stopped_between_blocks(ch: ClickHouseClients) -> None:
    """Large batches go in as several blocks (the next one converted while the last one inserts). A writer
    that died after the first blocks leaves part of the batch stored and uncommitted: the redelivered batch
    must add exactly the rest, and a clean retry of the same list must add nothing."""
    events = [_event(f"j{i}", FEB_1 + timedelta(seconds=i)) for i in range(7)]
    writer = ClickHouseUsageWriter(ch, chunk_rows=2)
    insert_usage(ch.get(), events[:2])  # what a writer that died after its first block left behind
    assert writer.write_sync(events) == 5
    assert writer.write_sync(events) == 0
    assert _raw_rows(ch) == 7
    assert _rollup_seconds(ch) == _rollup_seconds(ch, "usage_hourly") == 420
    writer.close()


def test_a_repeated_insert_block_is_dropped_by_its_token_also_in_the_rollups(ch: ClickHouseClients) -> None:
    """An insert retried after a lost response (the first one did land) must not count twice anywhere."""
    events = [_event(f"j{i}", FEB_1) for i in range(3)]
    insert_usage(ch.get(), events)
    insert_usage(ch.get(), events)
    assert _raw_rows(ch) == 3
    assert _rollup_seconds(ch) == _rollup_seconds(ch, "usage_hourly") == 180


def test_duplicates_that_slipped_in_never_count_in_billing(ch: ClickHouseClients) -> None:
    """Two zombie consumers insert the same event in differently cut blocks: FINAL keeps billing exact."""
    a, b = _event("j1", FEB_1), _event("j2", FEB_1)
    insert_usage(ch.get(), [a])
    insert_usage(ch.get(), [a, b])  # different block, different token: not dropped at insert
    assert _raw_rows(ch) == 3
    assert period_usage(ch.get(), "acme", FEB_1, FEB_1 + timedelta(days=28)).billable_seconds == 120


def test_month_boundary_in_utc(ch: ClickHouseClients) -> None:
    writer = ClickHouseUsageWriter(ch)
    berlin = timezone(timedelta(hours=1))
    writer.write_sync([
        _event("last-ms-of-january", JAN_31_LAST_MS, 60),
        _event("first-instant-of-february", FEB_1, 120),
        # 00:30 on 1 Feb in Berlin is 23:30 on 31 Jan in UTC: January.
        _event("berlin-night", datetime(2025, 2, 1, 0, 30, tzinfo=berlin), 30),
    ])
    client = ch.get()
    january = period_usage(client, "acme", datetime(2025, 1, 1, tzinfo=UTC), FEB_1)
    february = period_usage(client, "acme", FEB_1, datetime(2025, 3, 1, tzinfo=UTC))
    assert (january.events, january.billable_seconds) == (2, 90)
    assert (february.events, february.billable_seconds) == (1, 120)
    days = usage_analytics(client, start=datetime(2025, 1, 31, tzinfo=UTC), end=datetime(2025, 2, 2, tzinfo=UTC),
                           granularity="day", account_id="acme").points
    assert [(p.period_start.day, p.billable_minutes) for p in days] == [(31, 1.5), (1, 2.0)]
    usage = account_usage(client, account_id="acme", plan=PLANS["pro"], now=JAN_31_LAST_MS, jobs_by_status={"completed": 2})
    assert (usage.period_start, usage.period_end, usage.minutes_used) == (datetime(2025, 1, 1, tzinfo=UTC), FEB_1, 1.5)
    assert usage.jobs_by_status == {"completed": 2}


def test_usage_analytics_granularities_and_admin_top_accounts(ch: ClickHouseClients) -> None:
    writer = ClickHouseUsageWriter(ch)
    events = [
        _event("a1", datetime(2025, 3, 1, 10, 5, tzinfo=UTC), 60, "acme"),
        _event("a2", datetime(2025, 3, 1, 10, 55, tzinfo=UTC), 60, "acme"),
        _event("a3", datetime(2025, 3, 2, 9, 0, tzinfo=UTC), 60, "acme"),
        _event("b1", datetime(2025, 3, 1, 11, 0, tzinfo=UTC), 600, "globex"),
        _event("b2", datetime(2025, 4, 1, 0, 0, tzinfo=UTC), 60, "globex"),
    ]
    writer.write_sync(events)
    client = ch.get()
    start, end = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 5, 1, tzinfo=UTC)
    hours = usage_analytics(client, start=start, end=datetime(2025, 3, 2, tzinfo=UTC), granularity="hour", account_id="acme")
    assert [(p.period_start.hour, p.events) for p in hours.points] == [(10, 2)]
    months = usage_analytics(client, start=start, end=end, granularity="month", account_id=None)
    assert [(p.period_start.month, p.billable_minutes) for p in months.points] == [(3, 13.0), (4, 1.0)]
    assert months.top_accounts is not None
    assert [(t.account_id, t.billable_minutes) for t in months.top_accounts] == [("globex", 11.0), ("acme", 3.0)]
    own = usage_analytics(client, start=start, end=end, granularity="day", account_id="acme")
    assert own.top_accounts is None and sum(p.events for p in own.points) == 3


def test_call_analytics(ch: ClickHouseClients) -> None:
    day = datetime(2025, 3, 3, 12, tzinfo=UTC)
    facts = [
        CallFact(job_id="c1", account_id="acme", occurred_at=day, duration_seconds=120, call_type="sales", outcome="won", sentiment="positive"),
        CallFact(job_id="c2", account_id="acme", occurred_at=day, duration_seconds=60, call_type="support", outcome="resolved", sentiment="neutral"),
        CallFact(job_id="c3", account_id="acme", occurred_at=day + timedelta(days=1), duration_seconds=240, call_type="sales", outcome="lost", sentiment="negative"),
        CallFact(job_id="x1", account_id="globex", occurred_at=day, duration_seconds=30, call_type="sales", outcome="won", sentiment="positive"),
    ]
    client = ch.get()
    insert_call_facts(client, facts)
    # Re-analysis of c2 replaces its facts instead of adding a call.
    insert_call_facts(client, [facts[1].model_copy(update={"outcome": "escalated", "sentiment": "negative"})])
    result = call_analytics(client, start=datetime(2025, 3, 1, tzinfo=UTC), end=datetime(2025, 4, 1, tzinfo=UTC), account_id="acme")
    assert (result.calls, result.minutes, result.average_duration_seconds) == (3, 7.0, 140.0)
    assert [(g.key, g.calls, g.minutes) for g in result.by_call_type] == [("sales", 2, 6.0), ("support", 1, 1.0)]
    assert {g.key: g.calls for g in result.by_outcome} == {"won": 1, "escalated": 1, "lost": 1}
    assert {g.key: g.calls for g in result.by_sentiment} == {"positive": 1, "negative": 2}
    assert [(p.period_start.day, p.calls, p.average_duration_seconds) for p in result.periods] == [(3, 2, 90.0), (4, 1, 240.0)]
    everyone = call_analytics(client, start=datetime(2025, 3, 1, tzinfo=UTC), end=datetime(2025, 4, 1, tzinfo=UTC), account_id=None)
    assert everyone.calls == 4


def test_each_thread_gets_its_own_client(ch: ClickHouseClients) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def probe(i: int) -> tuple[int, int]:
        client = ch.get()
        value = client.query("SELECT {x:UInt32}", parameters={"x": i}).first_row[0]
        return id(client), int(value)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(probe, range(200)))
    assert [v for _, v in results] == list(range(200))  # bound parameters never mixed up
    assert len({c for c, _ in results}) >= 2
