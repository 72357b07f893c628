"""The worker's render agent: `parlance.renders` → quotes.render.QuoteRenderer, metered on `parlance.usage`.

One message at a time per worker (concurrency 1): a render is a few hundred ms of CPU, the worker's cores belong
to transcription first, and renders of one bulk batch (one key, one partition) must run in order so the last
one alone sends the callback.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Any

import httpx
from faust.types import StreamT

from metering.events import UsageRecorded, encode_usage, usage_event_id
from metering.plans import plan_or_default
from quotes.render import QuoteRenderer
from schemas.quotes import RenderRequested
from store.keys import get_account
from streams import topics

log = logging.getLogger(__name__)


def render_usage(message: RenderRequested, plan: str) -> UsageRecorded:
    """One usage row per finished render (kind `quote_render_image|video`, no seconds: renders are counted, not
    billed by the minute). The id is per render attempt, so each re-render is its own row."""
    kind = f"quote_render_{message.kind}"
    return UsageRecorded(
        event_id=usage_event_id(message.job_id, f"{kind}:{message.quote_id}:{uuid.uuid4().hex}"),
        account_id=message.account_id, job_id=message.job_id, kind=kind,
        quantity_seconds=0, billable_seconds=0, plan=plan, occurred_at=datetime.now(timezone.utc),
    )


def attach_render_agent(app: Any, prefix: str, dlq: Callable[[str, bytes | None, bytes, str], Awaitable[None]]) -> Any:
    topic_name = topics.topic_name(topics.RENDERS, prefix)
    partitions = next(t.partitions for t in topics.TOPICS if t.name == topics.RENDERS)
    topic = app.topic(topic_name, key_serializer="raw", value_serializer="raw", partitions=partitions)
    usage_topic = app.topic(topics.topic_name(topics.USAGE, prefix), key_serializer="raw", value_serializer="raw")

    @app.agent(topic, concurrency=1, name="render_quotes")
    async def render_quotes(stream: StreamT[bytes]) -> None:
        resources = app.resources
        assert resources.sessions is not None, "resources start before agents"

        async def meter(message: RenderRequested, seconds: float) -> None:
            async with resources.sessions() as session:
                account = await get_account(session, message.account_id)
            usage = render_usage(message, plan_or_default(account.plan if account else None).id)
            await usage_topic.send(key=message.account_id.encode(), value=encode_usage(usage))
            log.info("render %s of %s done in %.2f s", message.kind, message.quote_id, seconds)

        async with httpx.AsyncClient(follow_redirects=False) as client:
            renderer = QuoteRenderer(
                resources.sessions, resources.objects, meter, client, app.parlance_settings.allow_private_urls
            )
            async for key, raw in stream.items():
                try:
                    message = RenderRequested.model_validate_json(raw)
                except ValueError as exc:
                    await dlq(topic_name, key, raw, f"decode: {exc}")
                    continue
                try:
                    await renderer.render(message)
                except Exception as exc:  # noqa: BLE001 - one bad render must not stop the agent
                    log.exception("render of %s failed unexpectedly", message.quote_id)
                    await dlq(topic_name, key, raw, f"handle: {exc!r}")

    return render_quotes
