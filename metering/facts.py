"""Call facts: one row per analysed job in `call_facts`, written by the analysis stage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Literal

from clickhouse_connect.driver.client import Client
from pydantic import BaseModel, Field, field_validator

Sentiment = Literal["positive", "neutral", "negative", "mixed", "unknown"]
_COLUMNS = ["job_id", "account_id", "occurred_at", "duration_seconds", "language", "speakers",
            "call_type", "outcome", "sentiment", "sentiment_score"]


class CallFact(BaseModel):
    job_id: str
    account_id: str
    occurred_at: datetime = Field(description="The job's completed_at; fixed per job so re-analysis replaces.")
    duration_seconds: float = Field(ge=0)
    language: str = "unknown"
    speakers: int = Field(default=0, ge=0)
    call_type: str = "unknown"
    outcome: str = "unknown"
    sentiment: Sentiment = "unknown"
    sentiment_score: float = Field(default=0.0, ge=-1.0, le=1.0)

    @field_validator("occurred_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("occurred_at must be timezone-aware")
        return value.astimezone(timezone.utc)


def insert_call_facts(client: Client, facts: Sequence[CallFact]) -> None:
    """Insert facts; a job analysed again replaces its earlier row (ReplacingMergeTree, newest wins)."""
    if facts:
        client.insert("call_facts", [[getattr(f, c) for c in _COLUMNS] for f in facts], column_names=_COLUMNS)
