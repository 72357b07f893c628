"""API process settings (env prefix PARLANCE_)."""

from __future__ import annotations

from pydantic import Field

from schemas.settings import CommonSettings


class ApiSettings(CommonSettings):
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_bytes: int = Field(default=2 * 1024**3, description="Uploads over this answer 413.")
    public_url: str | None = Field(default=None, description="Base URL clients use, for Location headers.")
    topic_replication_factor: int = Field(default=1, ge=1)
