"""Quotes, render requests and card themes: the data the API, the worker and the result document share.

In `schemas` (not the `quotes` package) because `schemas.result.Transcript` carries the quotes and the Kafka
message is read by the worker: producers and consumers import the same model.
"""

from __future__ import annotations

import re
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

RenderKind = Literal["image", "video"]
RenderStatus = Literal["none", "queued", "rendering", "completed", "failed"]
FONTS: tuple[str, ...] = ("dejavu-sans", "dejavu-serif", "dejavu-mono", "liberation-sans", "liberation-serif")
Pattern = Literal["none", "dots", "lines", "grid"]
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


class Quote(BaseModel):
    """One quotable passage of a transcript, with what was rendered from it."""

    id: str = Field(description="q_<job id without dashes>_<n>: the job is found from the id alone.")
    text: str = Field(description="As shown on cards; editable (PATCH), `reset` restores original_text.")
    original_text: str
    speaker_label: str | None
    start_time: float
    end_time: float
    score: float = Field(description="Ranking score (higher is more quotable); quotes are listed best first.")
    is_favorite: bool = False
    audio_clip_url: str | None = None
    image_card_url: str | None = None
    video_card_url: str | None = None
    render_status: RenderStatus = "none"
    render_progress: float = Field(default=0.0, ge=0.0, le=1.0)
    render_error: str | None = None


def quote_id(job_id: str, index: int) -> str:
    return f"q_{uuid.UUID(job_id).hex}_{index}"


def job_of_quote(quote_id_: str) -> str | None:
    """The job a quote id names, or None for a malformed id (then: 404)."""
    parts = quote_id_.split("_")
    if len(parts) != 3 or parts[0] != "q" or not parts[2].isdigit():
        return None
    try:
        return str(uuid.UUID(hex=parts[1]))
    except ValueError:
        return None


def render_id(quote_id_: str, kind: RenderKind) -> str:
    """A render is named by its quote and kind: one current render of each per quote (a new one replaces it)."""
    return f"r{kind[0]}_{quote_id_}"


def parse_render_id(render_id_: str) -> tuple[str, RenderKind] | None:
    kinds: dict[str, RenderKind] = {"ri": "image", "rv": "video"}
    head, _, rest = render_id_.partition("_")
    if head not in kinds or job_of_quote(rest) is None:
        return None
    return rest, kinds[head]


class Theme(BaseModel):
    """An account's card look (the Voice Clips API's theme)."""

    model_config = ConfigDict(extra="forbid")

    background_color: str = "#101828"
    text_color: str = "#FFFFFF"
    accent_color: str = "#7C3AED"
    font: Literal["dejavu-sans", "dejavu-serif", "dejavu-mono", "liberation-sans", "liberation-serif"] = "dejavu-sans"
    pattern: Pattern = "none"
    watermark: str | None = Field(default=None, max_length=40)

    @field_validator("background_color", "text_color", "accent_color")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _HEX.match(value):
            raise ValueError("a colour is 6-digit hex such as #1A2B3C")
        return value.upper()


class RenderRequested(BaseModel):
    """On `parlance.renders`, keyed by job id: render one quote's card (and its clip) on a worker."""

    job_id: str
    account_id: str
    quote_id: str
    kind: RenderKind
    theme: Theme
    callback_url: str | None = None
    batch_id: str | None = None
