"""Quota decisions on the real job-store databases (SQLite and PostgreSQL): boundary races, 402/429 bodies,
release and settle."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from metering.clickhouse import ClickHouseClients
from metering.events import UsageRecorded
from metering.plans import PLANS, Plan
from metering.quota import QuotaDecision, QuotaService
from metering.reservations import Reservation, create_tables
from metering.sink import ClickHouseUsageWriter
from store.db import create_engine, create_sessionmaker

NOW = datetime(2025, 1, 31, 23, 0, tzinfo=timezone.utc)
CAPPED = PLANS["free"].model_copy(update={"included_minutes": 10, "max_concurrent_jobs": 1000})


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(db_url)
    await create_tables(engine)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


async def _submit(
    sessions: async_sessionmaker[AsyncSession], quota: QuotaService, plan: Plan, account: str, seconds: float
) -> QuotaDecision:
    """What the API does: the decision and the reservation in the job-creation transaction."""
    async with sessions() as session:
        async with session.begin():
            decision = await quota.reserve(
                session, account_id=account, job_id=str(uuid.uuid4()), plan=plan, estimated_seconds=seconds, now=NOW
            )
            if not decision.allowed:
                await session.rollback()
            return decision


async def test_parallel_submissions_never_pass_the_hard_cap(sessions: async_sessionmaker[AsyncSession]) -> None:
    quota = QuotaService(None)
    decisions = await asyncio.gather(*(_submit(sessions, quota, CAPPED, "acme", 60) for _ in range(40)))
    allowed = [d for d in decisions if d.allowed]
    assert len(allowed) == 10  # 10 included minutes, 60 s each: exactly ten, never eleven
    refused = [d for d in decisions if not d.allowed]
    assert {d.outcome for d in refused} == {"insufficient_credits"}
    assert {d.status_code for d in refused} == {402}
    assert all(d.remaining_seconds == 0 for d in refused)
    # Another account is not affected by acme's reservations.
    assert (await _submit(sessions, quota, CAPPED, "globex", 60)).allowed


async def test_parallel_submissions_never_pass_the_concurrency_cap(sessions: async_sessionmaker[AsyncSession]) -> None:
    quota = QuotaService(None)
    plan = PLANS["pro"].model_copy(update={"max_concurrent_jobs": 3})
    decisions = await asyncio.gather(*(_submit(sessions, quota, plan, "acme", 30) for _ in range(20)))
    assert sum(d.allowed for d in decisions) == 3
    refused = [d for d in decisions if not d.allowed]
    assert {(d.outcome, d.status_code) for d in refused} == {("concurrency_limit", 429)}
    assert "at most 3 jobs at once" in refused[0].message


async def test_402_message_says_what_is_left(sessions: async_sessionmaker[AsyncSession]) -> None:
    quota = QuotaService(None)
    assert (await _submit(sessions, quota, CAPPED, "acme", 7 * 60)).allowed
    decision = await _submit(sessions, quota, CAPPED, "acme", 5 * 60)
    assert decision.outcome == "insufficient_credits"
    assert decision.remaining_seconds == 180
    assert "3.0 minutes are left until 2025-02-01T00:00:00Z" in decision.message
    assert "this job needs 5.0" in decision.message
    body = decision.model_dump(mode="json")
    assert body["period_end"] == "2025-02-01T00:00:00Z" and body["reserved_seconds"] == 420


async def test_release_frees_and_settle_books_the_real_duration(sessions: async_sessionmaker[AsyncSession]) -> None:
    quota = QuotaService(None)
    plan = PLANS["pro"].model_copy(update={"included_minutes": 1})
    async with sessions.begin() as session:
        first = await quota.reserve(session, account_id="acme", job_id="job-1", plan=plan, estimated_seconds=600, now=NOW)
        second = await quota.reserve(session, account_id="acme", job_id="job-2", plan=plan, estimated_seconds=600, now=NOW)
    assert first.allowed and second.allowed and second.reserved_seconds == 600
    async with sessions.begin() as session:
        assert await quota.release(session, "job-2")
        assert not await quota.release(session, "job-2")  # idempotent
        settled = await quota.settle(
            session, job_id="job-1", account_id="acme", plan=plan, duration_seconds=90.2, completed_at=NOW
        )
    # 91 s billed; 60 included, 31 s over at 1.5 c/min.
    assert (settled.billable_seconds, settled.cost_cents) == (91, Decimal("0.7750"))
    async with sessions.begin() as session:
        again = await quota.settle(
            session, job_id="job-1", account_id="acme", plan=plan, duration_seconds=999, completed_at=NOW
        )
        assert again == settled  # redelivered completion: same numbers
        assert not await quota.release(session, "job-1")  # settled stays settled
        rows = {r.job_id: r.status for r in (await session.scalars(select(Reservation))).all()}
    assert rows == {"job-1": "settled", "job-2": "released"}
    after = await _submit(sessions, quota, plan, "acme", 10)
    assert (after.used_seconds, after.reserved_seconds, after.active_jobs) == (91, 0, 0)


async def test_the_new_month_starts_fresh(sessions: async_sessionmaker[AsyncSession]) -> None:
    quota = QuotaService(None)
    async with sessions.begin() as session:
        await quota.reserve(session, account_id="acme", job_id="j", plan=CAPPED, estimated_seconds=600, now=NOW)
        await quota.settle(session, job_id="j", account_id="acme", plan=CAPPED, duration_seconds=600, completed_at=NOW)
    assert not (await _submit(sessions, quota, CAPPED, "acme", 60)).allowed
    async with sessions.begin() as session:
        february = await quota.reserve(
            session, account_id="acme", job_id="k", plan=CAPPED, estimated_seconds=60, now=NOW + timedelta(hours=1)
        )
    assert february.allowed and february.used_seconds == 0


async def test_usage_in_clickhouse_counts_against_the_quota(
    sessions: async_sessionmaker[AsyncSession], ch: ClickHouseClients, db_url: str
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the ClickHouse half does not depend on the SQL backend; covered once on SQLite")
    ClickHouseUsageWriter(ch).write_sync([
        UsageRecorded.for_job(account_id="acme", job_id=f"old-{i}", quantity_seconds=59.5, billable_seconds=60,
                              plan="free", occurred_at=NOW - timedelta(days=1))
        for i in range(8)
    ])
    quota = QuotaService(ch)
    decision = await _submit(sessions, quota, CAPPED, "acme", 180)
    assert decision.outcome == "insufficient_credits" and decision.used_seconds == 480
    assert decision.remaining_seconds == 120
    assert (await _submit(sessions, quota, CAPPED, "acme", 120)).allowed
