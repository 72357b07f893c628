"""Helpers for integration tests: a migrated database and a Kafka reader."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaConsumer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schemas.events import JobCreated, JobCreatedPayload, JobEvent, JobQueued, decode_event
from schemas.options import JobOptions
from store.db import create_engine, create_sessionmaker, migrate
from store.keys import get_or_create_account
from jobs.lifecycle import record
from store.models import Job


@asynccontextmanager
async def database(url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    await migrate(url)
    engine = create_engine(url)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


async def new_queued_job(
    sessions: async_sessionmaker[AsyncSession], topic: str, media_key: str | None = "media/x/source"
) -> Job:
    """A job as the API creates it: row + job.created + job.queued in one transaction."""
    async with sessions.begin() as session:
        account = await get_or_create_account(session, f"acct-{uuid.uuid4().hex[:8]}")
        job = Job(id=str(uuid.uuid4()), account_id=account.id, status="pending", options={}, media_key=media_key)
        session.add(job)
        created = JobCreated(
            job_id=job.id,
            account_id=account.id,
            payload=JobCreatedPayload(media_key=media_key, filename="a.wav", content_type="audio/wav", size_bytes=1, options=JobOptions()),
        )
        record(session, job, [created, JobQueued(job_id=job.id, account_id=account.id)], topic)
    return job


async def read_events(bootstrap: str, topic: str, *, expect: int, timeout_s: float = 20.0) -> list[JobEvent]:
    """Read a topic from the beginning until `expect` events arrived (or the timeout)."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    events: list[JobEvent] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout_s
        while len(events) < expect and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for messages in batch.values():
                events.extend(decode_event(m.value) for m in messages)
    finally:
        await consumer.stop()
    return events
