"""The reaper: no accepted job is ever stranded, whatever happened to its worker or its Kafka message.

Every worker runs a sweep on a timer (streams/app.py). A sweep looks at the job store, not at Kafka, so
recovery never depends on a redelivery arriving at the right moment:

- `processing` with an expired lease (its worker died, hung or lost the database): back to `queued` through
  the outbox (`job.queued`, reason `lease_expired`; the reservation is kept), so any worker claims it and
  starts again from decoding. After `max_attempts` claims the job fails with `worker_lost` instead, which
  releases its minutes and fires its webhooks like any failure.
- `queued` for longer than `queued_grace_s`: its event was consumed but no worker started it (a handler that
  crashed into the DLQ, a claim refused under a live foreign lease that then lapsed, another deployment's
  consumer). The job is announced again (`job.queued`, reason `reannounced`); a duplicate claim loses the CAS.
- `pending` for longer than the upload URL's lifetime: the upload can no longer arrive. The job fails with
  `upload_expired` (nothing was reserved yet).

Many reapers may run at once (one per worker): each job is handled in its own transaction under a row lock
(skipped, not waited for, on PostgreSQL) and re-checked after locking, and the state machine refuses a
transition that no longer applies, so two reapers never both act on one job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs import events
from jobs.effects import JobEffects
from jobs.lifecycle import InvalidTransition
from schemas.events import ErrorInfo, JobEvent, JobStatus, QueuedReason, Stage
from store.jobs import find_reapable, lock_job_for_reaping, still_as_read
from store.models import Job
from store.types import utcnow

log = logging.getLogger(__name__)

WORKER_LOST = "worker_lost"
UPLOAD_EXPIRED = "upload_expired"


@dataclass(frozen=True)
class ReaperPolicy:
    max_attempts: int = 3  # worker claims of one job (per client retry) before it fails with worker_lost
    queued_grace_s: float = 600.0  # a queued job no worker started in this long is announced again
    pending_ttl_s: float = 4 * 3600.0  # the upload URL's lifetime: a pending job older than this expires
    batch: int = 200  # jobs looked at per sweep (the next sweep takes the rest)


@dataclass
class SweepReport:
    requeued: list[str] = field(default_factory=list)
    reannounced: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.requeued or self.reannounced or self.failed)


class JobReaper:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        effects: JobEffects,
        policy: ReaperPolicy,
    ) -> None:
        self._sessions = sessions
        # The worker's JobEffects: state machine + outbox + quota release + webhook requests, in our transaction.
        self._effects = effects
        self._policy = policy

    async def sweep(self) -> SweepReport:
        now = utcnow()
        p = self._policy
        async with self._sessions() as session:
            ids = await find_reapable(
                session,
                now=now,
                queued_before=now - timedelta(seconds=p.queued_grace_s),
                pending_before=now - timedelta(seconds=p.pending_ttl_s),
                limit=p.batch,
            )
        report = SweepReport()
        for job_id in ids:
            try:
                await self._reap(job_id, report)
            except Exception:  # noqa: BLE001 - one job's trouble must not stop the sweep of the others
                log.exception("reaper: job %s could not be handled; the next sweep tries again", job_id)
        if report:
            log.info(
                "reaper: %d re-queued, %d announced again, %d failed",
                len(report.requeued), len(report.reannounced), len(report.failed),
            )
        return report

    async def _reap(self, job_id: str, report: SweepReport) -> None:
        async with self._sessions.begin() as session:
            job = await lock_job_for_reaping(session, job_id)
            if job is None:
                return  # deleted, or another reaper holds it right now
            decision = self._decide(job)
            if decision is None or not await still_as_read(session, job):
                return  # it moved on since the query (a worker renewed, claimed or finished it, or another reaper)
            recorded, bucket = decision
            try:
                await self._effects.record(session, job, recorded)
            except InvalidTransition:
                return
        bucket(report).append(job_id)

    def _decide(self, job: Job) -> tuple[list[JobEvent], Callable[[SweepReport], list[str]]] | None:
        now = utcnow()
        p = self._policy
        if job.status == JobStatus.processing:
            if job.lease_expires_at is None or job.lease_expires_at >= now:
                return None
            if job.attempt >= p.max_attempts:
                error = ErrorInfo(
                    code=WORKER_LOST,
                    message=f"the job's worker stopped responding {job.attempt} times; the job was not finished",
                )
                stage = Stage(job.stage) if job.stage else None
                return [events.failed(job, stage, error)], lambda r: r.failed
            log.warning("reaper: job %s lost its worker %s (attempt %d); re-queued", job.id, job.lease_owner, job.attempt)
            return [events.queued(job, QueuedReason.lease_expired)], lambda r: r.requeued
        if job.status == JobStatus.queued:
            if job.queued_at is None or (now - job.queued_at).total_seconds() < p.queued_grace_s:
                return None
            return [events.queued(job, QueuedReason.reannounced)], lambda r: r.reannounced
        if job.status == JobStatus.pending:
            if (now - job.created_at).total_seconds() < p.pending_ttl_s:
                return None
            error = ErrorInfo(code=UPLOAD_EXPIRED, message="the media was not uploaded before the upload URL expired")
            return [events.failed(job, None, error)], lambda r: r.failed
        return None

