"""The jobs domain on a real database (SQLite and PostgreSQL): each use case writes its transition's effects
(reservation, usage, webhook requests) in the caller's transaction, the relay is woken once that commits and
never after a rollback, and refusals are the domain's errors with nothing written."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs import usecases
from jobs.billing import Admission
from jobs.errors import InsufficientCredits, JobConflict, JobNotFound
from jobs.usecases import MAX_RETRIES, NewJob, StoredMedia
from metering.plans import PLANS
from metering.reservations import ACTIVE, RELEASED, get_reservation
from schemas.events import ErrorInfo, JobFailed, JobFailedPayload, JobStatus, decode_event
from schemas.options import JobOptions
from store.jobs import get_job, lock_job
from store.keys import Principal, get_or_create_account
from store.models import Job, OutboxEvent, WebhookDelivery
from tests.integration import workers
from tests.integration.helpers import database
from webhooks.endpoints import create_endpoint

TOPIC = "jobs"
ADMIT = Admission(PLANS["pro"], 60.0)


def _tenant(account_id: str, *, live: bool = True) -> Principal:
    return Principal(account_id=account_id, key_id="k", scopes=frozenset(), live=live)


async def _account(sessions: async_sessionmaker[AsyncSession]) -> str:
    async with sessions.begin() as session:
        return (await get_or_create_account(session, f"acct-{uuid.uuid4().hex[:8]}")).id


async def _types(sessions: async_sessionmaker[AsyncSession], job_id: str) -> list[str]:
    async with sessions() as session:
        rows = (await session.execute(select(OutboxEvent).where(OutboxEvent.key == job_id, OutboxEvent.topic == TOPIC).order_by(OutboxEvent.id))).scalars()
        return [decode_event(r.value).type for r in rows]


async def _queued_job(sessions: async_sessionmaker[AsyncSession], effects_relay: workers.CountingRelay) -> Job:
    account_id = await _account(sessions)
    new = NewJob(id=usecases.new_job_id(), account_id=account_id, sandbox=False, options=JobOptions(), media_key="media/x/source")
    async with sessions.begin() as session:
        return await usecases.create(session, workers.job_effects(TOPIC, relay=effects_relay), new, ADMIT)


async def test_create_reserves_records_and_wakes_the_relay_after_commit(db_url: str) -> None:
    async with database(db_url) as sessions:
        relay = workers.CountingRelay()
        job = await _queued_job(sessions, relay)
        assert relay.kicks == 1
        assert await _types(sessions, job.id) == ["job.created", "job.queued"]
        async with sessions() as session:
            row = await get_job(session, job.id)
            reservation = await get_reservation(session, job.id)
        assert row is not None and row.status is JobStatus.queued  # the ORM hands back the enum
        assert reservation is not None and reservation.status == ACTIVE


async def test_a_refused_reservation_writes_nothing(db_url: str) -> None:
    async with database(db_url) as sessions:
        relay = workers.CountingRelay()
        account_id = await _account(sessions)
        new = NewJob(id=usecases.new_job_id(), account_id=account_id, sandbox=False, options=JobOptions(), media_key="m")
        with pytest.raises(InsufficientCredits):
            async with sessions.begin() as session:  # the free plan's hour cannot hold ten hours
                await usecases.create(session, workers.job_effects(TOPIC, relay=relay), new, Admission(PLANS["free"], 36000.0))
        async with sessions() as session:
            assert await get_job(session, new.id) is None
        assert relay.kicks == 0


async def test_events_of_a_rolled_back_transaction_never_wake_the_relay(db_url: str) -> None:
    async with database(db_url) as sessions:
        relay = workers.CountingRelay()
        job = await _queued_job(sessions, relay)
        effects = workers.job_effects(TOPIC, relay=relay)

        class Abort(Exception):
            pass

        with pytest.raises(Abort):
            async with sessions.begin() as session:
                await usecases.cancel(session, effects, _tenant(job.account_id), job.id)
                raise Abort
        assert relay.kicks == 1  # the creation's only
        assert await _types(sessions, job.id) == ["job.created", "job.queued"]


async def test_cancel_releases_requests_webhooks_and_refuses_twice(db_url: str) -> None:
    async with database(db_url) as sessions:
        relay = workers.CountingRelay()
        job = await _queued_job(sessions, relay)
        async with sessions.begin() as session:
            await create_endpoint(session, job.account_id, "https://hooks.example/x", ["job.canceled"])
        effects = workers.job_effects(TOPIC, relay=relay)
        with pytest.raises(JobNotFound):  # a test key never sees a live job
            async with sessions.begin() as session:
                await usecases.cancel(session, effects, _tenant(job.account_id, live=False), job.id)
        async with sessions.begin() as session:
            await usecases.cancel(session, effects, _tenant(job.account_id), job.id)
        assert relay.kicks == 2
        async with sessions() as session:
            reservation = await get_reservation(session, job.id)
            deliveries = (await session.execute(select(WebhookDelivery).where(WebhookDelivery.job_id == job.id))).scalars().all()
        assert reservation is not None and reservation.status == RELEASED
        assert [d.event for d in deliveries] == ["job.canceled"]
        with pytest.raises(JobConflict, match="already canceled"):
            async with sessions.begin() as session:
                await usecases.cancel(session, effects, _tenant(job.account_id), job.id)


async def test_retry_reserves_again_until_the_limit(db_url: str) -> None:
    async with database(db_url) as sessions:
        relay = workers.CountingRelay()
        job = await _queued_job(sessions, relay)
        effects = workers.job_effects(TOPIC, relay=relay)
        tenant = _tenant(job.account_id)
        for attempt in range(1, MAX_RETRIES + 2):
            async with sessions.begin() as session:  # what the reaper records when the upload never came
                row = await lock_job(session, job.id)
                assert row is not None
                failed = JobFailed(job_id=job.id, account_id=job.account_id,
                                   payload=JobFailedPayload(stage=None, error=ErrorInfo(code="x", message="x")))
                await effects.record(session, row, [failed])
            async with sessions() as session:
                reservation = await get_reservation(session, job.id)
            assert reservation is not None and reservation.status == RELEASED
            if attempt > MAX_RETRIES:
                with pytest.raises(JobConflict, match="already retried"):
                    async with sessions.begin() as session:
                        await usecases.retry(session, effects, tenant, job.id, ADMIT)
                break
            async with sessions.begin() as session:
                retried = await usecases.retry(session, effects, tenant, job.id, ADMIT)
            assert (retried.status, retried.retry_count) == (JobStatus.queued, attempt)
            async with sessions() as session:
                reservation = await get_reservation(session, job.id)
            assert reservation is not None and reservation.status == ACTIVE


async def test_receive_upload_queues_a_pending_job_once(db_url: str) -> None:
    async with database(db_url) as sessions:
        relay = workers.CountingRelay()
        effects = workers.job_effects(TOPIC, relay=relay)
        account_id = await _account(sessions)
        new = NewJob(id=usecases.new_job_id(), account_id=account_id, sandbox=False, options=JobOptions(), filename="a.wav")
        async with sessions.begin() as session:
            pending = await usecases.create(session, effects, new, None)
        assert pending.status is JobStatus.pending
        async with sessions.begin() as session:
            queued = await usecases.receive_upload(session, effects, pending, StoredMedia("media/k/upload-1", 10, "audio/wav"), ADMIT)
        assert (queued.status, queued.media_key, queued.size_bytes) == (JobStatus.queued, "media/k/upload-1", 10)
        assert await _types(sessions, new.id) == ["job.created", "job.queued"]
        with pytest.raises(JobConflict, match="already has its media"):
            async with sessions.begin() as session:
                await usecases.receive_upload(session, effects, pending, StoredMedia("media/k/upload-2", 10, None), ADMIT)
