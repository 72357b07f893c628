"""Job resources as the API shows them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from schemas.events import ErrorInfo, JobStatus, Stage
from store.models import Job


class JobOut(BaseModel):
    id: str
    status: JobStatus
    stage: Stage | None = Field(description="Current stage while processing, else null.")
    progress: int = Field(ge=0, le=100)
    error: ErrorInfo | None
    options: dict[str, Any]
    filename: str | None
    content_type: str | None
    size_bytes: int | None
    duration: float | None = Field(description="Audio seconds, known once the job completed.")
    language: str | None
    cost_cents: Decimal | None = Field(
        description="What the job added to the invoice, in cents to 1/10000 (a decimal string); set at completion. "
        "0 while the plan's included minutes last."
    )
    retry_count: int = Field(ge=0, le=3, description="Client retries of this job so far (at most 3).")
    is_archived: bool
    metadata: dict[str, str] = Field(description="The client's metadata from the options.")
    webhook_secret: str | None = Field(
        description="Signs deliveries to options.webhook_url. Only in the creation response, null afterwards."
    )
    sandbox: bool = Field(description="Made with an sk_test_ key: no model runs, nothing is billed.")
    media_url: str | None = Field(default=None, description="Where the worker fetches the media (JSON creation).")
    upload_url: str | None = Field(
        default=None,
        description="JSON creation with `filename`: PUT the media here (signed, valid 4 h, once). Only in the "
        "creation response.",
    )
    upload_expires_at: datetime | None = Field(default=None, description="When upload_url stops working.")
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    completed_at: datetime | None

    @classmethod
    def from_row(cls, job: Job, *, show_secret: bool = False) -> "JobOut":
        error = ErrorInfo(code=job.error_code, message=job.error_message or "") if job.error_code else None
        return cls(
            id=job.id,
            status=JobStatus(job.status),
            stage=Stage(job.stage) if job.stage and job.status == JobStatus.processing else None,
            progress=job.progress,
            error=error,
            options=job.options or {},
            filename=job.filename,
            content_type=job.content_type,
            size_bytes=job.size_bytes,
            duration=job.duration,
            language=job.language,
            cost_cents=job.cost_cents,
            retry_count=job.retry_count or 0,
            is_archived=bool(job.is_archived),
            metadata=(job.options or {}).get("metadata") or {},
            webhook_secret=job.webhook_secret if show_secret else None,
            sandbox=bool(job.sandbox),
            media_url=job.media_url,
            created_at=job.created_at,
            updated_at=job.updated_at,
            started_at=job.started_at,
            completed_at=job.completed_at,
        )
