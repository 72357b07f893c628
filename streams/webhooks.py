"""Webhook delivery: the dispatcher (a Faust agent on `parlance.webhooks` that POSTs signed JSON). The rows it
sends were requested by `webhooks.deliveries.request_deliveries` in the transaction that recorded the job's
terminal event (`jobs.effects`); signing, payloads and the URL policy live in the `webhooks` package.

Delivery rules: 10 s timeout; a 2xx is success; network errors and 5xx are retried up to 3 times after
1 s, 2 s, 4 s; any other status (4xx, 3xx: redirects are not followed) ends the delivery at once. Every
attempt is appended to the delivery row, which `GET /v1/webhooks/{id}/deliveries` shows. A redelivered
message finds its row: a finished delivery is never sent again.

Fairness (one tenant's slow receiver must not delay everyone):
- A consumer never sleeps. An attempt that should be retried sets the row's `next_attempt_at` (its due time)
  and frees its slot; the dispatcher's timer (`run_due`, every `poll_s`) claims due rows with a
  compare-and-set and runs them. A row with `next_attempt_at` set belongs to that schedule: a Kafka message
  for it (a redelivery) is ignored. The schedule lives in the job store, so it survives restarts, and any
  worker may run a due retry (a claim lapses after `claim_s` if its worker died).
- At most `per_endpoint` attempts to one endpoint (the job's own `webhook_url` counts as its own endpoint)
  run at once in a worker; a delivery that finds its endpoint's slots taken is deferred by `defer_s` without
  an attempt. A hanging receiver therefore holds `per_endpoint` slots for `timeout_s` each, never all of them.
- An endpoint deleted meanwhile ends its pending deliveries (the API fails them, and each attempt re-reads
  the endpoint's secret first).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
from faust.types import StreamT
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schemas.events import WebhookRequested
from store.types import utcnow
from webhooks.deliveries import (
    FAILED,
    PENDING,
    SUCCEEDED,
    claim_due,
    defer,
    get_delivery,
    record_attempt,
    secret_for,
)
from webhooks.payloads import JobEventBody
from webhooks.send import new_client, post_signed
from webhooks.urls import UrlRefused

log = logging.getLogger(__name__)


class EndpointSlots:
    """Attempts in flight per endpoint in this process: take one without waiting, or learn that none is free."""

    def __init__(self, per_endpoint: int) -> None:
        self.per_endpoint = per_endpoint
        self._busy: Counter[str] = Counter()

    def try_take(self, endpoint: str) -> bool:
        if self._busy[endpoint] >= self.per_endpoint:
            return False
        self._busy[endpoint] += 1
        return True

    def give_back(self, endpoint: str) -> None:
        self._busy[endpoint] -= 1
        if self._busy[endpoint] <= 0:
            del self._busy[endpoint]


class WebhookDispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        timeout_s: float = 10.0,
        max_retries: int = 3,
        backoff_s: float = 1.0,
        allow_private_urls: bool = False,
        client: httpx.AsyncClient | None = None,
        per_endpoint: int = 2,
        scheduled_concurrency: int = 8,
        defer_s: float = 1.0,
    ) -> None:
        """`per_endpoint`: attempts to one endpoint at once; `scheduled_concurrency`: due retries run at once
        by `run_due` (besides the agent's own actors); `defer_s`: how long a delivery waits when its endpoint
        has no free slot."""
        self._sessions = sessions
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.allow_private_urls = allow_private_urls
        self._client = client or new_client()
        self.slots = EndpointSlots(per_endpoint)
        self.scheduled_concurrency = scheduled_concurrency
        self.defer_s = defer_s
        # A claim outlives any attempt (the timeout, plus the time to record it) before another worker retakes it.
        self.claim_s = timeout_s * 2 + 5
        self._running: set[asyncio.Task[str | None]] = set()

    async def close(self) -> None:
        for task in list(self._running):
            task.cancel()
        await asyncio.gather(*self._running, return_exceptions=True)
        await self._client.aclose()

    async def deliver(self, delivery_id: str) -> str | None:
        """The agent's entry: one attempt of a newly requested delivery, unless the schedule owns it (a retry or
        a deferral is due later: this message is a redelivery) or it already finished. Returns its status."""
        return await self._run(delivery_id, scheduled=False)

    async def run_due(self, limit: int | None = None) -> list[str]:
        """Claim the deliveries whose next attempt is due (as many as there are free scheduled slots) and start
        them in the background; returns their ids. Called by the agent's timer: it never waits for receivers."""
        self._running = {t for t in self._running if not t.done()}
        free = self.scheduled_concurrency - len(self._running)
        if free <= 0:
            return []
        now = utcnow()
        async with self._sessions.begin() as session:
            claimed = await claim_due(
                session, now=now, claim_until=now + timedelta(seconds=self.claim_s), limit=min(free, limit or free)
            )
        for delivery_id in claimed:
            task = asyncio.create_task(self._run(delivery_id, scheduled=True), name=f"webhook-{delivery_id}")
            self._running.add(task)
        return claimed

    async def wait_running(self) -> None:
        """Until the attempts started by `run_due` finished (tests, shutdown)."""
        await asyncio.gather(*self._running, return_exceptions=True)

    async def _run(self, delivery_id: str, *, scheduled: bool) -> str | None:
        async with self._sessions() as session:
            row = await get_delivery(session, delivery_id)
            if row is None:
                log.warning("webhook delivery %s: no such row; message ignored", delivery_id)
                return None
            if row.status != PENDING:
                return row.status  # redelivered message: this delivery already finished
            if not scheduled and row.next_attempt_at is not None:
                return PENDING  # the schedule owns it: a retry or a deferral is due, run by run_due
            secret = await secret_for(session, row)
            url, event, done = row.url, row.event, len(row.attempts or [])
            body = JobEventBody.model_validate({**row.payload, "delivery_id": delivery_id}).model_dump_json().encode()
            endpoint = row.endpoint_id or f"job-url:{url}"
        if secret is None:
            await self._record(delivery_id, {"error": "endpoint deleted"}, FAILED)
            return FAILED
        if not self.slots.try_take(endpoint):
            await self._schedule(delivery_id, self.defer_s)  # its endpoint has its share already: later
            return PENDING
        try:
            outcome, final = await self._attempt(url, event, delivery_id, secret, body)
        finally:
            self.slots.give_back(endpoint)
        outcome["attempt"] = done + 1
        if final is None and done < self.max_retries:
            await self._record(delivery_id, outcome, PENDING, retry_in=self.backoff_s * 2**done)
            return PENDING
        status = final or FAILED
        await self._record(delivery_id, outcome, status)
        return status

    async def _attempt(self, url: str, event: str, delivery_id: str, secret: str, body: bytes) -> tuple[dict[str, Any], str | None]:
        """One POST. Returns the attempt's record and SUCCEEDED / FAILED when it ends the delivery, else None."""
        started = time.monotonic()
        record: dict[str, Any] = {"at": utcnow().isoformat().replace("+00:00", "Z"), "status_code": None, "error": None}
        try:
            response = await post_signed(
                self._client, url, body, message_id=delivery_id, event=event, secret=secret,
                allow_private=self.allow_private_urls, timeout_s=self.timeout_s,
            )
        except UrlRefused as exc:
            record["error"] = f"refused: {exc}"
            return record, FAILED
        except httpx.HTTPError as exc:
            record["error"] = f"{type(exc).__name__}: {exc}"[:300]
            final = None
        else:
            record["status_code"] = response.status_code
            if 200 <= response.status_code < 300:
                final = SUCCEEDED
            elif response.status_code >= 500:
                final = None
            else:
                final = FAILED  # 4xx (and unfollowed redirects): the receiver refused it; retrying will not help
        record["duration_ms"] = round((time.monotonic() - started) * 1000, 1)
        return record, final

    async def _record(
        self, delivery_id: str, attempt: dict[str, Any], status: str, *, retry_in: float | None = None
    ) -> None:
        """Append the attempt and set the outcome; `retry_in`: schedule the next attempt that many seconds on."""
        async with self._sessions.begin() as session:
            retry_at = utcnow() + timedelta(seconds=retry_in) if retry_in is not None else None
            await record_attempt(session, delivery_id, attempt, status, retry_at=retry_at)

    async def _schedule(self, delivery_id: str, delay_s: float) -> None:
        async with self._sessions.begin() as session:
            await defer(session, delivery_id, utcnow() + timedelta(seconds=delay_s))


def attach_webhook_dispatcher(
    app: Any,
    topic_name: str,
    dispatcher: Callable[[], WebhookDispatcher],
    *,
    partitions: int,
    concurrency: int,
    on_undecodable: Callable[[bytes | None, bytes, str], Awaitable[None]],
    poll_s: float = 0.5,
) -> Any:
    """The Faust agent on `parlance.webhooks` (first attempts) and the timer that runs due retries and deferrals
    every `poll_s`. An actor holds one attempt at most (`timeout_s`), never a retry's wait; deliveries of one
    endpoint are not ordered relative to each other."""
    topic = app.topic(topic_name, key_serializer="raw", value_serializer="raw", partitions=partitions)

    @app.timer(interval=poll_s, name="webhook_retries")
    async def run_due_webhooks() -> None:
        try:
            await dispatcher().run_due()
        except Exception:  # noqa: BLE001 - the next tick tries again; the rows stay due
            log.exception("webhook retry sweep failed")

    @app.agent(topic, concurrency=concurrency, name="deliver_webhooks")
    async def deliver_webhooks(stream: StreamT[bytes]) -> None:
        async for key, raw in stream.items():
            try:
                message = WebhookRequested.model_validate_json(raw)
            except ValueError as exc:
                await on_undecodable(key, raw, f"decode: {exc}")
                continue
            try:
                await dispatcher().deliver(message.delivery_id)
            except Exception as exc:  # noqa: BLE001 - one bad delivery must not stop the agent
                log.exception("webhook delivery %s failed unexpectedly", message.delivery_id)
                await on_undecodable(key, raw, f"handle: {exc!r}")

    return deliver_webhooks
