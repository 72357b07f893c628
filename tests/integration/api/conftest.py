"""A real API app (lifespan: migrated SQLite, embedded chDB in the test's data dir, the local Kafka broker)
driven over ASGI, with helpers to make accounts, keys and jobs."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from api.settings import ApiSettings
from api.state import ApiState
from schemas.events import ErrorInfo, JobFailed, JobFailedPayload, JobStageStarted, Stage, StagePayload
from store.jobs import lock_job
from store.keys import create_key, get_or_create_account
from jobs.lifecycle import record
from tests.support.samples import sample_wav


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


class Env:
    def __init__(self, app: FastAPI, client: httpx.AsyncClient, tmp_path: Path) -> None:
        self.app, self.client, self.tmp_path = app, client, tmp_path

    @property
    def state(self) -> ApiState:
        return self.app.state.parlance

    async def key(self, plan: str = "business", scopes: list[str] | None = None, live: bool = True, account: str | None = None) -> str:
        async with self.state.sessions.begin() as session:
            acct = await get_or_create_account(session, account or f"acct-{uuid.uuid4().hex[:8]}", plan)
            _, key = await create_key(session, acct, scopes, live=live)
            return key

    async def submit(self, key: str, options: dict[str, Any] | None = None, headers: dict[str, str] | None = None, media: bytes | None = None) -> httpx.Response:
        data = {"options": __import__("json").dumps(options)} if options else None
        return await self.client.post(
            "/v1/jobs",
            headers={**auth(key), **(headers or {})},
            files={"file": ("sample.wav", media if media is not None else sample_wav().read_bytes(), "audio/wav")},
            data=data,
        )

    async def job_id(self, key: str, **kwargs: Any) -> str:
        r = await self.submit(key, **kwargs)
        assert r.status_code == 201, r.text
        return str(r.json()["data"]["id"])

    async def fail(self, job_id: str) -> None:
        """What the worker records when a job fails (the reservation is released with it)."""
        async with self.state.sessions.begin() as session:
            job = await lock_job(session, job_id)
            assert job is not None
            record(session, job, [JobFailed(job_id=job.id, account_id=job.account_id, payload=JobFailedPayload(
                stage=Stage.decoding, error=ErrorInfo(code="media_decode_error", message="bad")))], self.state.events_topic)
            await self.state.quota.release(session, job.id)

    async def start_processing(self, job_id: str, owner: str = "w1") -> None:
        async with self.state.sessions.begin() as session:
            job = await lock_job(session, job_id)
            assert job is not None
            job.status, job.lease_owner = "processing", owner
            record(session, job, [JobStageStarted(job_id=job.id, account_id=job.account_id, payload=StagePayload(stage=Stage.decoding))], self.state.events_topic)


def settings_for(tmp_path: Path, sqlite_url: str, kafka_bootstrap: str, topic_prefix: str, **overrides: Any) -> ApiSettings:
    return ApiSettings(
        data_dir=tmp_path, database_url=sqlite_url, kafka_bootstrap=kafka_bootstrap, kafka_topic_prefix=topic_prefix,
        allow_private_urls=True, **overrides,
    )


@pytest.fixture
async def env(tmp_path: Path, sqlite_url: str, kafka_bootstrap: str, topic_prefix: str) -> AsyncIterator[Env]:
    app = create_app(settings_for(tmp_path, sqlite_url, kafka_bootstrap, topic_prefix))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            yield Env(app, client, tmp_path)
