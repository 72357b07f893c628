"""/v1/render/bulk, /v1/render/{id} and /v1/jobs/{id}/files/{filename}: renders and the files they make."""

from __future__ import annotations

import re
import uuid
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import JobsRead, JobsWrite, StateDep
from api.envelope import Data
from api.errors import ApiError, NotFound, ValidationFailed, error_docs
from api.jobs.service import get_owned_job
from api.quotes import service
from webhooks.urls import UrlRefused, check_url
from quotes.render import BatchStore
from quotes.service import FILE_TYPES, file_key
from schemas.quotes import Quote, RenderKind, RenderStatus, job_of_quote, parse_render_id, render_id
from store.objects import ObjectNotFound
from webhooks.signing import new_secret

router = APIRouter(tags=["quotes"])

MAX_BULK = 50
_STATUS: dict[int, Literal["not_found", "forbidden", "unavailable"]] = {404: "not_found", 403: "forbidden", 503: "unavailable"}
_FILE = re.compile(r"^(q_[0-9a-f]{32}_\d{1,3})\.(ogg|png|mp4)$")


class RenderOut(BaseModel):
    """A render is named by its quote and kind; its status is the quote's latest render's."""

    id: str
    quote_id: str
    kind: RenderKind
    status: RenderStatus
    progress: float
    url: str | None = Field(description="The card (PNG or MP4) once completed.")
    audio_clip_url: str | None
    error: str | None

    @classmethod
    def of(cls, quote: Quote, kind: RenderKind) -> "RenderOut":
        return cls(
            id=render_id(quote.id, kind), quote_id=quote.id, kind=kind, status=quote.render_status,
            progress=quote.render_progress, url=quote.image_card_url if kind == "image" else quote.video_card_url,
            audio_clip_url=quote.audio_clip_url, error=quote.render_error,
        )


class BulkItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quote_id: str
    kind: RenderKind = "image"


class BulkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[BulkItem] = Field(min_length=1, max_length=MAX_BULK)
    callback_url: str | None = Field(default=None, max_length=2000, pattern=r"^https?://[^\s]+$")


class BulkItemOut(BaseModel):
    quote_id: str
    kind: RenderKind
    render_id: str | None
    status: Literal["queued", "not_found", "forbidden", "unavailable"]
    error: str | None = None


class BulkOut(BaseModel):
    batch_id: str
    callback_secret: str | None = Field(description="Signs the callback (Standard Webhooks, like webhooks); shown once.")
    items: list[BulkItemOut]


@router.post("/render/bulk", status_code=202, response_model=Data[BulkOut], responses=error_docs(ValidationFailed))
async def bulk_render(body: BulkRequest, principal: JobsWrite, state: StateDep) -> Data[BulkOut]:
    """Up to 50 renders at once; each item says whether it was queued. With `callback_url`, one signed POST
    (`render.batch_completed`, signed like webhooks with `callback_secret`) once every queued render ended."""
    if body.callback_url is not None:
        try:
            await check_url(body.callback_url, allow_private=state.settings.allow_private_urls)
        except UrlRefused as exc:
            raise ValidationFailed(f"callback_url: {exc}") from exc
    batch_id = f"rb_{uuid.uuid4().hex}"
    secret = new_secret() if body.callback_url else None
    theme = await service.get_theme(state, principal)
    out: dict[int, BulkItemOut] = {}
    ready: list[tuple[int, BulkItem]] = []
    for index, item in enumerate(body.items):  # first find what can be queued ...
        try:
            service.check_plan(principal, item.kind)
            await service.read_quote(state, principal, item.quote_id)
        except ApiError as exc:
            out[index] = BulkItemOut(quote_id=item.quote_id, kind=item.kind, render_id=None, status=_STATUS.get(exc.status, "not_found"), error=exc.message)
            continue
        ready.append((index, item))
    # ... then write the whole batch before queuing any of it: the render that ends the batch reads it.
    items = [{"job_id": str(job_of_quote(i.quote_id)), "quote_id": i.quote_id, "render_id": render_id(i.quote_id, i.kind)} for _, i in ready]
    await BatchStore(state.objects).put(principal.account_id, batch_id, {"items": items, "callback_url": body.callback_url, "secret": secret})
    for index, item in ready:
        try:  # a render that cannot be queued is marked failed on its quote, so the batch still ends
            await service.request_render(state, principal, item.quote_id, item.kind, theme=theme, callback_url=body.callback_url, batch_id=batch_id)
        except ApiError as exc:
            out[index] = BulkItemOut(quote_id=item.quote_id, kind=item.kind, render_id=None, status=_STATUS.get(exc.status, "not_found"), error=exc.message)
            continue
        out[index] = BulkItemOut(quote_id=item.quote_id, kind=item.kind, render_id=render_id(item.quote_id, item.kind), status="queued")
    return Data(data=BulkOut(batch_id=batch_id, callback_secret=secret, items=[out[i] for i in sorted(out)]))


@router.get("/render/{render_id_}", response_model=Data[RenderOut], responses=error_docs(NotFound))
async def get_render(render_id_: str, principal: JobsRead, state: StateDep) -> Data[RenderOut]:
    parsed = parse_render_id(render_id_)
    if parsed is None:
        raise NotFound(f"render {render_id_} not found")
    quote_id, kind = parsed
    quote = await service.read_quote(state, principal, quote_id)
    return Data(data=RenderOut.of(quote, kind))


@router.get(
    "/jobs/{job_id}/files/{filename}",
    responses={200: {"content": {t: {} for t in FILE_TYPES.values()}}, **error_docs(NotFound)},
    response_class=Response,
)
async def get_file(job_id: str, filename: str, principal: JobsRead, state: StateDep) -> Response:
    """A rendered clip (audio/ogg), image card (image/png) or video card (video/mp4) of one of the job's quotes."""
    match = _FILE.match(filename)
    job = await get_owned_job(state, principal, job_id)
    if match is None or job_of_quote(match.group(1)) != job.id:
        raise NotFound(f"file {filename} not found")
    quote_id, ext = match.group(1), match.group(2)
    try:
        data = await state.objects.get_bytes(file_key(job.id, quote_id, ext))
    except ObjectNotFound as exc:
        raise NotFound(f"file {filename} not found (not rendered yet?)") from exc
    return Response(
        content=data, media_type=FILE_TYPES[ext],
        headers={"Content-Disposition": f'inline; filename="{filename}"', "X-Content-Type-Options": "nosniff"},
    )
