"""/v1/webhooks routes: thin; the rules live in api.webhooks.service."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import StateDep, WebhooksWrite
from api.envelope import Data, Page
from api.pagination import PageDep
from api.webhooks import service
from api.webhooks.schemas import DeliveryOut, WebhookIn, WebhookOut

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


@router.post("", status_code=201, response_model=Data[WebhookOut])
async def create_webhook(body: WebhookIn, principal: WebhooksWrite, state: StateDep, response: Response) -> Data[WebhookOut]:
    """Register a URL for job events. The response carries the signing `secret` once: store it. Each delivery
    is a POST signed per the Standard Webhooks spec (`webhook-id`, `webhook-timestamp`, `webhook-signature`):
    verify it with `standardwebhooks.Webhook(secret).verify(raw_body, headers)`."""
    row = await service.create(state, principal, body)
    response.headers["Location"] = f"/v1/webhooks/{row.id}"
    return Data(data=WebhookOut.from_row(row, show_secret=True))


@router.get("", response_model=Page[WebhookOut])
async def list_webhooks(principal: WebhooksWrite, state: StateDep, page: PageDep) -> Page[WebhookOut]:
    rows, total = await service.list_endpoints(state, principal, page)
    return Page.of([WebhookOut.from_row(r) for r in rows], total=total, limit=page.limit, offset=page.offset)


@router.delete("/{webhook_id}", status_code=204, response_class=Response)
async def delete_webhook(webhook_id: str, principal: WebhooksWrite, state: StateDep) -> Response:
    await service.delete(state, principal, webhook_id)
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", response_model=Page[DeliveryOut])
async def list_deliveries(webhook_id: str, principal: WebhooksWrite, state: StateDep, page: PageDep) -> Page[DeliveryOut]:
    """Deliveries to this endpoint, newest first, each with every attempt and its outcome."""
    rows, total = await service.deliveries(state, principal, webhook_id, page)
    return Page.of([DeliveryOut.from_row(r) for r in rows], total=total, limit=page.limit, offset=page.offset)
