"""API process settings (env prefix PARLANCE_)."""

from __future__ import annotations

from pydantic import Field, model_validator

from schemas.settings import CommonSettings


# Good enough for a laptop; refused in any other environment (anyone could sign uploads with it).
DEFAULT_UPLOAD_URL_SECRET = "parlance-local-upload-secret"


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
    metrics_enabled: bool = Field(default=True, description="Serve Prometheus metrics at /metrics (no key).")
    upload_url_secret: str = Field(
        default=DEFAULT_UPLOAD_URL_SECRET,
        description="Signs upload URLs (HMAC-SHA256 of job id + expiry). Must be set outside environment=local/test.",
    )

    @model_validator(mode="after")
    def _no_default_secret(self) -> "ApiSettings":
        if self.environment not in ("local", "test") and self.upload_url_secret == DEFAULT_UPLOAD_URL_SECRET:
            raise ValueError(
                f"PARLANCE_UPLOAD_URL_SECRET is the default; set a random secret for environment={self.environment}"
            )
        return self
