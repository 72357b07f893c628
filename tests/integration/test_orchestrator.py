"""Orchestrator idempotence on a real database. The pipeline here is a counting fake: these tests are about
the state machine and redelivery, the real pipeline is exercised end to end in tests/e2e."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inference.errors import MediaDecodeError
from schemas.events import JobQueued, decode_event
from schemas.options import JobOptions
from schemas.result import Segment, Transcript, Word
from store.jobs import get_job
from store.models import Job, OutboxEvent
from store.types import utcnow
from streams.orchestrator import Orchestrator, ProgressFn
from tests.integration import workers
from tests.integration.helpers import database, new_queued_job

TOPIC = "jobs"


class CountingPipeline:
    def __init__(self, fail_with: Exception | None = None, hold: asyncio.Event | None = None) -> None:
        self.prepared = 0
        self.transcribed = 0
        self.fail_with = fail_with
        self.hold = hold

    async def prepare(self, media_path: Path) -> str:
        self.prepared += 1
        if self.fail_with:
            raise self.fail_with
        return "prepared"

    async def transcribe(self, prepared: object, options: JobOptions, on_progress: ProgressFn) -> Transcript:
        self.transcribed += 1
        if self.hold is not None:
            await self.hold.wait()
        await on_progress(1, 2)
        await on_progress(2, 2)
        return Transcript(
            language="en", duration=2.0, model="fake", text="hi",
            segments=[Segment(id=0, start=0.0, end=1.0, text="hi")],
            words=[Word(word="hi", start=0.0, end=1.0, probability=0.9)],
        )


def _orchestrator(sessions: async_sessionmaker[AsyncSession], tmp: Path, pipeline: object, owner: str = "w1") -> Orchestrator:
    return workers.orchestrator(sessions, tmp, pipeline, topic=TOPIC, owner=owner)


async def _event_types(sessions: async_sessionmaker[AsyncSession], job_id: str) -> list[str]:
    async with sessions() as session:
        rows = (await session.execute(select(OutboxEvent).where(OutboxEvent.key == job_id).order_by(OutboxEvent.id))).scalars()
        return [decode_event(r.value).type for r in rows]


async def test_a_job_runs_once_however_often_job_queued_arrives(db_url: str, tmp_path: Path) -> None:
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, TOPIC)
        pipeline = CountingPipeline()
        orchestrator = _orchestrator(sessions, tmp_path, pipeline)
        queued = JobQueued(job_id=job.id, account_id=job.account_id)
        await orchestrator.handle(queued)
        await orchestrator.handle(queued)  # redelivery of the same event
        await orchestrator.handle(JobQueued(job_id=job.id, account_id=job.account_id))  # a duplicate with a new id
        assert (pipeline.prepared, pipeline.transcribed) == (1, 1)
        types = await _event_types(sessions, job.id)
        assert types == [
            "job.created", "job.queued", "job.stage_started", "job.stage_completed", "job.progress",
            "job.stage_started", "job.progress", "job.progress", "job.stage_completed", "job.completed",
        ]
        async with sessions() as session:
            row = await get_job(session, job.id)
        assert row is not None and (row.status, row.progress, row.duration) == ("completed", 100, 2.0)
        assert (tmp_path / "results" / job.id / "transcript.json").is_file()


async def test_concurrent_deliveries_to_two_workers_run_the_job_once(db_url: str, tmp_path: Path) -> None:
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, TOPIC)
        pipelines = [CountingPipeline(), CountingPipeline()]
        workers = [_orchestrator(sessions, tmp_path, p, owner=f"w{i}") for i, p in enumerate(pipelines)]
        queued = JobQueued(job_id=job.id, account_id=job.account_id)
        await asyncio.gather(*(w.handle(queued) for w in workers))
        assert sum(p.transcribed for p in pipelines) == 1
        assert (await _event_types(sessions, job.id)).count("job.completed") == 1


async def _run_failing(db_url: str, tmp_path: Path, error: Exception) -> Job:
    """A job whose pipeline raises `error` while decoding, run to its end; its row."""
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, TOPIC)
        await _orchestrator(sessions, tmp_path, CountingPipeline(error)).handle(JobQueued(job_id=job.id, account_id=job.account_id))
        async with sessions() as session:
            row = await get_job(session, job.id)
    assert row is not None
    return row


async def test_decode_error_fails_the_job_with_its_code(db_url: str, tmp_path: Path) -> None:
    row = await _run_failing(db_url, tmp_path, MediaDecodeError("could not decode media: the file is empty"))
    assert (row.status, row.error_code, row.error_message) == ("failed", "media_decode_error", "could not decode media: the file is empty")


async def test_unexpected_error_fails_the_job_without_leaking_internals(db_url: str, tmp_path: Path) -> None:
    row = await _run_failing(db_url, tmp_path, RuntimeError("secret stack detail"))
    assert row is not None and row.status == "failed" and row.error_code == "internal_error"
    assert "secret" not in (row.error_message or "")


async def test_a_worker_that_lost_its_lease_does_not_overwrite_the_new_owner(db_url: str, tmp_path: Path) -> None:
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, TOPIC)
        hold = asyncio.Event()
        slow = CountingPipeline(hold=hold)
        first = asyncio.create_task(_orchestrator(sessions, tmp_path, slow, owner="slow").handle(JobQueued(job_id=job.id, account_id=job.account_id)))
        while slow.transcribed == 0:
            await asyncio.sleep(0.01)
        # The slow worker looks dead: its lease expires and another worker takes the job over and finishes.
        async with sessions.begin() as session:
            await session.execute(update(Job).where(Job.id == job.id).values(lease_expires_at=utcnow() - timedelta(seconds=1)))
        fast = CountingPipeline()
        await _orchestrator(sessions, tmp_path, fast, owner="fast").handle(JobQueued(job_id=job.id, account_id=job.account_id))
        hold.set()
        await first
        assert fast.transcribed == 1
        types = await _event_types(sessions, job.id)
        assert types.count("job.completed") == 1 and "job.failed" not in types
