"""What a delivery's body says: typed models for the job events and the render batch callback, and the
builder that turns a job's terminal event into one.

The links in a payload point at the REST API (`{public_url}/v1/jobs/{id}/result`, `/exports/{format}`): they
are built here from the export formats the captions package defines, so the job store holds no URLs and this
package needs nothing from `api`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from captions import EXPORT_FORMATS
from schemas.events import JobEvent, JobStatus
from store.models import Job

JobEventName = Literal["job.completed", "job.failed", "job.canceled"]  # schemas.events.WEBHOOK_EVENTS


class JobError(BaseModel):
    code: str
    message: str | None


class JobEventPayload(BaseModel):
    """A job event's payload as stored on its delivery row (and listed by GET /v1/webhooks/{id}/deliveries)."""

    event: JobEventName
    event_id: str
    job_id: str
    status: JobStatus
    exports: dict[str, str] = Field(description="Export format → URL; empty unless the job completed.")
    result_url: str | None
    completed_at: datetime | None
    created_at: datetime | None
    duration: float | None
    error: JobError | None
    metadata: dict[str, Any]
    sandbox: bool


class JobEventBody(JobEventPayload):
    """The body POSTed: the stored payload plus the delivery id (also the `webhook-id` header)."""

    delivery_id: str


class RenderItem(BaseModel):
    render_id: str
    quote_id: str
    status: str


class RenderBatchCompleted(BaseModel):
    """A bulk render's callback, signed like a job event with the batch id as `webhook-id`."""

    event: Literal["render.batch_completed"] = "render.batch_completed"
    batch_id: str
    items: list[RenderItem]


def job_links(public_url: str | None, job_id: str) -> tuple[str, dict[str, str]]:
    """(result URL, export URLs by format) as the REST API serves them."""
    job_url = f"{(public_url or '').rstrip('/')}/v1/jobs/{job_id}"
    return f"{job_url}/result", {fmt: f"{job_url}/exports/{fmt}" for fmt in EXPORT_FORMATS}


def job_event_payload(job: Job, event: JobEvent, public_url: str | None) -> JobEventPayload:
    completed = event.type == "job.completed"
    result_url, exports = job_links(public_url, job.id)
    return JobEventPayload(
        event=event.type,  # type: ignore[arg-type]  # callers pass terminal events only (WEBHOOK_EVENTS)
        event_id=event.event_id,
        job_id=job.id,
        status=JobStatus(job.status),
        exports=exports if completed else {},
        result_url=result_url if completed else None,
        completed_at=job.completed_at,
        created_at=job.created_at,
        duration=job.duration,
        error=JobError(code=job.error_code, message=job.error_message) if job.error_code else None,
        metadata=(job.options or {}).get("metadata") or {},
        sandbox=bool(job.sandbox),
    )
