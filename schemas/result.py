"""The transcript document: what `GET /v1/jobs/{id}/result` returns and what inference produces."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from schemas.analysis import AiAnalysis
from schemas.quotes import Quote


class Word(BaseModel):
    word: str
    start: float = Field(description="Seconds from the start of the recording.")
    end: float
    probability: float = Field(ge=0.0, le=1.0)
    speaker: str | None = Field(default=None, description="'Speaker N' when diarization ran.")


SegmentFlag = Literal["redecoded", "repetition_removed", "low_confidence"]


class Segment(BaseModel):
    id: int
    start: float
    end: float
    text: str
    speaker: str | None = Field(default=None, description="Speaker of every word in the segment (diarization).")
    overlapping_speakers: list[str] = Field(
        default_factory=list, description="Other speakers talking at the same time during this segment."
    )
    flags: list[SegmentFlag] = Field(
        default_factory=list,
        description="What the ASR quality guard did: `redecoded` (the fast batched decode looped, was unlikely "
        "or skipped this speech, so it was decoded again with Whisper's fallbacks), `repetition_removed` (a "
        "loop that no fallback repaired was cut to one occurrence), `low_confidence` (Whisper's average "
        "log-probability is below -1).",
    )


class SpeakerSummary(BaseModel):
    label: str = Field(description="'Speaker 1'..'Speaker N', numbered in order of first appearance.")
    speaking_time: float = Field(ge=0.0, description="Seconds this speaker talks (overlaps count for each).")
    word_count: int = Field(ge=0)
    source: str | None = Field(default=None, description="Diarization's own label, e.g. 'channel_1'.")


class Overlap(BaseModel):
    """A stretch of time where two or more speakers talk at once."""

    start: float
    end: float
    speakers: list[str]


class Transcript(BaseModel):
    """Result document. Timestamps are global (seconds from the start of the media)."""

    language: str
    language_probability: float | None = None
    duration: float = Field(description="Audio duration in seconds.")
    model: str
    text: str
    segments: list[Segment]
    words: list[Word]
    speakers: list[SpeakerSummary] | None = Field(default=None, description="Set when diarization ran.")
    overlaps: list[Overlap] | None = Field(default=None, description="Overlapping speech (diarization).")
    warnings: list[str] = Field(default_factory=list, description="E.g. diarization failed and was skipped.")
    ai_analysis: AiAnalysis | None = Field(
        default=None,
        description="Call analysis when the job asked for it (`analysis`): transcript_cleaned with Agent/Customer "
        "labels, and for pro the summary, call type and outcome, parties, money, compliance, sentiment, issues, "
        "actions and agreements. Fields not mentioned in the call are null. Shape: docs/analysis.md.",
    )
    pii_redacted: bool = Field(default=False, description="True when `redact_pii` replaced personal data with its type.")
    quotes: list[Quote] | None = Field(
        default=None,
        description="The most quotable passages, best first (docs/quotes.md); chosen on the first read of a completed "
        "result, then edited and rendered through /v1/quotes.",
    )
