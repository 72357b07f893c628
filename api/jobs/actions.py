"""What a client may do to an existing job: list, cancel, retry, archive, delete. Every state change goes
through the state machine (`store.lifecycle.record`) in one transaction with its side effects (quota,
webhooks), like the worker's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Conflict, NotFound
from api.jobs.service import account_plan, estimate_seconds, get_owned_job, owns, reserve_minutes
from api.pagination import PageParams
from api.state import ApiState
from metering.reservations import SETTLED, Reservation
from schemas.events import JobCanceled, JobCanceledPayload, JobQueued, JobStatus
from store import jobs as repo
from store.keys import Principal
from store.lifecycle import TERMINAL, record
from store.models import Job
from store.webhooks import request_deliveries

MAX_RETRIES = 3


async def _locked_owned(session: AsyncSession, principal: Principal, job_id: str) -> Job:
    job = await repo.lock_job(session, job_id)
    if job is None or not owns(principal, job):
        raise NotFound(f"job {job_id} not found")
    return job


async def list_jobs(
    state: ApiState,
    principal: Principal,
    page: PageParams,
    *,
    status: JobStatus | None,
    created_after: datetime | None,
    created_before: datetime | None,
    archived: bool | None,
) -> tuple[list[Job], int]:
    async with state.sessions() as session:
        return await repo.list_jobs(
            session,
            principal.account_id,
            limit=page.limit,
            offset=page.offset,
            status=status.value if status else None,
            created_after=created_after,
            created_before=created_before,
            archived=archived,
            sandbox=principal.sandbox,
        )


async def cancel_job(state: ApiState, principal: Principal, job_id: str) -> Job:
    """Cancel a pending, queued or processing job. The cancel takes the job's lease, so a worker running it
    stops (it polls its lease and also reads job.canceled) and can never record a completion afterwards."""
    async with state.sessions.begin() as session:
        job = await _locked_owned(session, principal, job_id)
        if job.status in TERMINAL:
            raise Conflict(f"job {job_id} is already {job.status}; only pending, queued or processing jobs can be canceled")
        events = [JobCanceled(job_id=job.id, account_id=job.account_id, payload=JobCanceledPayload(reason="canceled by the client"))]
        record(session, job, events, state.events_topic)
        # Recorded here, not by the orchestrator: release the reservation in this same transaction.
        await state.quota.release(session, job.id)
        await request_deliveries(session, job, events, state.webhooks_topic, state.settings.public_url)
    state.relay.kick()
    await state.objects.delete_prefix(f"media/{job_id}")  # a canceled job can never run again
    return job


async def retry_job(state: ApiState, principal: Principal, job_id: str) -> Job:
    """A failed job gets a new attempt through job.queued (at most MAX_RETRIES), with a new reservation."""
    plan = await account_plan(state, principal.account_id)
    job = await get_owned_job(state, principal, job_id)
    default = state.settings.quota_default_reservation_seconds
    if job.media_url is not None:
        estimated = float(default)  # the worker fetches the URL again
    elif job.media_key is None or not await state.objects.exists(job.media_key):
        raise Conflict(f"job {job_id} has no stored media to retry with")
    else:
        estimated = await estimate_seconds(state.objects, job.media_key, default)
    async with state.sessions.begin() as session:
        job = await _locked_owned(session, principal, job_id)
        if job.status != JobStatus.failed.value:
            raise Conflict(f"job {job_id} is {job.status}; only failed jobs can be retried")
        if job.retry_count >= MAX_RETRIES:
            raise Conflict(f"job {job_id} was already retried {job.retry_count} times (the limit is {MAX_RETRIES})")
        # The failed attempt's reservation was released (or, if its failure skipped metering, is dropped now):
        # the new attempt reserves again under the same job id.
        await session.execute(delete(Reservation).where(Reservation.job_id == job.id, Reservation.status != SETTLED))
        await reserve_minutes(state, session, job.account_id, job.id, plan, estimated, sandbox=job.sandbox)
        record(session, job, [JobQueued(job_id=job.id, account_id=job.account_id)], state.events_topic)
    state.relay.kick()
    return job


async def toggle_archive(state: ApiState, principal: Principal, job_id: str) -> Job:
    async with state.sessions.begin() as session:
        job = await _locked_owned(session, principal, job_id)
        job.is_archived = not job.is_archived  # a label only: it never changes the job's status
    return job


async def delete_job(state: ApiState, principal: Principal, job_id: str) -> None:
    """Remove a finished job, its media and its results (exports are rendered from the result)."""
    async with state.sessions.begin() as session:
        job = await _locked_owned(session, principal, job_id)
        if job.status not in TERMINAL:
            raise Conflict(f"job {job_id} is {job.status}; cancel it before deleting it")
        await repo.delete_job(session, job.id)
    await state.objects.delete_prefix(f"media/{job_id}")
    await state.objects.delete_prefix(f"results/{job_id}")
