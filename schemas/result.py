"""The transcript document: what `GET /v1/jobs/{id}/result` returns and what inference produces."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Word(BaseModel):
    word: str
    start: float = Field(description="Seconds from the start of the recording.")
    end: float
    probability: float = Field(ge=0.0, le=1.0)


class Segment(BaseModel):
    id: int
    start: float
    end: float
    text: str


class Transcript(BaseModel):
    """Result document. Timestamps are global (seconds from the start of the media)."""

    language: str
    language_probability: float | None = None
    duration: float = Field(description="Audio duration in seconds.")
    model: str
    text: str
    segments: list[Segment]
    words: list[Word]
