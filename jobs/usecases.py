"""What may be done to a job from outside the worker: create it, give it its media, retry, cancel, archive,
delete. Each use case works in the caller's transaction (`session`), records through `JobEffects` (so its
effects are the worker's: reservation, usage, webhooks, relay) and raises jobs.errors on refusal.

Media objects are not transactional: the caller stores media before and removes it after the transaction
(see api/jobs), which is why no use case here touches the object store.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from jobs import events
from jobs.billing import Admission
from jobs.effects import JobEffects
from jobs.errors import JobConflict, JobNotFound
from schemas.events import JobEvent, JobStatus
from schemas.options import JobOptions
from store import jobs as repo
from jobs.lifecycle import TERMINAL
from store.models import Job
from webhooks.signing import new_secret

MAX_RETRIES = 3


class Tenant(Protocol):
    """Who asks (store.keys.Principal): an account, in the test (sandbox) or the live world."""

    @property
    def account_id(self) -> str: ...

    @property
    def sandbox(self) -> bool: ...


def owns(tenant: Tenant, job: Job) -> bool:
    """Tenancy: a job belongs to one account and one world. Test (sk_test_) keys see only sandbox jobs, live
    keys only live ones, as with Stripe's test and live modes; anything else is simply not found."""
    return job.account_id == tenant.account_id and bool(job.sandbox) == tenant.sandbox


async def locked_owned(session: AsyncSession, tenant: Tenant, job_id: str) -> Job:
    """The job, row-locked for a state change; JobNotFound for another tenant's job."""
    job = await repo.lock_job(session, job_id)
    if job is None or not owns(tenant, job):
        raise JobNotFound(f"job {job_id} not found")
    return job


def new_job_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class NewJob:
    """A job as its request describes it (its fields are the row's columns). With `media_key` and no `media_url`
    the media is already stored; with `media_url` the worker fetches it into `media_key`; with neither it waits
    for an upload."""

    id: str
    account_id: str
    sandbox: bool
    options: JobOptions
    media_key: str | None = None
    media_url: str | None = None
    filename: str | None = None
    content_type: str | None = None
    size_bytes: int | None = None
    idempotency_key: str | None = None
    request_hash: str | None = None


async def create(session: AsyncSession, effects: JobEffects, new: NewJob, admission: Admission | None) -> Job:
    """The job row with job.created, and job.queued with its reservation when `admission` is given (its media
    is at hand); else the job stays `pending` until `receive_upload`. Raises QuotaRefused; a reused
    Idempotency-Key surfaces as the unique index's IntegrityError at flush or commit."""
    if admission is not None:
        # The account lock first (SQLite takes its write lock before any read); refused: nothing was written.
        await effects.billing.reserve(
            session, account_id=new.account_id, job_id=new.id, sandbox=new.sandbox, admission=admission
        )
    columns = {f.name: getattr(new, f.name) for f in dataclasses.fields(new) if f.name != "options"}
    job = Job(
        **columns,
        status=JobStatus.pending,
        options=new.options.model_dump(exclude_none=True),
        webhook_secret=new_secret() if new.options.webhook_url else None,  # shown once, in the creation response
    )
    session.add(job)
    recorded: list[JobEvent] = [events.created(job, new.options)]
    if admission is not None:
        recorded.append(events.queued(job))
    await effects.record(session, job, recorded)
    return job


@dataclass(frozen=True)
class StoredMedia:
    key: str
    size: int
    content_type: str | None


async def receive_upload(
    session: AsyncSession, effects: JobEffects, job: Job, media: StoredMedia, admission: Admission
) -> Job:
    """A pending job's media arrived: reserve, then pending → queued. `job` is the row as read before the
    upload (its account and world); it is locked and checked again here. JobConflict when another upload won."""
    try:
        await effects.billing.reserve(
            session, account_id=job.account_id, job_id=job.id, sandbox=job.sandbox, admission=admission
        )
    except IntegrityError as exc:  # a racing upload committed its reservation for this job first
        raise JobConflict(f"job {job.id} already has its media") from exc
    locked = await repo.lock_job(session, job.id)
    if locked is None:
        raise JobNotFound(f"job {job.id} not found")
    if locked.status != JobStatus.pending or locked.media_key is not None:
        raise JobConflict(f"job {job.id} already has its media (status: {locked.status})")
    locked.media_key, locked.size_bytes, locked.content_type = media.key, media.size, media.content_type
    await effects.record(session, locked, [events.queued(locked)])
    return locked


async def retry(session: AsyncSession, effects: JobEffects, tenant: Tenant, job_id: str, admission: Admission) -> Job:
    """A failed job gets a new attempt through job.queued (at most MAX_RETRIES), with a new reservation."""
    job = await locked_owned(session, tenant, job_id)
    if job.status != JobStatus.failed:
        raise JobConflict(f"job {job_id} is {job.status}; only failed jobs can be retried")
    if job.retry_count >= MAX_RETRIES:
        raise JobConflict(f"job {job_id} was already retried {job.retry_count} times (the limit is {MAX_RETRIES})")
    await effects.billing.reserve_again(session, job, admission)
    await effects.record(session, job, [events.queued(job)])
    return job


async def cancel(session: AsyncSession, effects: JobEffects, tenant: Tenant, job_id: str) -> Job:
    """Cancel a pending, queued or processing job. The cancel takes the job's lease, so a worker running it
    stops (it polls its lease and also reads job.canceled) and can never record a completion afterwards."""
    job = await locked_owned(session, tenant, job_id)
    if job.status in TERMINAL:
        raise JobConflict(f"job {job_id} is already {job.status}; only pending, queued or processing jobs can be canceled")
    await effects.record(session, job, [events.canceled(job, "canceled by the client")])
    return job


async def archive(session: AsyncSession, tenant: Tenant, job_id: str) -> Job:
    """Toggle `is_archived`: a label for listings, never a change of status."""
    job = await locked_owned(session, tenant, job_id)
    job.is_archived = not job.is_archived
    return job


async def delete(session: AsyncSession, tenant: Tenant, job_id: str) -> None:
    """Remove a finished job's row (the caller removes its media and results once this commits)."""
    job = await locked_owned(session, tenant, job_id)
    if job.status not in TERMINAL:
        raise JobConflict(f"job {job_id} is {job.status}; cancel it before deleting it")
    await repo.delete_job(session, job.id)
