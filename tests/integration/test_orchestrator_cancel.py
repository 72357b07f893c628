"""Cancel while processing: the running work stops (through the job.canceled event or, if that event waits
behind busy agents, by noticing the lost lease) and the job never completes. Completion removes the media."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schemas.events import JobCanceled, JobQueued, decode_event
from jobs import usecases
from store.jobs import get_job, lock_job
from store.keys import Principal
from store.models import Job, OutboxEvent
from store.objects import LocalObjectStore
from tests.integration import workers
from tests.integration.helpers import database, new_queued_job
from tests.integration.test_orchestrator import CountingPipeline

TOPIC = "jobs"


async def _cancel(sessions: async_sessionmaker[AsyncSession], job: Job) -> JobCanceled:
    """What POST /v1/jobs/{id}/cancel does: the jobs domain's cancel, with its effects."""
    owner = Principal(account_id=job.account_id, key_id="k", scopes=frozenset(), live=True)
    async with sessions.begin() as session:
        await usecases.cancel(session, workers.job_effects(TOPIC), owner, job.id)
    async with sessions() as session:
        rows = (await session.execute(select(OutboxEvent).where(OutboxEvent.key == job.id).order_by(OutboxEvent.id))).scalars()
        event = decode_event(list(rows)[-1].value)
    assert isinstance(event, JobCanceled)
    return event


async def _types(sessions: async_sessionmaker[AsyncSession], job_id: str) -> list[str]:
    async with sessions() as session:
        rows = (await session.execute(select(OutboxEvent).where(OutboxEvent.key == job_id).order_by(OutboxEvent.id))).scalars()
        return [decode_event(r.value).type for r in rows]


async def _run_and_cancel(db_url: str, tmp_path: Path, *, deliver_event: bool) -> None:
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, TOPIC)
        hold = asyncio.Event()  # never set: the transcription would run forever
        pipeline = CountingPipeline(hold=hold)
        orchestrator = workers.orchestrator(sessions, tmp_path, pipeline, topic=TOPIC, cancel_poll_s=0.1)
        run = asyncio.create_task(orchestrator.handle(JobQueued(job_id=job.id, account_id=job.account_id)))
        while pipeline.transcribed == 0:
            await asyncio.sleep(0.01)
        canceled = await _cancel(sessions, job)
        if deliver_event:
            await orchestrator.handle(canceled)
        await asyncio.wait_for(run, timeout=5)  # the work stopped without the pipeline ever returning
        hold.set()
        async with sessions() as session:
            row = await get_job(session, job.id)
        assert row is not None and row.status == "canceled"
        types = await _types(sessions, job.id)
        assert types[-1] == "job.canceled" and "job.completed" not in types and "job.failed" not in types


async def test_job_canceled_event_stops_the_running_job(db_url: str, tmp_path: Path) -> None:
    await _run_and_cancel(db_url, tmp_path, deliver_event=True)


async def test_a_cancel_is_noticed_through_the_lease_without_the_event(sqlite_url: str, tmp_path: Path) -> None:
    await _run_and_cancel(sqlite_url, tmp_path, deliver_event=False)


async def test_completion_deletes_the_source_media(sqlite_url: str, tmp_path: Path) -> None:
    async with database(sqlite_url) as sessions:
        job = await new_queued_job(sessions, TOPIC, media_key="media/x/source")
        objects = LocalObjectStore(tmp_path)
        # new_queued_job uses a fixed media key; put the job's media under its own prefix like the API does
        async with sessions.begin() as session:
            row = await lock_job(session, job.id)
            assert row is not None
            row.media_key = f"media/{job.id}/source"
        await objects.put_bytes(f"media/{job.id}/source", b"audio")
        await workers.orchestrator(sessions, objects, CountingPipeline(), topic=TOPIC).handle(
            JobQueued(job_id=job.id, account_id=job.account_id)
        )
        assert not (tmp_path / "media" / job.id).exists()
        assert (tmp_path / "results" / job.id / "transcript.json").is_file()
