"""Settings shared by every process. Each process builds its own subclass in its app factory, never at
import, so tests and `parlance up` can construct them with overrides."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    kafka_bootstrap: str = Field(default="127.0.0.1:19092")
    kafka_topic_prefix: str = Field(
        default="",
        description="Prepended to every topic name; lets test runs share one broker without seeing each other.",
    )
    log_level: str = "INFO"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'parlance.db'}"

    def resolved_object_store_dir(self) -> Path:
        return self.object_store_dir or (self.data_dir / "objects")
