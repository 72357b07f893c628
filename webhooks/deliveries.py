"""Webhook delivery rows: the rule that turns a job's terminal event into deliveries, the schedule of their
attempts (`next_attempt_at`), and every query on `webhook_deliveries`.

`request_deliveries` runs in the transaction that records the terminal event (`jobs.effects`, for the
worker and the API alike): the delivery rows and their `webhook.requested` messages (outbox) commit with the
job's new status or not at all. A delivery id is a UUIDv5 of (job event id, endpoint), so a redelivered or re-recorded event finds
its delivery instead of making a second one; it is also the `webhook-id` a receiver deduplicates on.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.events import WEBHOOK_EVENTS, JobEvent, WebhookRequested
from store.models import Job, WebhookDelivery, WebhookEndpoint
from store.outbox import enqueue
from store.types import utcnow
from webhooks.endpoints import subscribed
from webhooks.payloads import job_event_payload

_NAMESPACE = uuid.UUID("0b5c1f2e-7d3a-4c59-9a51-3e1f4d7c2b60")
PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"


def delivery_id(event_id: str, endpoint_id: str | None) -> str:
    """Stable per (event, target): the job's own webhook_url is the target 'job'."""
    return "dlv_" + uuid.uuid5(_NAMESPACE, f"{event_id}:{endpoint_id or 'job'}").hex


async def request_deliveries(
    session: AsyncSession, job: Job, events: list[JobEvent], topic: str, public_url: str | None = None
) -> list[WebhookDelivery]:
    """Deliveries for the terminal events just recorded on `job`, in the caller's transaction. `public_url`:
    the API's base URL, for the links in the payload."""
    made: list[WebhookDelivery] = []
    for event in events:
        if event.type not in WEBHOOK_EVENTS:
            continue
        endpoints = await subscribed(session, job.account_id, event.type, sandbox=bool(job.sandbox))
        targets: list[tuple[str | None, str]] = [(e.id, e.url) for e in endpoints]
        job_url = (job.options or {}).get("webhook_url")
        if job_url:
            targets.append((None, job_url))
        payload = job_event_payload(job, event, public_url).model_dump(mode="json")
        for endpoint_id, url in targets:
            did = delivery_id(event.event_id, endpoint_id)
            if await session.get(WebhookDelivery, did) is not None:
                continue  # the same event recorded again: its delivery already exists
            now = utcnow()
            row = WebhookDelivery(
                id=did, account_id=job.account_id, endpoint_id=endpoint_id, job_id=job.id, event_id=event.event_id,
                event=event.type, url=url, payload=payload, status=PENDING, attempts=[], created_at=now, updated_at=now,
            )
            session.add(row)
            message = WebhookRequested(delivery_id=did, account_id=job.account_id, endpoint_id=endpoint_id, job_id=job.id)
            enqueue(session, event_id=did, topic=topic, key=endpoint_id or job.id, value=message.model_dump_json().encode())
            made.append(row)
    return made


async def get_delivery(session: AsyncSession, delivery: str) -> WebhookDelivery | None:
    return await session.get(WebhookDelivery, delivery, populate_existing=True)


async def list_deliveries(
    session: AsyncSession, endpoint_id: str, *, limit: int, offset: int
) -> tuple[list[WebhookDelivery], int]:
    where = WebhookDelivery.endpoint_id == endpoint_id
    total = (await session.execute(select(func.count()).select_from(WebhookDelivery).where(where))).scalar_one()
    rows = await session.execute(
        select(WebhookDelivery).where(where).order_by(WebhookDelivery.created_at.desc()).limit(limit).offset(offset)
    )
    return list(rows.scalars()), int(total)


async def stop_pending(session: AsyncSession, endpoint_id: str) -> int:
    """A deleted endpoint's pending deliveries end now (failed), scheduled retries included."""
    result = await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status == PENDING)
        .values(status=FAILED, next_attempt_at=None, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


async def claim_due(session: AsyncSession, *, now: datetime, claim_until: datetime, limit: int) -> list[str]:
    """Pending deliveries whose next attempt is due, claimed until `claim_until` with a compare-and-set (a
    concurrent sweep of another worker skips them; a claimant that dies leaves them due again afterwards)."""
    due = (
        await session.execute(
            select(WebhookDelivery.id)
            .where(WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(limit)
        )
    ).scalars().all()
    claimed = []
    for delivery in due:
        result = await session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery, WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now)
            .values(next_attempt_at=claim_until)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            claimed.append(delivery)
    return claimed


async def secret_for(session: AsyncSession, delivery: WebhookDelivery) -> str | None:
    """The signing secret: the endpoint's, or the job's own for its webhook_url."""
    if delivery.endpoint_id is not None:
        endpoint = await session.get(WebhookEndpoint, delivery.endpoint_id)
        return endpoint.secret if endpoint is not None and endpoint.deleted_at is None else None
    job = await session.get(Job, delivery.job_id)
    return job.webhook_secret if job is not None else None


async def record_attempt(
    session: AsyncSession, delivery: str, attempt: dict[str, object], status: str, *, retry_at: datetime | None
) -> None:
    """Append an attempt and set the outcome; `retry_at`: when the next attempt is due (the schedule owns it)."""
    row = await get_delivery(session, delivery)
    if row is None or row.status != PENDING:
        return  # gone, or ended meanwhile (its endpoint was deleted): keep that outcome
    row.attempts = [*(row.attempts or []), attempt]  # a new list: JSON columns track assignment
    row.status = status
    row.updated_at = utcnow()
    row.next_attempt_at = retry_at
    if status == SUCCEEDED:
        row.delivered_at = row.updated_at


async def defer(session: AsyncSession, delivery: str, until: datetime) -> None:
    """Hand a pending delivery to the schedule without an attempt (its endpoint has no free slot)."""
    row = await get_delivery(session, delivery)
    if row is not None and row.status == PENDING:
        row.next_attempt_at = until
