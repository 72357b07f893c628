"""Webhook endpoint rules: URLs must be public (unless allowed by setting), one account sees only its own, and
a test key only its test endpoints (a live key its live ones)."""

from __future__ import annotations

from api.errors import NotFound, ValidationFailed
from api.pagination import PageParams
from api.state import ApiState
from api.webhooks.schemas import WebhookIn
from store.keys import Principal
from store.models import WebhookDelivery, WebhookEndpoint
from store.types import utcnow
from webhooks import deliveries as delivery_rows
from webhooks import endpoints as endpoint_rows
from webhooks.urls import UrlRefused, check_url

MAX_ENDPOINTS = 20


async def create(state: ApiState, principal: Principal, body: WebhookIn) -> WebhookEndpoint:
    try:
        await check_url(body.url, allow_private=state.settings.allow_private_urls)
    except UrlRefused as exc:
        raise ValidationFailed(f"url: {exc}") from exc
    async with state.sessions.begin() as session:
        _, total = await endpoint_rows.list_endpoints(session, principal.account_id, limit=1, offset=0, sandbox=principal.sandbox)
        if total >= MAX_ENDPOINTS:
            raise ValidationFailed(f"an account may have at most {MAX_ENDPOINTS} webhook endpoints")
        return await endpoint_rows.create_endpoint(
            session, principal.account_id, body.url, sorted(set(body.events)), sandbox=principal.sandbox
        )


async def list_endpoints(state: ApiState, principal: Principal, page: PageParams) -> tuple[list[WebhookEndpoint], int]:
    async with state.sessions() as session:
        return await endpoint_rows.list_endpoints(
            session, principal.account_id, limit=page.limit, offset=page.offset, sandbox=principal.sandbox
        )


async def delete(state: ApiState, principal: Principal, endpoint_id: str) -> None:
    async with state.sessions.begin() as session:
        row = await endpoint_rows.get_endpoint(session, endpoint_id, principal.account_id, sandbox=principal.sandbox)
        if row is None:
            raise NotFound(f"webhook {endpoint_id} not found")
        row.deleted_at = utcnow()  # soft delete: its deliveries stay listed
        await delivery_rows.stop_pending(session, endpoint_id)  # and pending ones end now, scheduled retries included


async def deliveries(
    state: ApiState, principal: Principal, endpoint_id: str, page: PageParams
) -> tuple[list[WebhookDelivery], int]:
    async with state.sessions() as session:
        if await endpoint_rows.get_endpoint(session, endpoint_id, principal.account_id, sandbox=principal.sandbox) is None:
            raise NotFound(f"webhook {endpoint_id} not found")
        return await delivery_rows.list_deliveries(session, endpoint_id, limit=page.limit, offset=page.offset)
