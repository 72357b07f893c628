"""The orchestrator with metering on a real database: a completed job settles its reservation, gets its cost
and emits usage.recorded through the outbox in the same transaction; a failed job releases its reservation.
ClickHouse is not needed here (QuotaService(None) decides on the ledger alone)."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inference.errors import MediaDecodeError
from metering.events import decode_usage, usage_event_id
from metering.plans import PLANS
from metering.quota import QuotaService
from metering.reservations import ACTIVE, RELEASED, SETTLED, get_reservation
from schemas.events import JobQueued
from store.jobs import get_job
from store.models import Account, OutboxEvent
from streams.orchestrator import Orchestrator
from tests.integration import workers
from tests.integration.helpers import database, new_queued_job
from tests.integration.test_orchestrator import CountingPipeline

TOPIC = "jobs"
USAGE_TOPIC = workers.USAGE_TOPIC


def _orchestrator(sessions: async_sessionmaker[AsyncSession], tmp: Path, pipeline: object) -> Orchestrator:
    return workers.orchestrator(sessions, tmp, pipeline, topic=TOPIC)


async def _reserve(sessions: async_sessionmaker[AsyncSession], account_id: str, job_id: str, seconds: float) -> None:
    async with sessions.begin() as session:
        decision = await QuotaService(None).reserve(
            session, account_id=account_id, job_id=job_id, plan=PLANS["pro"], estimated_seconds=seconds
        )
        assert decision.allowed


async def test_completion_settles_costs_and_emits_usage_once(db_url: str, tmp_path: Path) -> None:
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, TOPIC)
        async with sessions.begin() as session:
            # Past the Pro allowance, so the job costs money: 2 s of audio → 15 s minimum → 15 * 1.5 / 60 cents.
            await session.execute(update(Account).where(Account.id == job.account_id).values(plan="pro"))
        await _reserve(sessions, job.account_id, job.id, 60)
        async with sessions.begin() as session:
            await QuotaService(None).settle(
                session, job_id=str(uuid.uuid4()), account_id=job.account_id, plan=PLANS["pro"],
                duration_seconds=PLANS["pro"].included_seconds, completed_at=job.created_at,
            )
        orchestrator = _orchestrator(sessions, tmp_path, CountingPipeline())
        queued = JobQueued(job_id=job.id, account_id=job.account_id)
        await orchestrator.handle(queued)
        await orchestrator.handle(queued)  # redelivery: nothing runs, nothing is billed again

        async with sessions() as session:
            row = await get_job(session, job.id)
            reservation = await get_reservation(session, job.id)
            usage_rows = list((await session.execute(select(OutboxEvent).where(OutboxEvent.topic == USAGE_TOPIC))).scalars())
        assert row is not None and row.status == "completed"
        assert reservation is not None and reservation.status == SETTLED and reservation.billable_seconds == 15
        assert row.cost_cents == reservation.cost_cents and float(row.cost_cents) == 0.375
        assert len(usage_rows) == 1 and usage_rows[0].key == job.account_id
        usage = decode_usage(usage_rows[0].value)
        assert usage.event_id == usage_event_id(job.id, "transcription_seconds")
        assert (usage.job_id, usage.quantity_seconds, usage.billable_seconds, usage.plan) == (job.id, 2.0, 15, "pro")
        assert usage.cost_cents == row.cost_cents and usage.occurred_at == row.completed_at


async def test_failure_releases_the_reservation(db_url: str, tmp_path: Path) -> None:
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, TOPIC)
        await _reserve(sessions, job.account_id, job.id, 60)
        async with sessions() as session:
            assert (await get_reservation(session, job.id)).status == ACTIVE  # type: ignore[union-attr]
        await _orchestrator(sessions, tmp_path, CountingPipeline(MediaDecodeError("could not decode media"))).handle(
            JobQueued(job_id=job.id, account_id=job.account_id)
        )
        async with sessions() as session:
            row = await get_job(session, job.id)
            reservation = await get_reservation(session, job.id)
            usage_rows = (await session.execute(select(OutboxEvent).where(OutboxEvent.topic == USAGE_TOPIC))).scalars().all()
        assert row is not None and (row.status, row.error_code, row.cost_cents) == ("failed", "media_decode_error", None)
        assert reservation is not None and reservation.status == RELEASED
        assert usage_rows == []
