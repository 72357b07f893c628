"""The `usage.recorded` event on `parlance.usage` (key = account_id).

Self-contained (pydantic only) so it can move into `schemas/` unchanged. The event id is derived from the job
id and the usage kind, never random: a job that completes twice (redelivery, takeover after a crash) emits the
same id, and the sink and ClickHouse deduplicate on it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

USAGE_SCHEMA_VERSION = 1
TRANSCRIPTION_SECONDS = "transcription_seconds"
# Fixed namespace: changing it would re-key every event and break dedup across a deploy.
_USAGE_NAMESPACE = uuid.UUID("5b0f4a39-7c1e-4e55-9a44-2f1d7f0c6a10")


def usage_event_id(job_id: str, kind: str) -> str:
    """Deterministic id for one kind of usage of one job (UUIDv5)."""
    return str(uuid.uuid5(_USAGE_NAMESPACE, f"{job_id}:{kind}"))


class UsageRecorded(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: Literal["usage.recorded"] = "usage.recorded"
    schema_version: int = USAGE_SCHEMA_VERSION
    event_id: str
    account_id: str = Field(min_length=1)
    job_id: str = Field(min_length=1)
    kind: str = Field(default=TRANSCRIPTION_SECONDS, min_length=1)
    quantity_seconds: float = Field(ge=0, description="Measured audio seconds.")
    billable_seconds: int = Field(ge=0, description="After the plan's rounding (increment, minimum).")
    cost_cents: Decimal = Field(default=Decimal(0), ge=0, description="What this job adds to the invoice.")
    plan: str
    occurred_at: datetime = Field(description="When the job completed (UTC); decides the billing period.")

    @field_validator("occurred_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("occurred_at must be timezone-aware")
        return value.astimezone(timezone.utc)

    @classmethod
    def for_job(
        cls,
        *,
        account_id: str,
        job_id: str,
        quantity_seconds: float,
        billable_seconds: int,
        plan: str,
        occurred_at: datetime,
        cost_cents: Decimal = Decimal(0),
        kind: str = TRANSCRIPTION_SECONDS,
    ) -> UsageRecorded:
        """Build the event with its derived id. Pass the job's `completed_at` as `occurred_at`, so that a
        re-emitted event is byte-for-byte the same one."""
        return cls(
            event_id=usage_event_id(job_id, kind),
            account_id=account_id,
            job_id=job_id,
            kind=kind,
            quantity_seconds=quantity_seconds,
            billable_seconds=billable_seconds,
            cost_cents=cost_cents,
            plan=plan,
            occurred_at=occurred_at,
        )


class UsageDecodeError(ValueError):
    """Bytes on `parlance.usage` that are not a usage.recorded this process understands."""


def encode_usage(event: UsageRecorded) -> bytes:
    return event.model_dump_json().encode()


def decode_usage(raw: bytes | str) -> UsageRecorded:
    try:
        event = UsageRecorded.model_validate_json(raw)
    except ValidationError as exc:
        raise UsageDecodeError(str(exc)) from exc
    if event.schema_version > USAGE_SCHEMA_VERSION:
        raise UsageDecodeError(
            f"usage event {event.event_id} has schema_version {event.schema_version}; "
            f"this process understands up to {USAGE_SCHEMA_VERSION}"
        )
    return event
