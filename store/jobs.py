"""Job queries. Every query on the jobs table lives here but the claim (jobs/lifecycle.claim_job: it is the
queued → processing transition, so it lives with the state machine)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.events import JobStatus
from store.models import Job
from store.types import utcnow


async def get_job(session: AsyncSession, job_id: str, account_id: str | None = None) -> Job | None:
    query = select(Job).where(Job.id == job_id)
    if account_id is not None:
        # Tenancy: another account's job is simply not found.
        query = query.where(Job.account_id == account_id)
    return (await session.execute(query)).scalar_one_or_none()


async def renew_lease(session: AsyncSession, job_id: str, owner: str, lease_s: float) -> bool:
    """Extend the lease; False when this owner lost it (the job was taken over or finished)."""
    result = await session.execute(
        update(Job)
        .where(Job.id == job_id, Job.lease_owner == owner, Job.status == JobStatus.processing)
        .values(lease_expires_at=utcnow() + timedelta(seconds=lease_s))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def lock_job(session: AsyncSession, job_id: str) -> Job | None:
    """Load a job for a state change: row lock on PostgreSQL (SQLite serialises writers anyway)."""
    query = select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
    if session.bind is not None and session.bind.dialect.name != "sqlite":
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def is_owner(session: AsyncSession, job_id: str, owner: str) -> bool:
    """Read-only check that `owner` still holds the job's lease (a cancel clears it)."""
    query = select(Job.id).where(Job.id == job_id, Job.lease_owner == owner, Job.status == JobStatus.processing)
    return (await session.execute(query)).first() is not None


async def park_job(session: AsyncSession, job_id: str, owner: str) -> bool:
    """Keep a processing job out of the reaper's reach: no lease expiry (a sandbox job told to wait for a
    cancel). Only the lease owner may park it; False when it is no longer ours."""
    result = await session.execute(
        update(Job)
        .where(Job.id == job_id, Job.lease_owner == owner, Job.status == JobStatus.processing)
        .values(lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def lock_job_for_reaping(session: AsyncSession, job_id: str) -> Job | None:
    """Like `lock_job`, but a row another reaper holds right now is skipped (None), not waited for."""
    query = select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
    if session.bind is not None and session.bind.dialect.name != "sqlite":
        query = query.with_for_update(skip_locked=True)
    return (await session.execute(query)).scalar_one_or_none()


async def still_as_read(session: AsyncSession, job: Job) -> bool:
    """Compare-and-set guard for a decision taken on `job` as loaded: True (and the row now write-locked by
    this transaction) only if nobody changed its status, lease or last event since. SQLite has no row locks
    and pysqlite reads outside the write transaction, so this UPDATE is what makes two deciders exclusive."""
    result = await session.execute(
        update(Job)
        .where(
            Job.id == job.id,
            Job.status == job.status,
            Job.updated_at == job.updated_at,
            Job.lease_owner.is_(None) if job.lease_owner is None else Job.lease_owner == job.lease_owner,
            Job.lease_expires_at.is_(None) if job.lease_expires_at is None else Job.lease_expires_at == job.lease_expires_at,
        )
        .values(updated_at=job.updated_at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def find_reapable(
    session: AsyncSession, *, now: datetime, queued_before: datetime, pending_before: datetime, limit: int
) -> list[str]:
    """Ids of jobs no worker is moving: processing under an expired lease, queued since before
    `queued_before`, or pending (no upload) since before `pending_before`. Oldest first, at most `limit`."""
    stuck = or_(
        and_(Job.status == JobStatus.processing, Job.lease_expires_at < now),
        and_(Job.status == JobStatus.queued, Job.queued_at < queued_before),
        and_(Job.status == JobStatus.pending, Job.created_at < pending_before),
    )
    rows = await session.execute(select(Job.id).where(stuck).order_by(Job.updated_at).limit(limit))
    return list(rows.scalars())


async def count_jobs_by_status(
    session: AsyncSession, account_id: str, since: datetime, *, sandbox: bool | None = None
) -> dict[JobStatus, int]:
    """Jobs of one account created since `since`, counted per status (`sandbox`: of one world only)."""
    rows = await session.execute(
        select(Job.status, func.count())
        .where(Job.account_id == account_id, Job.created_at >= since, *_world(sandbox))
        .group_by(Job.status)
    )
    return {status: int(n) for status, n in rows.all()}


async def list_jobs(
    session: AsyncSession,
    account_id: str,
    *,
    limit: int,
    offset: int,
    status: JobStatus | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    archived: bool | None = None,
    sandbox: bool | None = None,
) -> tuple[list[Job], int]:
    """One page of an account's jobs, newest first, and the total matching the filters."""
    where = [Job.account_id == account_id, *_world(sandbox)]
    if status is not None:
        where.append(Job.status == status)
    if created_after is not None:
        where.append(Job.created_at > created_after)
    if created_before is not None:
        where.append(Job.created_at < created_before)
    if archived is not None:
        where.append(Job.is_archived.is_(archived))
    total = (await session.execute(select(func.count()).select_from(Job).where(*where))).scalar_one()
    rows = await session.execute(
        select(Job).where(*where).order_by(Job.created_at.desc(), Job.id.desc()).limit(limit).offset(offset)
    )
    return list(rows.scalars()), int(total)


def _world(sandbox: bool | None) -> list[ColumnElement[bool]]:
    """Tenancy between test and live keys: sandbox jobs only, live jobs only, or (None) both."""
    return [] if sandbox is None else [Job.sandbox.is_(sandbox)]


async def find_by_idempotency_key(session: AsyncSession, account_id: str, key: str) -> Job | None:
    query = select(Job).where(Job.account_id == account_id, Job.idempotency_key == key)
    return (await session.execute(query)).scalar_one_or_none()


async def delete_job(session: AsyncSession, job_id: str) -> None:
    await session.execute(delete(Job).where(Job.id == job_id))


async def count_all_by_status(session: AsyncSession) -> dict[JobStatus, int]:
    """Jobs of every account per status (the /metrics gauge; one GROUP BY on the indexed status column)."""
    rows = await session.execute(select(Job.status, func.count()).group_by(Job.status))
    return {status: int(n) for status, n in rows.all()}
