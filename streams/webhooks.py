"""Webhook delivery: the trigger (terminal job events → delivery rows + `webhook.requested` messages, in the
recording transaction) and the dispatcher (a Faust agent on `parlance.webhooks` that POSTs signed JSON).

Delivery rules: 10 s timeout; a 2xx is success; network errors and 5xx are retried up to 3 times after
1 s, 2 s, 4 s; any other status (4xx, 3xx: redirects are not followed) ends the delivery at once. Every
attempt is appended to the delivery row, which `GET /v1/webhooks/{id}/deliveries` shows. A redelivered
message finds its row: a finished delivery is never sent again, an interrupted one continues its attempts
under the same delivery id.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from faust.types import StreamT
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.webhooks.signature import sign
from api.webhooks.urls import UrlRefused, check_url
from schemas.events import JobEvent, WebhookRequested
from store.models import Job
from store.types import utcnow
from store.webhooks import FAILED, PENDING, SUCCEEDED, get_delivery, request_deliveries, secret_for

log = logging.getLogger(__name__)

USER_AGENT = "Parlance-Webhooks/1"


class WebhookTrigger:
    """The orchestrator's hook for terminal events (the API calls `store.webhooks.request_deliveries` itself)."""

    def __init__(self, topic: str, public_url: str | None = None) -> None:
        self.topic = topic
        self.public_url = public_url

    async def after_events(self, session: AsyncSession, job: Job, events: list[JobEvent]) -> None:
        await request_deliveries(session, job, events, self.topic, self.public_url)


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
    ) -> None:
        self._sessions = sessions
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.allow_private_urls = allow_private_urls
        self._client = client or httpx.AsyncClient(follow_redirects=False, headers={"User-Agent": USER_AGENT})

    async def close(self) -> None:
        await self._client.aclose()

    async def deliver(self, delivery_id: str) -> str | None:
        """Send one delivery until it succeeds, fails for good or runs out of retries; returns its status."""
        async with self._sessions() as session:
            row = await get_delivery(session, delivery_id)
            if row is None:
                log.warning("webhook delivery %s: no such row; message ignored", delivery_id)
                return None
            if row.status != PENDING:
                return row.status  # redelivered message: this delivery already finished
            secret = await secret_for(session, row)
            url, event, payload, done = row.url, row.event, row.payload, len(row.attempts or [])
        if secret is None:
            await self._record(delivery_id, {"error": "endpoint deleted"}, FAILED)
            return FAILED
        body = json.dumps({**payload, "delivery_id": delivery_id}, separators=(",", ":")).encode()
        for attempt in range(done, self.max_retries + 1):
            if attempt > 0:
                await asyncio.sleep(self.backoff_s * 2 ** (attempt - 1))
            outcome, final = await self._attempt(url, event, delivery_id, secret, body)
            outcome["attempt"] = attempt + 1
            status = final or (FAILED if attempt == self.max_retries else PENDING)
            await self._record(delivery_id, outcome, status)
            if status != PENDING:
                return status
        return FAILED

    async def _attempt(self, url: str, event: str, delivery_id: str, secret: str, body: bytes) -> tuple[dict[str, Any], str | None]:
        """One POST. Returns the attempt's record and SUCCEEDED / FAILED when it ends the delivery, else None."""
        started = time.monotonic()
        record: dict[str, Any] = {"at": utcnow().isoformat().replace("+00:00", "Z"), "status_code": None, "error": None}
        try:
            await check_url(url, allow_private=self.allow_private_urls)
        except UrlRefused as exc:
            record["error"] = f"refused: {exc}"
            return record, FAILED
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Parlance-Event": event,
            "X-Parlance-Delivery": delivery_id,
            "X-Parlance-Timestamp": timestamp,
            "X-Parlance-Signature": sign(secret, timestamp, body),
        }
        try:
            response = await self._client.post(url, content=body, headers=headers, timeout=self.timeout_s)
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

    async def _record(self, delivery_id: str, attempt: dict[str, Any], status: str) -> None:
        async with self._sessions.begin() as session:
            row = await get_delivery(session, delivery_id)
            if row is None:
                return
            row.attempts = [*(row.attempts or []), attempt]  # a new list: JSON columns track assignment
            row.status = status
            row.updated_at = utcnow()
            if status == SUCCEEDED:
                row.delivered_at = row.updated_at


def attach_webhook_dispatcher(
    app: Any,
    topic_name: str,
    dispatcher: Callable[[], WebhookDispatcher],
    *,
    partitions: int,
    concurrency: int,
    on_undecodable: Callable[[bytes | None, bytes, str], Awaitable[None]],
) -> Any:
    """The Faust agent on `parlance.webhooks`. Slow receivers hold one actor each (up to ~47 s with retries),
    hence the concurrency; deliveries of one endpoint are not ordered relative to each other."""
    topic = app.topic(topic_name, key_serializer="raw", value_serializer="raw", partitions=partitions)

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
