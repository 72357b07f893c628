"""The reaper on a real database (SQLite and PostgreSQL): stranded jobs come back, each exactly once.

A worker's death is what the job row shows of it: a lease that nobody renews any more. The pipeline is the
counting fake of test_orchestrator (these tests are about recovery; the real pipeline runs in tests/e2e and
the kill tests of tests/integration/cluster)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from metering.plans import PLANS
from metering.quota import QuotaService
from metering.reservations import ACTIVE, RELEASED, get_reservation
from schemas.events import JobEvent, JobQueued, QueuedReason, decode_event
from jobs.lifecycle import claim_job
from store.jobs import get_job
from store.models import Job, OutboxEvent
from store.types import utcnow
from streams.orchestrator import Orchestrator
from streams.reaper import UPLOAD_EXPIRED, WORKER_LOST, JobReaper, ReaperPolicy
from tests.integration import workers
from tests.integration.helpers import database, new_queued_job
from tests.integration.test_orchestrator import CountingPipeline

TOPIC = "jobs"


def _orchestrator(sessions: async_sessionmaker[AsyncSession], tmp: Path, owner: str = "survivor") -> Orchestrator:
    return workers.orchestrator(sessions, tmp, CountingPipeline(), topic=TOPIC, owner=owner)


def _reaper(sessions: async_sessionmaker[AsyncSession], **policy: float) -> JobReaper:
    return JobReaper(sessions, workers.job_effects(TOPIC), ReaperPolicy(**policy))  # type: ignore[arg-type]


async def _events(sessions: async_sessionmaker[AsyncSession], job_id: str) -> list[JobEvent]:
    async with sessions() as session:
        rows = (await session.execute(select(OutboxEvent).where(OutboxEvent.key == job_id).order_by(OutboxEvent.id))).scalars()
        return [decode_event(r.value) for r in rows if r.topic == TOPIC]


async def _die_holding(sessions: async_sessionmaker[AsyncSession], job_id: str, owner: str = "dead-worker") -> None:
    """A worker claims the job and dies: its lease is left to run out (moved into the past here)."""
    async with sessions.begin() as session:
        assert await claim_job(session, job_id, owner, lease_s=60) is not None
        await session.execute(update(Job).where(Job.id == job_id).values(stage="transcribing", progress=40, lease_expires_at=utcnow() - timedelta(seconds=1)))


async def _reserve(sessions: async_sessionmaker[AsyncSession], job: Job) -> None:
    async with sessions.begin() as session:
        decision = await QuotaService(None).reserve(
            session, account_id=job.account_id, job_id=job.id, plan=PLANS["pro"], estimated_seconds=60
        )
        assert decision.allowed


async def test_a_job_whose_worker_died_is_requeued_and_completed_by_another(db_url: str, tmp_path: Path) -> None:
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, TOPIC)
        await _reserve(sessions, job)
        survivor = _orchestrator(sessions, tmp_path)
        # The redelivered job.queued reaches the survivor while the dead worker's lease still looks live:
        async with sessions.begin() as session:
            assert await claim_job(session, job.id, "dead-worker", lease_s=60) is not None
        await survivor.handle(JobQueued(job_id=job.id, account_id=job.account_id))
        async with sessions() as session:
            assert (await get_job(session, job.id)).status == "processing"  # type: ignore[union-attr]
        # ... which is where recovery used to end. The lease runs out; the reaper takes the job back.
        async with sessions.begin() as session:
            await session.execute(update(Job).where(Job.id == job.id).values(lease_expires_at=utcnow() - timedelta(seconds=1)))
        report = await _reaper(sessions).sweep()
        assert report.requeued == [job.id] and not report.failed
        async with sessions() as session:
            row = await get_job(session, job.id)
            assert row is not None and row.status == "queued" and row.lease_owner is None and row.progress == 0
            assert (await get_reservation(session, job.id)).status == ACTIVE  # type: ignore[union-attr]  # minutes kept
        requeue = (await _events(sessions, job.id))[-1]
        assert isinstance(requeue, JobQueued) and requeue.payload.reason == QueuedReason.lease_expired
        await survivor.handle(requeue)  # what the relay publishes, the survivor consumes
        async with sessions() as session:
            row = await get_job(session, job.id)
            assert row is not None and row.status == "completed" and row.attempt == 2
        types = [e.type for e in await _events(sessions, job.id)]
        assert types.count("job.completed") == 1 and types.count("job.queued") == 2


async def test_concurrent_reapers_requeue_a_job_once(db_url: str, tmp_path: Path) -> None:
    async with database(db_url) as sessions:
        jobs = [await new_queued_job(sessions, TOPIC) for _ in range(5)]
        for job in jobs:
            await _die_holding(sessions, job.id)
        reports = await asyncio.gather(*(_reaper(sessions).sweep() for _ in range(4)))
        requeued = [job_id for r in reports for job_id in r.requeued]
        assert sorted(requeued) == sorted(j.id for j in jobs)  # each job by exactly one of the four reapers
        for job in jobs:
            types = [e.type for e in await _events(sessions, job.id)]
            assert types.count("job.queued") == 2  # the submission's and the reaper's, nothing more


async def test_a_job_that_keeps_losing_its_worker_fails_with_worker_lost(db_url: str, tmp_path: Path) -> None:
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, TOPIC)
        await _reserve(sessions, job)
        reaper = _reaper(sessions, max_attempts=2)
        for attempt in (1, 2):
            await _die_holding(sessions, job.id, owner=f"dead-{attempt}")
            report = await reaper.sweep()
            assert (report.requeued, report.failed) == (([job.id], []) if attempt == 1 else ([], [job.id]))
        async with sessions() as session:
            row = await get_job(session, job.id)
            assert row is not None and row.status == "failed" and row.error_code == WORKER_LOST
            assert row.lease_owner is None
            assert (await get_reservation(session, job.id)).status == RELEASED  # type: ignore[union-attr]
        assert not await reaper.sweep()  # a failed job is final: nothing more happens


async def test_live_leases_and_parked_jobs_are_left_alone(db_url: str, tmp_path: Path) -> None:
    async with database(db_url) as sessions:
        live, parked = await new_queued_job(sessions, TOPIC), await new_queued_job(sessions, TOPIC)
        async with sessions.begin() as session:
            assert await claim_job(session, live.id, "busy-worker", lease_s=60) is not None
            assert await claim_job(session, parked.id, "sandbox-worker", lease_s=60) is not None
            await session.execute(update(Job).where(Job.id == parked.id).values(lease_expires_at=None))
        assert not await _reaper(sessions).sweep()
        async with sessions() as session:
            assert (await get_job(session, live.id)).lease_owner == "busy-worker"  # type: ignore[union-attr]


async def test_a_job_queued_too_long_is_announced_again_and_a_fresh_one_is_not(db_url: str, tmp_path: Path) -> None:
    async with database(db_url) as sessions:
        stale, fresh = await new_queued_job(sessions, TOPIC), await new_queued_job(sessions, TOPIC)
        async with sessions.begin() as session:
            await session.execute(update(Job).where(Job.id == stale.id).values(queued_at=utcnow() - timedelta(seconds=700)))
        reaper = _reaper(sessions, queued_grace_s=600)
        report = await reaper.sweep()
        assert report.reannounced == [stale.id]
        again = (await _events(sessions, stale.id))[-1]
        assert isinstance(again, JobQueued) and again.payload.reason == QueuedReason.reannounced
        assert not await reaper.sweep()  # announced once per grace period, not on every sweep
        assert [e.type for e in await _events(sessions, fresh.id)] == ["job.created", "job.queued"]


async def test_a_pending_upload_that_never_arrives_expires(db_url: str, tmp_path: Path) -> None:
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, TOPIC)
        async with sessions.begin() as session:  # as JSON creation with `filename` leaves it: waiting for bytes
            await session.execute(
                update(Job).where(Job.id == job.id).values(status="pending", queued_at=None, created_at=utcnow() - timedelta(hours=5))
            )
        report = await _reaper(sessions, pending_ttl_s=4 * 3600).sweep()
        assert report.failed == [job.id]
        async with sessions() as session:
            row = await get_job(session, job.id)
            assert row is not None and row.status == "failed" and row.error_code == UPLOAD_EXPIRED
