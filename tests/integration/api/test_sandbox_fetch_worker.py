"""The worker side of sandbox jobs and media_url fetching: the orchestrator (fake pipeline) on a real SQLite
database, a real local HTTP server for the downloads."""

from __future__ import annotations

import asyncio
import http.server
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schemas.events import JobCreated, JobCreatedPayload, JobQueued, decode_event
from schemas.options import JobOptions
from schemas.result import Transcript
from store.jobs import get_job
from store.keys import get_or_create_account
from jobs.lifecycle import record
from store.models import Job, OutboxEvent, WebhookDelivery
from streams.fetch import FetchSettings
from streams.orchestrator import Orchestrator
from tests.integration import workers
from tests.integration.helpers import database
from tests.integration.test_orchestrator import CountingPipeline

TOPIC = "jobs"


async def _job(sessions: async_sessionmaker[AsyncSession], *, options: dict[str, Any], sandbox: bool = False, media_url: str | None = None) -> Job:
    async with sessions.begin() as session:
        account = await get_or_create_account(session, f"acct-{uuid.uuid4().hex[:8]}")
        job_id = str(uuid.uuid4())
        job = Job(id=job_id, account_id=account.id, status="pending", options=options, sandbox=sandbox,
                  media_url=media_url, media_key=f"media/{job_id}/source")
        session.add(job)
        created = JobCreated(job_id=job_id, account_id=account.id, payload=JobCreatedPayload(
            media_key=job.media_key, filename=None, content_type=None, size_bytes=None, options=JobOptions.model_validate(options)))
        record(session, job, [created, JobQueued(job_id=job_id, account_id=account.id)], TOPIC)
    return job


def _orchestrator(sessions: async_sessionmaker[AsyncSession], tmp: Path, pipeline: CountingPipeline, **fetch: Any) -> Orchestrator:
    effects = workers.job_effects(TOPIC, webhooks_topic="webhooks")
    fetch_settings = FetchSettings(**{"max_bytes": 1 << 20, "timeout_s": 5.0, "allow_private": True, **fetch})
    return workers.orchestrator(sessions, tmp, pipeline, topic=TOPIC, effects=effects, media_fetch=fetch_settings)


async def _row(sessions: async_sessionmaker[AsyncSession], job_id: str) -> Job:
    async with sessions() as session:
        job = await get_job(session, job_id)
    assert job is not None
    return job


async def _types(sessions: async_sessionmaker[AsyncSession], job_id: str) -> list[str]:
    async with sessions() as session:
        rows = (await session.execute(select(OutboxEvent).where(OutboxEvent.key == job_id, OutboxEvent.topic == TOPIC).order_by(OutboxEvent.id))).scalars()
        return [decode_event(r.value).type for r in rows]


async def _run(o: Orchestrator, job: Job) -> None:
    await o.handle(JobQueued(job_id=job.id, account_id=job.account_id))


# ---- sandbox ----------------------------------------------------------------------------------------


async def test_sandbox_completes_with_a_sample_and_webhooks_without_a_model(sqlite_url: str, tmp_path: Path) -> None:
    async with database(sqlite_url) as sessions:
        job = await _job(sessions, sandbox=True, options={"sandbox": {"finish_in": 0}, "webhook_url": "https://93.184.216.34/hook"})
        pipeline = CountingPipeline()
        await _run(_orchestrator(sessions, tmp_path, pipeline), job)
        row = await _row(sessions, job.id)
        assert (row.status, row.cost_cents, row.duration) == ("completed", None, 10.0)
        assert (pipeline.prepared, pipeline.transcribed) == (0, 0)
        Transcript.model_validate_json((tmp_path / "results" / job.id / "transcript.json").read_bytes())
        assert (await _types(sessions, job.id))[-1] == "job.completed"
        async with sessions() as session:
            deliveries = list((await session.execute(select(WebhookDelivery).where(WebhookDelivery.job_id == job.id))).scalars())
        assert [d.event for d in deliveries] == ["job.completed"] and deliveries[0].payload["sandbox"] is True


async def test_sandbox_fails_after_its_delay(sqlite_url: str, tmp_path: Path) -> None:
    async with database(sqlite_url) as sessions:
        job = await _job(sessions, sandbox=True, options={"sandbox": {"finish_in": 0.3, "finish_with_error": True}})
        await _run(_orchestrator(sessions, tmp_path, CountingPipeline()), job)
        assert (await _row(sessions, job.id)).status == "processing"  # the wait does not hold a job slot
        await asyncio.sleep(1.0)
        row = await _row(sessions, job.id)
        assert (row.status, row.error_code) == ("failed", "sandbox_simulated_failure")


async def test_sandbox_without_options_stays_processing(sqlite_url: str, tmp_path: Path) -> None:
    async with database(sqlite_url) as sessions:
        job = await _job(sessions, sandbox=True, options={})
        await _run(_orchestrator(sessions, tmp_path, CountingPipeline()), job)
        assert (await _row(sessions, job.id)).status == "processing"


# ---- media_url ----------------------------------------------------------------------------------------


@pytest.fixture
def media_server(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "www"
    root.mkdir()
    (root / "call.wav").write_bytes(b"RIFF" + b"\0" * 2000)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a: Any, **k: Any) -> None:
            super().__init__(*a, directory=str(root), **k)

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/call.wav")
                self.end_headers()
                return
            super().do_GET()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


async def test_media_url_is_fetched_before_decoding(sqlite_url: str, tmp_path: Path, media_server: str) -> None:
    async with database(sqlite_url) as sessions:
        job = await _job(sessions, options={}, media_url=f"{media_server}/redirect")
        pipeline = CountingPipeline()
        decoded_before = _stage_count("decoding")
        await _run(_orchestrator(sessions, tmp_path / "objects", pipeline), job)
        assert (await _row(sessions, job.id)).status == "completed"
        assert pipeline.prepared == 1
        assert _stage_count("decoding") == decoded_before + 1  # the worker's stage histogram (shown on /metrics)


def _stage_count(stage: str) -> float:
    return REGISTRY.get_sample_value("parlance_stage_duration_seconds_count", {"stage": stage}) or 0.0


@pytest.mark.parametrize(
    ("path", "fetch", "message"),
    [
        ("/missing.wav", {}, "HTTP 404"),
        ("/call.wav", {"max_bytes": 100}, "limit"),
        ("/call.wav", {"allow_private": False}, "refused"),
    ],
)
async def test_media_fetch_problems_fail_the_job(
    sqlite_url: str, tmp_path: Path, media_server: str, path: str, fetch: dict[str, Any], message: str
) -> None:
    async with database(sqlite_url) as sessions:
        job = await _job(sessions, options={}, media_url=media_server + path)
        pipeline = CountingPipeline()
        await _run(_orchestrator(sessions, tmp_path / "objects", pipeline, **fetch), job)
        row = await _row(sessions, job.id)
        assert (row.status, row.error_code) == ("failed", "media_fetch_error")
        assert message in (row.error_message or "") and pipeline.prepared == 0
        assert not (tmp_path / "objects" / "media" / job.id / "source").exists()
