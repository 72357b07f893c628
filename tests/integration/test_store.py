"""The job store on SQLite and on a real PostgreSQL: migrations, the claim, leases, tenancy."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import update

from jobs.lifecycle import claim_job
from store.jobs import get_job, renew_lease
from store.keys import authenticate, create_key, get_or_create_account
from store.models import Job
from store.types import utcnow
from tests.integration.helpers import database, new_queued_job


async def test_concurrent_claims_have_exactly_one_winner(db_url: str) -> None:
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, "t")

        async def claim(owner: str) -> bool:
            async with sessions.begin() as session:
                return await claim_job(session, job.id, owner, lease_s=60) is not None

        results = await asyncio.gather(*(claim(f"w{i}") for i in range(8)))
        assert sum(results) == 1
        async with sessions() as session:
            row = await get_job(session, job.id)
            assert row is not None and row.status == "processing" and row.attempt == 1


async def test_expired_lease_is_taken_over_live_one_is_not(db_url: str) -> None:
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, "t")
        async with sessions.begin() as session:
            assert await claim_job(session, job.id, "dead-worker", lease_s=60)
        async with sessions.begin() as session:
            assert await claim_job(session, job.id, "other", lease_s=60) is None  # live lease
        async with sessions.begin() as session:
            await session.execute(update(Job).where(Job.id == job.id).values(lease_expires_at=utcnow() - timedelta(seconds=1)))
        async with sessions.begin() as session:
            taken = await claim_job(session, job.id, "other", lease_s=60)
            assert taken is not None and taken.lease_owner == "other" and taken.attempt == 2
        async with sessions.begin() as session:
            assert not await renew_lease(session, job.id, "dead-worker", 60)
            assert await renew_lease(session, job.id, "other", 60)


async def test_finished_job_cannot_be_claimed(db_url: str) -> None:
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, "t")
        async with sessions.begin() as session:
            await session.execute(update(Job).where(Job.id == job.id).values(status="completed"))
        async with sessions.begin() as session:
            assert await claim_job(session, job.id, "w", lease_s=60) is None


async def test_keys_authenticate_and_tenancy_hides_other_accounts_jobs(db_url: str) -> None:
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, "t")
        async with sessions.begin() as session:
            other = await get_or_create_account(session, "someone-else")
            _, key = await create_key(session, other)
        async with sessions() as session:
            principal = await authenticate(session, key)
            assert principal is not None and principal.account_id == other.id
            assert await authenticate(session, key[:-1] + ("A" if key[-1] != "A" else "B")) is None
            assert await get_job(session, job.id, other.id) is None
            assert await get_job(session, job.id, job.account_id) is not None
