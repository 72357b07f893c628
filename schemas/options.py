"""Options a client sends with a job."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class JobOptions(BaseModel):
    """Per-job options. Unknown keys are refused so typos fail loudly instead of being ignored."""

    model_config = ConfigDict(extra="forbid")

    language: str | None = Field(
        default=None,
        description="ISO 639-1 code such as 'en'; null lets the model detect it (multilingual models).",
        min_length=2,
        max_length=5,
    )
    model: str | None = Field(
        default=None,
        description="ASR model: 'tiny.en' (default), 'base', or any CTranslate2 Whisper model the worker allows.",
        min_length=1,
        max_length=200,
    )

    @field_validator("language")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.lower() if value else value
