"""API process settings (env prefix PARLANCE_)."""

from __future__ import annotations

from pydantic import Field

from schemas.settings import CommonSettings


class ApiSettings(CommonSettings):
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_bytes: int = Field(default=2 * 1024**3, description="Uploads over this answer 413.")
    rate_limit_enabled: bool = Field(default=True, description="Per-key requests per minute from the plan.")
    rate_limit_storage_url: str | None = Field(
        default=None,
        description="Shared counters for several API replicas, e.g. redis://host:6379/0 (needs the redis package). "
        "Default: in memory, per process.",
    )
    rate_limit_default_rpm: int = Field(default=60, ge=1, description="For an account whose plan is unknown.")
    topic_replication_factor: int = Field(default=1, ge=1)
