"""POST /v1/captions/process: caption QA as a service. Thin: parsing, checks and fixes live in `captions`.

Scope: `jobs:read`. The route reads nothing of the account and writes nothing; it needs a valid key (for the
rate limits and metering to come) but not the right to create jobs, so a read-only key may use it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.captions.errors import InvalidParameter, ProcessingFailed
from api.deps import JobsRead
from api.envelope import Data
from api.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from captions import CaptionParseError, CaptionReport, get_preset, process_captions
from captions.errors import UnknownPreset
from captions.parse import MAX_INPUT_BYTES
from captions.presets import PRESETS

router = APIRouter(prefix="/captions", tags=["captions"])

# Multipart framing around a 2 MiB file is a few hundred bytes; a declared body past this is refused unread.
_DECLARED_SLACK = 64 * 1024

_MULTIPART_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "preset"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "SRT, WebVTT, SBV, ASS/SSA, TTML or caption JSON, UTF-8, at most 2 MiB."},
                        "preset": {"type": "string", "enum": list(PRESETS), "description": "Rules and output format."},
                        "fix": {"type": "boolean", "default": True, "description": "Apply fixes (false: diagnose only)."},
                    },
                }
            }
        },
    }
}


@router.post("/process", response_model=Data[CaptionReport], openapi_extra=_MULTIPART_BODY)
async def process(request: Request, principal: JobsRead) -> Data[CaptionReport]:
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
        preset_name = form.get("preset")
        if not isinstance(preset_name, str) or not preset_name:
            raise InvalidParameter(f"preset: required; one of {', '.join(PRESETS)}")
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
    try:
        # CPU-bound (a 10,000-cue file takes a few hundred ms): keep it off the event loop.
        report = await run_in_threadpool(process_captions, data, preset, fix=fix)
    except CaptionParseError as exc:
        raise ProcessingFailed(str(exc)) from exc
    return Data(data=report)
