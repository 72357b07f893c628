"""Settings shared by every process. Each process builds its own subclass in its app factory, never at
import, so tests and `parlance up` can construct them with overrides."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.models import allowed_models


def default_data_dir() -> Path:
    return Path(".parlance").resolve()


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARLANCE_", env_file=None, extra="ignore")

    environment: str = Field(default="local", description="local | test | production")
    data_dir: Path = Field(default_factory=default_data_dir, description="Root of local state (SQLite, media).")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL. Default: SQLite file in data_dir. PostgreSQL: postgresql+asyncpg://...",
    )
    object_store_dir: Path | None = Field(default=None, description="Local object store root; default data_dir/objects.")
    # object store (store/objects): file:// (default) or an S3-compatible bucket shared by every replica/worker
    object_store_url: str | None = Field(
        default=None,
        pattern=r"^(file|s3)://",
        description="file:///dir (default: file://object_store_dir) or s3://bucket[/prefix]: media and results "
        "shared by API replicas and workers on other machines.",
    )
    s3_endpoint_url: str | None = Field(
        default=None, description="S3 API endpoint (MinIO, SeaweedFS: http://host:port); default AWS (AWS_ENDPOINT_URL)."
    )
    s3_public_endpoint_url: str | None = Field(
        default=None,
        description="Endpoint clients reach, for presigned upload URLs, when it differs from s3_endpoint_url "
        "(e.g. http://minio:9000 inside, https://media.example.com outside).",
    )
    s3_region: str | None = Field(default=None, description="Default: AWS_REGION, else us-east-1.")
    s3_access_key_id: str | None = Field(default=None, description="Default: AWS_ACCESS_KEY_ID (or an IAM role).")
    s3_secret_access_key: SecretStr | None = Field(default=None, repr=False, description="Default: AWS_SECRET_ACCESS_KEY.")
    s3_virtual_hosted_style: bool = Field(
        default=False, description="bucket.host URLs (AWS); path-style (host/bucket) suits MinIO and SeaweedFS."
    )
    scratch_dir: Path | None = Field(
        default=None,
        description="Where a worker streams media from an S3 store to decode it (one file per job, removed after); "
        "default data_dir/scratch.",
    )
    kafka_bootstrap: str = Field(default="127.0.0.1:19092")
    kafka_topic_prefix: str = Field(
        default="",
        description="Prepended to every topic name; lets test runs share one broker without seeing each other.",
    )
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = Field(
        default="text", description="json: one JSON object per log line (request_id, job_id); text: plain lines."
    )
    # metering
    clickhouse_url: str | None = Field(
        default=None,
        description=(
            "ClickHouse server, e.g. http://user:pw@host:8123/parlance. Default: embedded chDB in "
            "data_dir/clickhouse, which one process only may open (`parlance up`)."
        ),
    )
    clickhouse_user: str | None = Field(default=None, description="Used when clickhouse_url carries no user.")
    clickhouse_password: str | None = Field(default=None, description="Used when clickhouse_url carries no password.")
    clickhouse_database: str | None = Field(default=None, description="Default: the URL's path, else 'parlance'.")
    usage_batch_max_events: int = Field(default=1000, ge=1, description="The usage sink writes at N events...")
    usage_batch_max_wait_ms: float = Field(default=500, gt=0, description="...or when its oldest event is this old.")
    quota_default_reservation_seconds: int = Field(
        default=60, ge=1, description="Reserved for a job whose media duration cannot be probed at upload."
    )
    # ASR models (schemas/models.py): the API refuses other names at creation, the worker where it resolves them.
    asr_model: str = Field(default="tiny.en", description="The default ASR model (an id, or the operator's directory).")
    allowed_models: list[str] | None = Field(
        default=None,
        description="Model ids clients may name besides the bundled ones and asr_model; after validation, the "
        "whole allow-list (never None, so the worker's check is never 'anything goes').",
    )

    # REST API / webhooks
    public_url: str | None = Field(default=None, description="Base URL clients use (Location headers, webhook links).")
    allow_private_urls: bool = Field(
        default=False,
        description="Let every request made for a client (webhooks, render callbacks, media_url downloads) reach "
        "private/loopback/link-local addresses (local development, tests). One flag: webhooks.urls is the one policy.",
    )
    upload_url_ttl_s: int = Field(
        default=4 * 3600,
        ge=60,
        description="How long a signed upload URL stays valid; the worker's reaper expires pending jobs after it.",
    )
    webhook_timeout_s: float = Field(default=10.0, gt=0, description="Per webhook attempt.")
    webhook_max_retries: int = Field(default=3, ge=0, description="Retries after the first attempt (5xx, network).")
    webhook_backoff_s: float = Field(default=1.0, ge=0, description="First retry delay; doubles each retry.")
    webhook_concurrency: int = Field(default=8, ge=1, description="Webhook deliveries one worker sends at once.")
    listening_copy_retention_days: float = Field(
        default=7,
        ge=0,
        description="Days the worker keeps a small Opus copy of a completed job's audio for the console's player "
        "(the source media is still deleted); 0 keeps none.",
    )

    # media_url fetching (worker); private addresses: allow_private_urls
    media_fetch_timeout_s: float = Field(default=600.0, gt=0, description="Total time to download one media_url.")
    media_fetch_max_bytes: int = Field(default=2 * 1024**3, ge=1, description="A media_url download past this fails.")

    @model_validator(mode="after")
    def _model_allow_list(self) -> "CommonSettings":
        self.allowed_models = allowed_models(self.asr_model, self.allowed_models)
        return self

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'parlance.db'}"

    def resolved_object_store_dir(self) -> Path:
        """The local store's root: object_store_url's path when it is file://, else object_store_dir."""
        if self.object_store_url and self.object_store_url.startswith("file://"):
            return Path(urlsplit(self.object_store_url).path)
        return self.object_store_dir or (self.data_dir / "objects")

    def resolved_object_store_url(self) -> str:
        return self.object_store_url or self.resolved_object_store_dir().resolve().as_uri()

    def resolved_scratch_dir(self) -> Path:
        return self.scratch_dir or (self.data_dir / "scratch")

    def resolved_clickhouse_url(self) -> str | None:
        """clickhouse_url with clickhouse_user / clickhouse_password filled in where the URL has none."""
        url = self.clickhouse_url or None
        if url is None or url.startswith("chdb:") or not (self.clickhouse_user or self.clickhouse_password):
            return url
        parts = urlsplit(url)
        if parts.username or parts.password:
            return url
        userinfo = quote(self.clickhouse_user or "default", safe="")
        if self.clickhouse_password:
            userinfo += ":" + quote(self.clickhouse_password, safe="")
        return urlunsplit(parts._replace(netloc=f"{userinfo}@{parts.netloc}"))
