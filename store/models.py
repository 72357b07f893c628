"""ORM models. The `jobs` row is the projection of a job's events (see jobs/lifecycle.py)."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Enum, Float, ForeignKey, Index, Integer, LargeBinary, Numeric, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from schemas.events import JobStatus
from store.scopes import Scope, ScopeList
from store.types import UtcDateTime, utcnow


class Base(DeclarativeBase):
    pass


def _values(enum_cls: type[enum.Enum]) -> list[str]:
    """Store an enum's values ('completed'), not its member names (SQLAlchemy's default)."""
    return [str(member.value) for member in enum_cls]


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    plan: Mapped[str] = mapped_column(String(40), default="free")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    # The first characters of the key, shown in listings and used to find the row; the secret part is
    # only ever stored as a SHA-256 digest (keys are 256-bit random, so a slow KDF buys nothing).
    prefix: Mapped[str] = mapped_column(String(24), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[Scope]] = mapped_column(ScopeList(), default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_account_created", "account_id", "created_at"),
        Index("ux_jobs_account_idempotency", "account_id", "idempotency_key", unique=True),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # VARCHAR(20) holding the enum's values, as before (native_enum=False: no PostgreSQL type, no migration).
    status: Mapped[JobStatus] = mapped_column(
        Enum(JobStatus, native_enum=False, length=20, values_callable=_values, validate_strings=True), index=True
    )
    stage: Mapped[str | None] = mapped_column(String(20), nullable=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(60), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    media_key: Mapped[str | None] = mapped_column(String(300), nullable=True)
    filename: Mapped[str | None] = mapped_column(String(300), nullable=True)
    content_type: Mapped[str | None] = mapped_column(String(200), nullable=True)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    result_key: Mapped[str | None] = mapped_column(String(300), nullable=True)
    duration: Mapped[float | None] = mapped_column(Float, nullable=True)
    language: Mapped[str | None] = mapped_column(String(10), nullable=True)
    # What the job added to the invoice (cents, to 1/10000 cent), set when it settles at completion.
    cost_cents: Mapped[Decimal | None] = mapped_column(Numeric(18, 4), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # Which worker owns the processing, until when. A redelivered job.queued is ignored while the lease
    # is live and taken over once it has expired (the owner died).
    lease_owner: Mapped[str | None] = mapped_column(String(120), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    # Client-requested new attempts of a failed job (at most 3); `attempt` counts worker claims.
    retry_count: Mapped[int] = mapped_column(Integer, default=0)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # Idempotency-Key header and a digest of the request it came with: same key + same body = same job.
    idempotency_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    request_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Signs deliveries to the job's own `webhook_url` (shown once, in the creation response).
    webhook_secret: Mapped[str | None] = mapped_column(String(80), nullable=True)
    sandbox: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where the worker downloads the media from (JSON creation with media_url); media_key is where it goes.
    media_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoints"
    __table_args__ = (Index("ix_webhook_endpoints_account", "account_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Kept in the clear: the worker needs it to sign. Shown to the client once, at creation.
    secret: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # Made by a test (sk_test_) key: receives sandbox jobs' events only (live endpoints only live ones).
    sandbox: Mapped[bool] = mapped_column(Boolean, default=False)


class WebhookDelivery(Base):
    """One event to one URL. The id is derived from (job event id, endpoint), so a redelivered event finds
    its row instead of making a second delivery; `attempts` records every try and its outcome."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at"),
        Index("ix_webhook_deliveries_job", "job_id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(40))
    endpoint_id: Mapped[str | None] = mapped_column(String(40), nullable=True)  # None: the job's webhook_url
    job_id: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(40))
    event: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(String(2000))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | succeeded | failed
    attempts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # A pending delivery waiting for its next attempt (a scheduled retry, or a deferral while its endpoint
    # has all its slots busy); the dispatcher's sweep re-publishes it when due. None: not scheduled.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class OutboxEvent(Base):
    """An event written in the same transaction as the row change it describes, published afterwards."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(40), unique=True)
    topic: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200))
    value: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
