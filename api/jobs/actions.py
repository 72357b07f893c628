"""What a client may do to an existing job: list, cancel, retry, archive, delete. The rules are
jobs.usecases'; this module opens the transaction and removes media once it committed."""

from __future__ import annotations

from datetime import datetime

from api.errors import Conflict, job_errors_as_api
from api.jobs.service import account_plan, estimate_seconds, get_owned_job
from api.pagination import PageParams
from api.state import ApiState
from jobs import usecases
from jobs.billing import Admission
from schemas.events import JobStatus
from store import jobs as repo
from store.keys import Principal
from store.models import Job


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
            status=status,
            created_after=created_after,
            created_before=created_before,
            archived=archived,
            sandbox=principal.sandbox,
        )


async def cancel_job(state: ApiState, principal: Principal, job_id: str) -> Job:
    with job_errors_as_api():
        async with state.sessions.begin() as session:
            job = await usecases.cancel(session, state.jobs, principal, job_id)
    await state.objects.delete_prefix(f"media/{job_id}")  # a canceled job can never run again
    return job


async def retry_job(state: ApiState, principal: Principal, job_id: str) -> Job:
    """Estimate what the new attempt reserves (outside the transaction: it reads the media), then retry."""
    plan = await account_plan(state, principal.account_id)
    job = await get_owned_job(state, principal, job_id)
    default = state.settings.quota_default_reservation_seconds
    if job.media_url is not None:
        estimated = float(default)  # the worker fetches the URL again
    elif job.media_key is None or not await state.objects.exists(job.media_key):
        raise Conflict(f"job {job_id} has no stored media to retry with")
    else:
        estimated = await estimate_seconds(state.objects, job.media_key, default)
    with job_errors_as_api():
        async with state.sessions.begin() as session:
            return await usecases.retry(session, state.jobs, principal, job_id, Admission(plan, estimated))


async def toggle_archive(state: ApiState, principal: Principal, job_id: str) -> Job:
    with job_errors_as_api():
        async with state.sessions.begin() as session:
            return await usecases.archive(session, principal, job_id)


async def delete_job(state: ApiState, principal: Principal, job_id: str) -> None:
    """Remove a finished job, its media and its results (exports are rendered from the result)."""
    with job_errors_as_api():
        async with state.sessions.begin() as session:
            await usecases.delete(session, principal, job_id)
    await state.objects.delete_prefix(f"media/{job_id}")
    await state.objects.delete_prefix(f"results/{job_id}")
