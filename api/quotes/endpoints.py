"""/v1/quotes/{id} and a job's quote list: read, edit text (or reset), speaker, favourite; ask for renders.

Thin: the rules are in api/quotes/service.py and the `quotes` package.
"""

from __future__ import annotations

import unicodedata

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.deps import JobsRead, JobsWrite, StateDep
from api.envelope import Data
from api.errors import Forbidden, NotFound, Unavailable, ValidationFailed, error_docs
from api.quotes import service
from schemas.quotes import Quote, RenderKind

router = APIRouter(tags=["quotes"])

MAX_TEXT = 600


class QuoteEdit(BaseModel):
    """Either new `text` or `reset: true` (back to `original_text`)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)
    reset: bool = False

    @model_validator(mode="after")
    def _one(self) -> "QuoteEdit":
        if (self.text is None) == (not self.reset):
            raise ValueError("give either text or reset: true")
        return self


class SpeakerEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speaker_label: str = Field(min_length=1, max_length=64)


class FavoriteEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    is_favorite: bool | None = Field(default=None, description="Absent: toggle.")


def _printable(value: str, field: str) -> str:
    clean = " ".join(value.split())
    if not clean or any(unicodedata.category(c).startswith("C") for c in clean):
        raise ValidationFailed(f"{field}: printable text is required")
    return clean


@router.get("/jobs/{job_id}/quotes", response_model=Data[list[Quote]])
async def list_quotes(job_id: str, principal: JobsRead, state: StateDep) -> Data[list[Quote]]:
    """The job's quotes, best first (chosen on the first read of its result)."""
    return Data(data=await service.job_quotes(state, principal, job_id))


@router.get("/quotes/{quote_id}", response_model=Data[Quote], responses=error_docs(NotFound))
async def get_quote(quote_id: str, principal: JobsRead, state: StateDep) -> Data[Quote]:
    return Data(data=await service.read_quote(state, principal, quote_id))


@router.patch("/quotes/{quote_id}", response_model=Data[Quote], responses=error_docs(NotFound, ValidationFailed))
async def edit_quote(quote_id: str, body: QuoteEdit, principal: JobsWrite, state: StateDep) -> Data[Quote]:
    """Edit the text shown on cards, or `{"reset": true}`. Rendered files keep the old text until rendered again."""
    text = None if body.reset else _printable(body.text or "", "text")

    def change(quote: Quote) -> tuple[Quote, bool]:
        quote.text = quote.original_text if text is None else text
        return quote.model_copy(), True

    return Data(data=await service.on_quote(state, principal, quote_id, change))


@router.patch("/quotes/{quote_id}/speaker", response_model=Data[Quote], responses=error_docs(NotFound, ValidationFailed))
async def edit_speaker(quote_id: str, body: SpeakerEdit, principal: JobsWrite, state: StateDep) -> Data[Quote]:
    """Attribute this quote to someone else (this quote only; PATCH /jobs/{id}/speakers renames everywhere)."""
    name = _printable(body.speaker_label, "speaker_label")

    def change(quote: Quote) -> tuple[Quote, bool]:
        quote.speaker_label = name
        return quote.model_copy(), True

    return Data(data=await service.on_quote(state, principal, quote_id, change))


@router.patch("/quotes/{quote_id}/favorite", response_model=Data[Quote], responses=error_docs(NotFound))
async def edit_favorite(quote_id: str, principal: JobsWrite, state: StateDep, body: FavoriteEdit | None = None) -> Data[Quote]:
    wanted = body.is_favorite if body is not None else None

    def change(quote: Quote) -> tuple[Quote, bool]:
        quote.is_favorite = (not quote.is_favorite) if wanted is None else wanted
        return quote.model_copy(), True

    return Data(data=await service.on_quote(state, principal, quote_id, change))


async def _render(quote_id: str, kind: RenderKind, principal: JobsWrite, state: StateDep) -> Data[Quote]:
    theme = await service.get_theme(state, principal)
    return Data(data=await service.request_render(state, principal, quote_id, kind, theme=theme))


@router.post(
    "/quotes/{quote_id}/render-image", status_code=202, response_model=Data[Quote],
    responses=error_docs(NotFound, Unavailable),
)
async def render_image(quote_id: str, principal: JobsWrite, state: StateDep) -> Data[Quote]:
    """Queue the clip and the image card (PNG, 1080x1080, the account's theme); follow GET /v1/render/ri_<quote id>."""
    return await _render(quote_id, "image", principal, state)


@router.post(
    "/quotes/{quote_id}/render-video", status_code=202, response_model=Data[Quote],
    responses=error_docs(Forbidden, NotFound, Unavailable),
)
async def render_video(quote_id: str, principal: JobsWrite, state: StateDep) -> Data[Quote]:
    """Queue the clip and the video card (MP4: the card, a waveform filling as it plays, the clip's sound). Pro
    plan or higher (403)."""
    return await _render(quote_id, "video", principal, state)
