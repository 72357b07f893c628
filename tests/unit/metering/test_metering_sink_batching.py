"""UsageSink without ClickHouse or Kafka: when it flushes, and that commit never precedes the write."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from metering.events import UsageRecorded
from metering.migrate import load_migrations
from metering.sink import UsageSink


def _event(i: int) -> UsageRecorded:
    return UsageRecorded.for_job(
        account_id=f"a{i % 3}", job_id=f"j{i}", quantity_seconds=10, billable_seconds=15, plan="pro",
        occurred_at=datetime(2025, 1, 1, tzinfo=timezone.utc),
    )


class Recorder:
    def __init__(self, fail: int = 0) -> None:
        self.log: list[tuple[str, list[object]]] = []
        self.fail = fail

    async def write(self, events: list[UsageRecorded]) -> int:
        if self.fail:
            self.fail -= 1
            raise ConnectionError("ClickHouse down")
        self.log.append(("write", [e.job_id for e in events]))
        return len(events)

    async def commit(self, offsets: list[object]) -> None:
        self.log.append(("commit", offsets))


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_flushes_at_max_events_and_commits_after_the_write() -> None:
    rec = Recorder()
    sink = UsageSink(rec.write, rec.commit, max_events=3, max_wait_ms=10_000)
    for i in range(7):
        await sink.add(_event(i), offset=i)
    assert rec.log == [
        ("write", ["j0", "j1", "j2"]), ("commit", [0, 1, 2]),
        ("write", ["j3", "j4", "j5"]), ("commit", [3, 4, 5]),
    ]
    assert len(sink) == 1
    await sink.flush()
    assert rec.log[-2:] == [("write", ["j6"]), ("commit", [6])]
    assert sink.written == 7


async def test_flushes_when_the_oldest_event_is_max_wait_old() -> None:
    rec, clock = Recorder(), Clock()
    sink = UsageSink(rec.write, rec.commit, max_events=100, max_wait_ms=250, clock=clock)
    await sink.add(_event(0), offset=0)
    clock.now += 0.2
    await sink.add(_event(1), offset=1)
    assert not sink.due() and rec.log == []
    clock.now += 0.06  # the first event is now 260 ms old
    assert sink.due()
    await sink.add(_event(2), offset=2)
    assert rec.log == [("write", ["j0", "j1", "j2"]), ("commit", [0, 1, 2])]
    assert not sink.due()


async def test_a_failed_write_keeps_the_batch_and_commits_nothing() -> None:
    rec = Recorder(fail=1)
    sink = UsageSink(rec.write, rec.commit, max_events=2, max_wait_ms=10_000)
    await sink.add(_event(0), offset=0)
    with pytest.raises(ConnectionError):
        await sink.add(_event(1), offset=1)
    assert rec.log == [] and len(sink) == 2
    await sink.flush()  # retried: same batch, committed once
    assert rec.log == [("write", ["j0", "j1"]), ("commit", [0, 1])]


async def test_timer_flushes_an_idle_buffer() -> None:
    import asyncio

    rec = Recorder()
    sink = UsageSink(rec.write, rec.commit, max_events=100, max_wait_ms=20)
    timer = asyncio.ensure_future(sink.run_timer(retry_s=0.01))
    try:
        await sink.add(_event(0), offset="x")
        for _ in range(100):
            if rec.log:
                break
            await asyncio.sleep(0.01)
    finally:
        timer.cancel()
    assert rec.log == [("write", ["j0"]), ("commit", ["x"])]


def test_migrations_are_ordered_and_split_into_statements() -> None:
    migrations = load_migrations()
    assert [m.version for m in migrations] == sorted(m.version for m in migrations)
    assert migrations[0].version == 1
    statements = [s for m in migrations for s in m.statements()]
    assert all(s.lstrip("- \n").upper().count("CREATE") >= 1 for s in statements)
    assert sum("MATERIALIZED VIEW" in s for s in statements) == 2
    # Each CREATE TABLE explains its keys in a comment beside it.
    for m in migrations:
        assert "-- ORDER BY" in m.sql and "-- PARTITION BY" in m.sql, m.name
