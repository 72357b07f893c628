"""Webhook resources as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from store.models import WebhookDelivery, WebhookEndpoint
from webhooks.payloads import JobEventName, JobEventPayload


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=2000, pattern=r"^https?://\S+$", description="Receives signed POSTs.")
    events: list[JobEventName] = Field(
        default=["job.completed", "job.failed"], min_length=1, max_length=3, description="Events to receive."
    )


class WebhookOut(BaseModel):
    id: str
    url: str
    events: list[str]
    secret: str | None = Field(
        description="The Standard Webhooks signing secret (`whsec_…`): only in the creation response, null afterwards."
    )
    created_at: datetime

    @classmethod
    def from_row(cls, row: WebhookEndpoint, *, show_secret: bool = False) -> "WebhookOut":
        return cls(
            id=row.id, url=row.url, events=list(row.events or []), secret=row.secret if show_secret else None,
            created_at=row.created_at,
        )


class DeliveryAttempt(BaseModel):
    attempt: int
    at: str = Field(description="ISO 8601 UTC time of the attempt.")
    status_code: int | None = Field(description="The receiver's HTTP status; null on a network error.")
    error: str | None
    duration_ms: float | None = None


class DeliveryOut(BaseModel):
    id: str = Field(description="The `webhook-id` header: one per (event, endpoint), the same on every retry.")
    endpoint_id: str | None
    job_id: str
    event: str
    status: Literal["pending", "succeeded", "failed"]
    attempts: list[DeliveryAttempt]
    payload: JobEventPayload
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None

    @classmethod
    def from_row(cls, row: WebhookDelivery) -> "DeliveryOut":
        return cls(
            id=row.id, endpoint_id=row.endpoint_id, job_id=row.job_id, event=row.event, status=row.status,  # type: ignore[arg-type]
            attempts=[DeliveryAttempt.model_validate(a) for a in row.attempts or []], payload=JobEventPayload.model_validate(row.payload),
            created_at=row.created_at, updated_at=row.updated_at, delivered_at=row.delivered_at,
        )
