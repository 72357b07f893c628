"""Webhook delivery against a real local receiver (127.0.0.1 only): signatures checked by the receiver with
the Standard Webhooks library, as a customer would, scheduled retries with backoff on 5xx and network
errors, none on 4xx, attempts recorded, and a redelivered message never producing a second delivery."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks import Webhook, WebhookVerificationError

from schemas.events import JobCompleted, JobCompletedPayload, JobQueued, WebhookRequested
from store.jobs import get_job
from store.models import OutboxEvent, WebhookDelivery, WebhookEndpoint
from streams.webhooks import WebhookDispatcher
from tests.integration import workers
from tests.integration.helpers import database, new_queued_job
from tests.integration.test_orchestrator import CountingPipeline
from webhooks.deliveries import get_delivery, request_deliveries
from webhooks.endpoints import create_endpoint

SECRET_HEADERS = ("X-Parlance-Event", "webhook-id", "webhook-timestamp", "webhook-signature")


@dataclass
class Receiver:
    """Answers with the next status of `script` (then 200), verifying each request like a customer would."""

    secret: str = ""
    raw_key: bool = False  # a secret issued before Standard Webhooks: its bytes are the key
    script: list[int] = field(default_factory=list)
    received: list[dict] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        try:
            Webhook(self.secret.encode() if self.raw_key else self.secret).verify(body, dict(request.headers))
            valid = True
        except WebhookVerificationError:
            valid = False
        self.received.append({
            "at": time.monotonic(), "valid": valid, "json": json.loads(body),
            "headers": {h: request.headers.get(h) for h in SECRET_HEADERS},
        })
        return web.Response(status=self.script.pop(0) if self.script else 200)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    rec = Receiver()
    app = web.Application()
    app.router.add_post("/hook", rec.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    rec.url = f"http://127.0.0.1:{port}/hook"
    yield rec
    await runner.cleanup()


async def _completed_job_with_endpoint(sessions: async_sessionmaker[AsyncSession], tmp: Path, url: str) -> tuple[str, str]:
    """A job run by the orchestrator with the webhook trigger; returns (job id, endpoint secret)."""
    job = await new_queued_job(sessions, "jobs")
    async with sessions.begin() as session:
        endpoint = await create_endpoint(session, job.account_id, url, ["job.completed", "job.failed"])
    effects = workers.job_effects("jobs", webhooks_topic="hooks", public_url="https://api.example")
    orchestrator = workers.orchestrator(sessions, tmp, CountingPipeline(), topic="jobs", effects=effects)
    await orchestrator.handle(JobQueued(job_id=job.id, account_id=job.account_id))
    return job.id, endpoint.secret


async def _delivery_ids(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessions() as session:
        rows = (await session.execute(select(OutboxEvent).where(OutboxEvent.topic == "hooks"))).scalars()
        return [WebhookRequested.model_validate_json(r.value).delivery_id for r in rows]


async def drive(dispatcher: WebhookDispatcher, sessions: async_sessionmaker[AsyncSession], delivery: str) -> str | None:
    """A delivery as the worker runs it: the agent's attempt, then the timer's scheduled retries until it ends
    (the test polls like the timer ticks; nothing in the dispatcher sleeps)."""
    status = await dispatcher.deliver(delivery)
    while status == "pending":
        await asyncio.sleep(0.02)
        await dispatcher.run_due()
        await dispatcher.wait_running()
        async with sessions() as session:
            row = await get_delivery(session, delivery)
        status = row.status if row is not None else None
    return status


async def test_signed_delivery_with_retries_on_5xx(db_url: str, tmp_path: Path, receiver: Receiver) -> None:
    async with database(db_url) as sessions:
        job_id, secret = await _completed_job_with_endpoint(sessions, tmp_path, receiver.url)
        receiver.secret, receiver.script = secret, [500, 503]
        [delivery] = await _delivery_ids(sessions)
        dispatcher = WebhookDispatcher(sessions, backoff_s=0.2, allow_private_urls=True)
        try:
            assert await drive(dispatcher, sessions, delivery) == "succeeded"
            assert await dispatcher.deliver(delivery) == "succeeded"  # redelivered message: nothing is sent
        finally:
            await dispatcher.close()
        assert len(receiver.received) == 3 and all(r["valid"] for r in receiver.received)
        gaps = [b["at"] - a["at"] for a, b in zip(receiver.received, receiver.received[1:])]
        # Backoff guarantees minimum waits (1x, then 2x the base); no upper bound: a loaded machine may be slower.
        assert gaps[0] >= 0.18 and gaps[1] >= 0.38, gaps
        first = receiver.received[0]
        assert {r["headers"]["webhook-id"] for r in receiver.received} == {delivery}
        assert first["headers"]["X-Parlance-Event"] == "job.completed"
        payload = first["json"]
        assert (payload["event"], payload["job_id"], payload["status"], payload["delivery_id"]) == ("job.completed", job_id, "completed", delivery)
        assert payload["exports"]["srt"] == f"https://api.example/v1/jobs/{job_id}/exports/srt" and payload["completed_at"].endswith("Z")
        async with sessions() as session:
            row = await get_delivery(session, delivery)
        assert row is not None and row.status == "succeeded" and row.delivered_at is not None
        assert [a["status_code"] for a in row.attempts] == [500, 503, 200] and [a["attempt"] for a in row.attempts] == [1, 2, 3]


async def test_4xx_is_not_retried_and_5xx_gives_up_after_three_retries(db_url: str, tmp_path: Path, receiver: Receiver) -> None:
    async with database(db_url) as sessions:
        _, secret = await _completed_job_with_endpoint(sessions, tmp_path, receiver.url)
        receiver.secret, receiver.script = secret, [410]
        [delivery] = await _delivery_ids(sessions)
        dispatcher = WebhookDispatcher(sessions, backoff_s=0.01, allow_private_urls=True)
        try:
            assert await dispatcher.deliver(delivery) == "failed"  # at once: no retry is scheduled
            assert len(receiver.received) == 1
            _, secret2 = await _completed_job_with_endpoint(sessions, tmp_path, receiver.url)
            receiver.secret, receiver.script, receiver.received = secret2, [500] * 10, []
            second = [d for d in await _delivery_ids(sessions) if d != delivery][0]
            assert await drive(dispatcher, sessions, second) == "failed"
            assert len(receiver.received) == 4  # the first try and 3 retries
        finally:
            await dispatcher.close()


async def test_network_errors_are_retried_and_recorded(db_url: str, tmp_path: Path) -> None:
    async with database(db_url) as sessions:
        _, _ = await _completed_job_with_endpoint(sessions, tmp_path, "http://127.0.0.1:9/nothing-listens")
        [delivery] = await _delivery_ids(sessions)
        dispatcher = WebhookDispatcher(sessions, backoff_s=0.01, allow_private_urls=True)
        try:
            assert await drive(dispatcher, sessions, delivery) == "failed"
        finally:
            await dispatcher.close()
        async with sessions() as session:
            row = await get_delivery(session, delivery)
        assert row is not None and len(row.attempts) == 4 and all(a["status_code"] is None and a["error"] for a in row.attempts)


async def test_a_secret_issued_before_standard_webhooks_still_signs(db_url: str, tmp_path: Path, receiver: Receiver) -> None:
    async with database(db_url) as sessions:
        await _completed_job_with_endpoint(sessions, tmp_path, receiver.url)
        legacy = "whsec_" + secrets.token_urlsafe(32)  # what store/webhooks.new_secret made until then
        async with sessions.begin() as session:
            endpoint = (await session.execute(select(WebhookEndpoint))).scalar_one()
            endpoint.secret = legacy
        receiver.secret, receiver.raw_key = legacy, True
        [delivery] = await _delivery_ids(sessions)
        dispatcher = WebhookDispatcher(sessions, allow_private_urls=True)
        try:
            assert await dispatcher.deliver(delivery) == "succeeded"
        finally:
            await dispatcher.close()
        assert [r["valid"] for r in receiver.received] == [True]


async def test_private_addresses_are_refused_unless_allowed(db_url: str, tmp_path: Path, receiver: Receiver) -> None:
    async with database(db_url) as sessions:
        await _completed_job_with_endpoint(sessions, tmp_path, receiver.url)
        [delivery] = await _delivery_ids(sessions)
        dispatcher = WebhookDispatcher(sessions, backoff_s=0.01)
        try:
            assert await dispatcher.deliver(delivery) == "failed"
        finally:
            await dispatcher.close()
        assert receiver.received == []


async def test_recording_the_same_event_again_makes_no_second_delivery(db_url: str, tmp_path: Path) -> None:
    async with database(db_url) as sessions:
        job_id, _ = await _completed_job_with_endpoint(sessions, tmp_path, "https://example.com/hook")
        async with sessions() as session:
            row = (await session.execute(select(WebhookDelivery))).scalar_one()
            job = await get_job(session, job_id)
        assert job is not None
        event = JobCompleted(event_id=row.event_id, job_id=job_id, account_id=job.account_id,
                             payload=JobCompletedPayload(result_key="r", duration=1.0, language="en"))
        async with sessions.begin() as session:
            assert await request_deliveries(session, job, [event], "hooks") == []
        assert len(await _delivery_ids(sessions)) == 1
