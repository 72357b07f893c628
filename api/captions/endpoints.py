"""POST /v1/captions/process: caption QA as a service. Thin: parsing, checks and fixes live in `captions`.

Scope: `jobs:read`. The route reads nothing of the account and writes nothing; it needs a valid key (for the
rate limits and the daily quota) but not the right to create jobs, so a read-only key may use it.

As CaptionPass promises: `preset` defaults to `youtube`; each 200 spends one of the plan's daily runs and says how
many are left (`remaining_api_runs_today`), a spent quota is 429 `quota_exceeded`; every response of the route is
`Cache-Control: no-store` and `X-Content-Type-Options: nosniff` (the output echoes the client's own captions).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.captions.errors import InvalidParameter, ProcessingFailed
from api.deps import JobsRead, StateDep
from api.envelope import Data
from api.errors import ApiError, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from captions import CaptionParseError, get_preset, process_captions
from captions.report import CaptionReportFields
from captions.errors import UnknownPreset
from captions.parse import MAX_INPUT_BYTES
from captions.presets import PRESETS

DEFAULT_PRESET = "youtube"
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class NoStoreRoute(APIRoute):
    """Adds NO_STORE to every response of the route, errors included (auth and quota errors are raised in
    dependencies and leave through the one error handler, which copies an ApiError's headers)."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handler = super().get_route_handler()

        async def with_headers(request: Request) -> Response:
            try:
                response = await handler(request)
            except ApiError as exc:
                exc.headers = {**exc.headers, **NO_STORE}
                raise
            response.headers.update(NO_STORE)
            return response

        return with_headers


class CaptionRun(BaseModel):
    """CaptionPass's response: the report's fields grouped under `report`, the fixed captions beside it."""

    report: CaptionReportFields
    output: str = Field(description="The captions rendered in the preset's format.")
    remaining_api_runs_today: int = Field(ge=0, description="Successful runs left to the account today (UTC).")


router = APIRouter(prefix="/captions", tags=["captions"], route_class=NoStoreRoute)

# Multipart framing around a 2 MiB file is a few hundred bytes; a declared body past this is refused unread.
_DECLARED_SLACK = 64 * 1024

_MULTIPART_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "SRT, WebVTT, SBV, ASS/SSA, TTML or caption JSON, UTF-8, at most 2 MiB."},
                        "preset": {"type": "string", "enum": list(PRESETS), "default": DEFAULT_PRESET, "description": "Rules and output format."},
                        "fix": {"type": "boolean", "default": True, "description": "Apply fixes (false: diagnose only)."},
                    },
                }
            }
        },
    }
}


@router.post("/process", response_model=Data[CaptionRun], openapi_extra=_MULTIPART_BODY)
async def process(request: Request, principal: JobsRead, state: StateDep) -> Data[CaptionRun]:
    """Check a caption file against a preset, fix what can be fixed, and return the report with the output.

    The key is checked first (dependency), a declared body over the cap is refused before reading it, and the
    file is read at most 2 MiB + 1 byte.
    """
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise UnsupportedMediaType("send multipart/form-data with a 'file' part and a 'preset' field")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_INPUT_BYTES + _DECLARED_SLACK:
        raise PayloadTooLarge(f"request body is {declared} bytes; caption files are limited to {MAX_INPUT_BYTES} bytes")
    async with request.form(max_files=1, max_fields=4, max_part_size=1024) as form:
        preset_name = form.get("preset") or DEFAULT_PRESET
        if not isinstance(preset_name, str):
            raise InvalidParameter(f"preset: one of {', '.join(PRESETS)}")
        try:
            preset = get_preset(preset_name)
        except UnknownPreset as exc:
            raise InvalidParameter(str(exc)) from exc
        fix_raw = form.get("fix")
        fix = not (isinstance(fix_raw, str) and fix_raw.lower() in ("false", "0", "no", "off"))
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationFailed("file: a multipart part named 'file' with the captions is required")
        data = await upload.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise PayloadTooLarge(f"caption files are limited to {MAX_INPUT_BYTES} bytes")
    now = datetime.now(timezone.utc)
    remaining = await state.caption_runs.reserve(principal, now)  # 429 quota_exceeded when today's runs are spent
    try:
        # CPU-bound (a 10,000-cue file takes a few hundred ms): keep it off the event loop.
        report = await run_in_threadpool(process_captions, data, preset, fix=fix)
    except BaseException as exc:
        await state.caption_runs.refund(principal, now)  # only 200s count
        if isinstance(exc, CaptionParseError):
            raise ProcessingFailed(str(exc)) from exc
        raise
    # model_construct: the engine built these already (re-validating ~30,000 diagnostics would cost ~0.4 s).
    fields = CaptionReportFields.model_construct(**{name: getattr(report, name) for name in CaptionReportFields.model_fields})
    return Data(data=CaptionRun(report=fields, output=report.output, remaining_api_runs_today=remaining))
