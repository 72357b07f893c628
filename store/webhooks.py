"""Webhook endpoints and deliveries: every query on those tables, and the rule that turns a job's terminal
event into deliveries.

`request_deliveries` runs in the transaction that records the terminal event (orchestrator or API cancel):
the delivery rows and their `webhook.requested` messages (outbox) commit with the job's new status or not
at all. A delivery id is a UUIDv5 of (job event id, endpoint), so a redelivered or re-recorded event finds
its delivery instead of making a second one.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.events import WEBHOOK_EVENTS, JobEvent, WebhookRequested
from store.models import Job, WebhookDelivery, WebhookEndpoint
from store.outbox import enqueue
from store.types import utcnow

_NAMESPACE = uuid.UUID("0b5c1f2e-7d3a-4c59-9a51-3e1f4d7c2b60")
# captions.EXPORT_FORMATS, spelled out so the store does not import the captions package.
EXPORT_FORMATS = ("srt", "vtt", "ttml", "json", "txt", "docx")
PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def delivery_id(event_id: str, endpoint_id: str | None) -> str:
    """Stable per (event, target): the job's own webhook_url is the target 'job'."""
    return "dlv_" + uuid.uuid5(_NAMESPACE, f"{event_id}:{endpoint_id or 'job'}").hex


async def create_endpoint(
    session: AsyncSession, account_id: str, url: str, events: list[str], *, sandbox: bool = False
) -> WebhookEndpoint:
    """`sandbox`: made by a test key, so it hears sandbox jobs only (and a live endpoint live jobs only)."""
    row = WebhookEndpoint(
        id=f"wh_{uuid.uuid4().hex[:20]}", account_id=account_id, url=url, events=events, secret=new_secret(),
        sandbox=sandbox,
    )
    session.add(row)
    await session.flush()
    return row


async def list_endpoints(
    session: AsyncSession, account_id: str, *, limit: int, offset: int, sandbox: bool = False
) -> tuple[list[WebhookEndpoint], int]:
    where = (
        WebhookEndpoint.account_id == account_id,
        WebhookEndpoint.sandbox.is_(sandbox),
        WebhookEndpoint.deleted_at.is_(None),
    )
    total = (await session.execute(select(func.count()).select_from(WebhookEndpoint).where(*where))).scalar_one()
    rows = await session.execute(
        select(WebhookEndpoint).where(*where).order_by(WebhookEndpoint.created_at.desc()).limit(limit).offset(offset)
    )
    return list(rows.scalars()), int(total)


async def get_endpoint(
    session: AsyncSession, endpoint_id: str, account_id: str, *, sandbox: bool = False
) -> WebhookEndpoint | None:
    query = select(WebhookEndpoint).where(
        WebhookEndpoint.id == endpoint_id,
        WebhookEndpoint.account_id == account_id,
        WebhookEndpoint.sandbox.is_(sandbox),
        WebhookEndpoint.deleted_at.is_(None),
    )
    return (await session.execute(query)).scalar_one_or_none()


async def list_deliveries(
    session: AsyncSession, endpoint_id: str, *, limit: int, offset: int
) -> tuple[list[WebhookDelivery], int]:
    where = WebhookDelivery.endpoint_id == endpoint_id
    total = (await session.execute(select(func.count()).select_from(WebhookDelivery).where(where))).scalar_one()
    rows = await session.execute(
        select(WebhookDelivery).where(where).order_by(WebhookDelivery.created_at.desc()).limit(limit).offset(offset)
    )
    return list(rows.scalars()), int(total)


async def get_delivery(session: AsyncSession, delivery: str) -> WebhookDelivery | None:
    return await session.get(WebhookDelivery, delivery, populate_existing=True)


def payload_for(job: Job, event: JobEvent, public_url: str | None) -> dict[str, Any]:
    base = (public_url or "").rstrip("/")
    completed = event.type == "job.completed"
    return {
        "event": event.type,
        "event_id": event.event_id,
        "job_id": job.id,
        "status": job.status,
        "exports": {fmt: f"{base}/v1/jobs/{job.id}/exports/{fmt}" for fmt in EXPORT_FORMATS} if completed else {},
        "result_url": f"{base}/v1/jobs/{job.id}/result" if completed else None,
        "completed_at": job.completed_at.isoformat().replace("+00:00", "Z") if job.completed_at else None,
        "created_at": job.created_at.isoformat().replace("+00:00", "Z") if job.created_at else None,
        "duration": job.duration,
        "error": {"code": job.error_code, "message": job.error_message} if job.error_code else None,
        "metadata": (job.options or {}).get("metadata") or {},
        "sandbox": bool(job.sandbox),
    }


async def request_deliveries(
    session: AsyncSession, job: Job, events: list[JobEvent], topic: str, public_url: str | None = None
) -> list[WebhookDelivery]:
    """Deliveries for the terminal events just recorded on `job`, in the caller's transaction."""
    made: list[WebhookDelivery] = []
    for event in events:
        if event.type not in WEBHOOK_EVENTS:
            continue
        endpoints = (
            await session.execute(
                select(WebhookEndpoint).where(
                    WebhookEndpoint.account_id == job.account_id,
                    WebhookEndpoint.sandbox.is_(bool(job.sandbox)),  # test events to test endpoints only
                    WebhookEndpoint.deleted_at.is_(None),
                )
            )
        ).scalars()
        targets: list[tuple[str | None, str]] = [(e.id, e.url) for e in endpoints if event.type in (e.events or [])]
        job_url = (job.options or {}).get("webhook_url")
        if job_url:
            targets.append((None, job_url))
        payload = payload_for(job, event, public_url)
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
