"""Job lifecycle events: a versioned envelope around a tagged union of event types.

Every state change of a job is one of these on `parlance.jobs.events`, keyed by job id. Producers (API,
worker) and consumers (Faust agents) import the same classes, so a field renamed here breaks both sides at
once instead of silently on the wire.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime, timezone
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from schemas.options import JobOptions

SCHEMA_VERSION = 1


class JobStatus(enum.StrEnum):
    pending = "pending"
    queued = "queued"
    processing = "processing"
    completed = "completed"
    failed = "failed"
    canceled = "canceled"


class Stage(str, enum.Enum):
    decoding = "decoding"
    transcribing = "transcribing"
    diarizing = "diarizing"
    analyzing = "analyzing"
    exporting = "exporting"


class ErrorInfo(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. media_decode_error.")
    message: str = Field(description="Human-readable explanation.")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _event_id() -> str:
    return str(uuid.uuid4())


class _Envelope(BaseModel):
    model_config = ConfigDict(frozen=True)

    event_id: str = Field(default_factory=_event_id)
    schema_version: int = SCHEMA_VERSION
    job_id: str
    account_id: str
    occurred_at: datetime = Field(default_factory=_now)


# ---- payloads -------------------------------------------------------------------------------------


class JobCreatedPayload(BaseModel):
    media_key: str | None
    filename: str | None
    content_type: str | None
    size_bytes: int | None
    options: JobOptions
    media_url: str | None = Field(default=None, description="Fetched by the worker before decoding.")


class QueuedReason(str, enum.Enum):
    """Why a job (re)entered the queue: a client's submission or retry, or the reaper's recovery."""

    submitted = "submitted"
    lease_expired = "lease_expired"  # its worker stopped renewing the lease (died, hung, partitioned)
    reannounced = "reannounced"  # queued too long: its event was consumed but no worker started it


class QueuedPayload(BaseModel):
    reason: QueuedReason = QueuedReason.submitted


class StagePayload(BaseModel):
    stage: Stage


class ProgressPayload(BaseModel):
    stage: Stage
    progress: int = Field(ge=0, le=100, description="Overall job progress in percent.")
    completed: int = Field(ge=0, description="Units of the stage done (e.g. chunks).")
    total: int = Field(ge=0)


class StageCompletedPayload(BaseModel):
    stage: Stage
    elapsed_s: float = Field(ge=0)


class JobCompletedPayload(BaseModel):
    result_key: str
    duration: float = Field(ge=0, description="Audio seconds.")
    language: str


class JobFailedPayload(BaseModel):
    stage: Stage | None
    error: ErrorInfo


class JobCanceledPayload(BaseModel):
    reason: str | None = None


# ---- event types ------------------------------------------------------------------------------------


class JobCreated(_Envelope):
    type: Literal["job.created"] = "job.created"
    payload: JobCreatedPayload


class JobQueued(_Envelope):
    type: Literal["job.queued"] = "job.queued"
    payload: QueuedPayload = Field(default_factory=QueuedPayload)


class JobStageStarted(_Envelope):
    type: Literal["job.stage_started"] = "job.stage_started"
    payload: StagePayload


class JobProgress(_Envelope):
    type: Literal["job.progress"] = "job.progress"
    payload: ProgressPayload


class JobStageCompleted(_Envelope):
    type: Literal["job.stage_completed"] = "job.stage_completed"
    payload: StageCompletedPayload


class JobCompleted(_Envelope):
    type: Literal["job.completed"] = "job.completed"
    payload: JobCompletedPayload


class JobFailed(_Envelope):
    type: Literal["job.failed"] = "job.failed"
    payload: JobFailedPayload


class JobCanceled(_Envelope):
    type: Literal["job.canceled"] = "job.canceled"
    payload: JobCanceledPayload = Field(default_factory=JobCanceledPayload)


JobEvent = Annotated[
    Union[
        JobCreated,
        JobQueued,
        JobStageStarted,
        JobProgress,
        JobStageCompleted,
        JobCompleted,
        JobFailed,
        JobCanceled,
    ],
    Field(discriminator="type"),
]

JOB_EVENT_ADAPTER: TypeAdapter[JobEvent] = TypeAdapter(JobEvent)


class EventDecodeError(ValueError):
    """Bytes on a topic that are not a valid event of a known type and schema version."""


def encode_event(event: JobEvent) -> bytes:
    return event.model_dump_json().encode()


def decode_event(raw: bytes | str) -> JobEvent:
    try:
        event = JOB_EVENT_ADAPTER.validate_json(raw)
    except ValueError as exc:  # pydantic.ValidationError is a ValueError
        raise EventDecodeError(str(exc)) from exc
    if event.schema_version > SCHEMA_VERSION:
        raise EventDecodeError(
            f"event {event.event_id} has schema_version {event.schema_version}; "
            f"this process understands up to {SCHEMA_VERSION}"
        )
    return event


# ---- webhooks (parlance.webhooks, key = endpoint id or job id) ------------------------------------------

WEBHOOK_EVENTS = ("job.completed", "job.failed", "job.canceled")
"""Job events a webhook can subscribe to (the terminal ones)."""


class WebhookRequested(BaseModel):
    """Ask the dispatcher to deliver one stored delivery (`webhook_deliveries` row, written in the same
    transaction as the job's terminal event). The row holds URL and payload; the message only points at it."""

    model_config = ConfigDict(frozen=True)

    type: Literal["webhook.requested"] = "webhook.requested"
    schema_version: int = SCHEMA_VERSION
    delivery_id: str
    account_id: str
    endpoint_id: str | None
    job_id: str
    occurred_at: datetime = Field(default_factory=_now)
