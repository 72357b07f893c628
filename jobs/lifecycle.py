"""The job state machine: which event may follow which state, and how an event changes the job row.

Both the API (created, queued, canceled) and the worker (stages, progress, completed, failed) change jobs only
through `jobs.effects.JobEffects.record`, which calls `record` here (the events applied to the row and written
to the outbox in the caller's transaction) and then writes each transition's effects. A rejected transition
raises before anything is written, so a late or duplicated event can never move a finished job backwards.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.events import (
    JobCanceled,
    JobCompleted,
    JobCreated,
    JobEvent,
    JobFailed,
    JobProgress,
    JobQueued,
    JobStageCompleted,
    JobStageStarted,
    JobStatus,
    QueuedReason,
    encode_event,
)
from store.jobs import get_job
from store.models import Job, OutboxEvent
from store.types import utcnow

TERMINAL = frozenset({JobStatus.completed, JobStatus.failed, JobStatus.canceled})

# event type -> statuses it may be applied in
_ALLOWED_FROM: dict[str, frozenset[JobStatus]] = {
    "job.created": frozenset({JobStatus.pending, JobStatus.queued}),
    # From failed: a client retry (a new attempt; the API checks the retry budget before recording it).
    # The reaper's job.queued has its own table below.
    "job.queued": frozenset({JobStatus.pending, JobStatus.failed}),
    "job.stage_started": frozenset({JobStatus.processing}),
    "job.progress": frozenset({JobStatus.processing}),
    "job.stage_completed": frozenset({JobStatus.processing}),
    "job.completed": frozenset({JobStatus.processing}),
    # From pending: the upload never arrived within its URL's lifetime (the reaper expires it).
    "job.failed": frozenset({JobStatus.pending, JobStatus.queued, JobStatus.processing}),
    "job.canceled": frozenset({JobStatus.pending, JobStatus.queued, JobStatus.processing}),
}


# The reaper's job.queued (streams/reaper.py), by reason: the one status each may be applied in.
_RECOVERY_FROM: dict[QueuedReason, JobStatus] = {
    QueuedReason.lease_expired: JobStatus.processing,  # taken back from a worker whose lease expired
    QueuedReason.reannounced: JobStatus.queued,  # sat queued with no worker starting it
}


def _allowed(job: Job, event: JobEvent) -> bool:
    if isinstance(event, JobQueued) and event.payload.reason != QueuedReason.submitted:
        return job.status == _RECOVERY_FROM[event.payload.reason]
    return job.status in _ALLOWED_FROM[event.type]


class InvalidTransition(Exception):
    def __init__(self, job: Job, event_type: str) -> None:
        super().__init__(f"job {job.id} is {job.status}; {event_type} does not apply")
        self.job_id = job.id
        self.status = job.status
        self.event_type = event_type


def apply_event(job: Job, event: JobEvent) -> None:
    """Project one event onto the job row (in memory). Raises InvalidTransition."""
    if not _allowed(job, event):
        raise InvalidTransition(job, event.type)
    at = event.occurred_at
    job.updated_at = at
    match event:
        case JobCreated():
            pass
        case JobQueued():
            if job.status == JobStatus.failed:
                job.retry_count = (job.retry_count or 0) + 1
                job.error_code = job.error_message = None
                job.stage, job.progress, job.completed_at = None, 0, None
                job.attempt = 0  # the reaper's attempt budget is per client retry
            elif job.status == JobStatus.processing:
                # Taken back from a lost worker: the next claim starts it again from decoding.
                job.stage, job.progress = None, 0
                job.lease_owner = job.lease_expires_at = None
            job.status = JobStatus.queued
            job.queued_at = at
        case JobStageStarted():
            job.stage = event.payload.stage.value
            job.started_at = job.started_at or at
        case JobProgress():
            # Progress only moves forward: chunks finish out of order across actors.
            job.progress = max(job.progress, event.payload.progress)
        case JobStageCompleted():
            pass
        case JobCompleted():
            job.status = JobStatus.completed
            job.stage = None
            job.progress = 100
            job.result_key = event.payload.result_key
            job.duration = event.payload.duration
            job.language = event.payload.language
            job.completed_at = at
            job.lease_owner = None
            job.lease_expires_at = None
        case JobFailed():
            job.status = JobStatus.failed
            job.error_code = event.payload.error.code
            job.error_message = event.payload.error.message
            job.completed_at = at
            job.lease_owner = None
            job.lease_expires_at = None
        case JobCanceled():
            job.status = JobStatus.canceled
            job.completed_at = at
            job.lease_owner = None
            job.lease_expires_at = None


def record(session: AsyncSession, job: Job, events: list[JobEvent], topic: str) -> list[OutboxEvent]:
    """Apply events to the job row and add them to the outbox, in the caller's transaction."""
    rows = []
    for event in events:
        apply_event(job, event)
        row = OutboxEvent(event_id=event.event_id, topic=topic, key=job.id, value=encode_event(event))
        session.add(row)
        rows.append(row)
    return rows


async def claim_job(session: AsyncSession, job_id: str, owner: str, lease_s: float) -> Job | None:
    """The worker's claim, queued → processing: the one transition that is not an event of its own (the
    claimant records job.stage_started in the same transaction). Takes a queued job, or one whose owner's
    lease ran out.

    A compare-and-set UPDATE, so two workers handed the same job.queued (redelivery, rebalance) cannot both
    win. Returns the job when this caller owns it now, else None.
    """
    now = utcnow()
    result = await session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            or_(
                Job.status == JobStatus.queued,
                and_(Job.status == JobStatus.processing, Job.lease_expires_at < now),
            ),
        )
        .values(
            status=JobStatus.processing,
            lease_owner=owner,
            lease_expires_at=now + timedelta(seconds=lease_s),
            attempt=Job.attempt + 1,
            progress=0,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    job = await get_job(session, job_id)
    if job is not None:
        await session.refresh(job)
    return job
