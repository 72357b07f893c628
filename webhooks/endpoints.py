"""Webhook endpoint rows: every query on `webhook_endpoints`. An endpoint made by a test key is a sandbox one:
it hears sandbox jobs only (and a live endpoint live jobs only)."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import WebhookEndpoint
from webhooks.signing import new_secret


def _visible(account_id: str, sandbox: bool) -> tuple[ColumnElement[bool], ...]:
    """An account's endpoints that are not deleted, of one kind (sandbox or live)."""
    return (
        WebhookEndpoint.account_id == account_id,
        WebhookEndpoint.sandbox.is_(sandbox),
        WebhookEndpoint.deleted_at.is_(None),
    )


async def create_endpoint(
    session: AsyncSession, account_id: str, url: str, events: list[str], *, sandbox: bool = False
) -> WebhookEndpoint:
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
    where = _visible(account_id, sandbox)
    total = (await session.execute(select(func.count()).select_from(WebhookEndpoint).where(*where))).scalar_one()
    rows = await session.execute(
        select(WebhookEndpoint).where(*where).order_by(WebhookEndpoint.created_at.desc()).limit(limit).offset(offset)
    )
    return list(rows.scalars()), int(total)


async def get_endpoint(
    session: AsyncSession, endpoint_id: str, account_id: str, *, sandbox: bool = False
) -> WebhookEndpoint | None:
    query = select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id, *_visible(account_id, sandbox))
    return (await session.execute(query)).scalar_one_or_none()


async def subscribed(session: AsyncSession, account_id: str, event: str, *, sandbox: bool) -> list[WebhookEndpoint]:
    """The account's live endpoints (test ones for a sandbox job) that listen for `event`."""
    rows = await session.execute(select(WebhookEndpoint).where(*_visible(account_id, sandbox)))
    return [e for e in rows.scalars() if event in (e.events or [])]
