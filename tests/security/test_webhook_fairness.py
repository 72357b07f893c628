"""Finding 4: one tenant's hanging webhook receiver delayed every tenant's deliveries (8 shared slots, each held
~47 s by retries slept inside the agent), and deleting an endpoint did not stop its pending retries.

The worker's agent is emulated faithfully here: N actors take `webhook.requested` messages in order and call
`WebhookDispatcher.deliver` (that is all the Faust agent's body does), and a timer calls `run_due` like the
agent's timer. The receivers are real HTTP servers; the deliveries are made by the real API (job cancels)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from sqlalchemy import select

from store.models import WebhookDelivery
from streams.webhooks import WebhookDispatcher
from tests.integration.api.conftest import Env, auth

AGENT_CONCURRENCY = 8  # PARLANCE_WEBHOOK_CONCURRENCY's default


@dataclass
class Receiver:
    status: int = 200
    hang_s: float = 0.0
    arrivals: list[float] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.arrivals.append(time.monotonic())
        await request.read()
        if self.hang_s:
            await asyncio.sleep(self.hang_s)
        return web.Response(status=self.status)


@pytest.fixture
async def receivers() -> AsyncIterator[tuple[Receiver, Receiver]]:
    """A hanging receiver (answers after a minute) and a healthy one, on loopback."""
    made, runners = (Receiver(hang_s=60), Receiver()), []
    for rec in made:
        app = web.Application()
        app.router.add_post("/hook", rec.handle)
        runner = web.AppRunner(app, shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        rec.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/hook"  # type: ignore[union-attr]
        runners.append(runner)
    yield made
    for runner in runners:
        await runner.cleanup()


async def _canceled_jobs(env: Env, key: str, count: int) -> None:
    for _ in range(count):
        job = await env.job_id(key)
        assert (await env.client.post(f"/v1/jobs/{job}/cancel", headers=auth(key))).status_code == 200


async def _endpoint(env: Env, key: str, url: str) -> str:
    r = await env.client.post("/v1/webhooks", json={"url": url, "events": ["job.canceled"]}, headers=auth(key))
    assert r.status_code == 201, r.text
    return str(r.json()["data"]["id"])


async def _deliveries(env: Env, endpoint: str) -> list[WebhookDelivery]:
    async with env.state.sessions() as session:
        query = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint).order_by(WebhookDelivery.created_at)
        return list((await session.execute(query)).scalars())


async def _run_worker(dispatcher: WebhookDispatcher, messages: list[str], stop: asyncio.Event) -> None:
    """The agent's actors over the messages in order, and its timer, until `stop`."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for m in messages:
        queue.put_nowait(m)

    async def actor() -> None:
        while not stop.is_set():
            try:
                delivery = queue.get_nowait()
            except asyncio.QueueEmpty:
                await asyncio.sleep(0.01)
                continue
            await dispatcher.deliver(delivery)

    async def timer() -> None:
        while not stop.is_set():
            await dispatcher.run_due()
            await asyncio.sleep(0.1)

    tasks = [asyncio.create_task(actor()) for _ in range(AGENT_CONCURRENCY)] + [asyncio.create_task(timer())]
    await stop.wait()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_a_hanging_receiver_does_not_delay_another_tenant(env: Env, receivers: tuple[Receiver, Receiver]) -> None:
    hanging, healthy = receivers
    noisy = await env.key(scopes=["jobs:read", "jobs:write", "webhooks:write"])
    quiet = await env.key(scopes=["jobs:read", "jobs:write", "webhooks:write"])
    noisy_hook, quiet_hook = await _endpoint(env, noisy, hanging.url), await _endpoint(env, quiet, healthy.url)
    await _canceled_jobs(env, noisy, 12)
    await _canceled_jobs(env, quiet, 1)
    messages = [d.id for d in await _deliveries(env, noisy_hook)] + [d.id for d in await _deliveries(env, quiet_hook)]
    assert len(messages) == 13
    # Scaled down from the defaults (10 s timeout, 1 s first backoff) so the old behaviour shows in seconds.
    dispatcher = WebhookDispatcher(env.state.sessions, timeout_s=1.0, backoff_s=0.5, allow_private_urls=True)
    stop = asyncio.Event()
    started = time.monotonic()
    worker = asyncio.create_task(_run_worker(dispatcher, messages, stop))
    try:
        async with asyncio.timeout(10):
            while not healthy.arrivals:
                await asyncio.sleep(0.01)
        delay = healthy.arrivals[0] - started
        await asyncio.sleep(0.5)  # inside the first attempt's timeout: count what the hanging receiver holds
        holding = len(hanging.arrivals)
    finally:
        stop.set()
        await worker
        await dispatcher.close()
    # Before: the healthy delivery waited for a free actor behind 8 slept retry loops (>= 7.5 s here, 42.5 s at
    # the defaults). Now the noisy endpoint holds its share (2 attempts at once) and the rest go at once.
    assert delay < 0.5, f"healthy delivery delayed {delay:.2f} s"
    assert holding == 2, hanging.arrivals


async def test_deleting_an_endpoint_stops_its_scheduled_retries(env: Env, receivers: tuple[Receiver, Receiver]) -> None:
    _, failing = receivers
    failing.status = 500
    key = await env.key(scopes=["jobs:read", "jobs:write", "webhooks:write"])
    hook = await _endpoint(env, key, failing.url)
    await _canceled_jobs(env, key, 3)
    dispatcher = WebhookDispatcher(env.state.sessions, timeout_s=1.0, backoff_s=0.2, allow_private_urls=True)
    try:
        for delivery in await _deliveries(env, hook):
            assert await dispatcher.deliver(delivery.id) == "pending"  # a 500: a retry is scheduled
        assert len(failing.arrivals) == 3
        assert (await env.client.delete(f"/v1/webhooks/{hook}", headers=auth(key))).status_code == 204
        await asyncio.sleep(0.5)  # every retry is due by now
        assert await dispatcher.run_due() == []
        await dispatcher.wait_running()
    finally:
        await dispatcher.close()
    assert len(failing.arrivals) == 3  # nothing went out after the deletion
    assert {d.status for d in await _deliveries(env, hook)} == {"failed"}
