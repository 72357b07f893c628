"""GET /v1/jobs/{id}/exports/{format}: the transcript as captions or a document.

Thin: the job and its result come from `api.jobs.service` (404 until completed), the rendering from
`captions.render_transcript` — the same code `parlance transcribe --format` uses.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from api.captions.errors import InvalidParameter
from api.deps import JobsRead, StateDep
from api.jobs import service
from captions import EXPORT_FORMATS, render_transcript
from captions.errors import UnknownPreset
from captions.presets import PRESETS, get_preset
from captions.render import MEDIA_TYPES

router = APIRouter(prefix="/jobs", tags=["jobs"])

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _filename(stem: str | None, job_id: str, fmt: str) -> str:
    base = _UNSAFE.sub("_", (stem or "").rsplit(".", 1)[0]).strip("._") or job_id
    return f"{base[:100]}.{fmt}"


@router.get(
    "/{job_id}/exports/{format}",
    response_class=Response,
    responses={200: {"description": "The export file", "content": {MEDIA_TYPES[f].split(";")[0]: {} for f in EXPORT_FORMATS}}},
)
async def export(
    job_id: str,
    format: str,
    principal: JobsRead,
    state: StateDep,
    preset: Annotated[str, Query(description=f"Caption rules: {', '.join(PRESETS)}.")] = "generic",
    speaker_labels: Annotated[bool, Query(description="Label speakers (when the transcript has them).")] = True,
    max_chars: Annotated[int | None, Query(ge=10, le=200, description="Override the preset's characters per line.")] = None,
    max_lines: Annotated[int | None, Query(ge=1, le=5, description="Override the preset's lines per cue.")] = None,
) -> Response:
    """Render a completed job's transcript as srt, vtt, ttml (IMSC1), json (caption IR), txt or docx."""
    if format not in EXPORT_FORMATS:
        raise InvalidParameter(f"format: unknown export format '{format}'; use one of: {', '.join(EXPORT_FORMATS)}")
    try:
        rules = get_preset(preset)
    except UnknownPreset as exc:
        raise InvalidParameter(f"preset: {exc}") from exc
    job = await service.get_owned_job(state, principal, job_id)
    transcript = await service.get_result(state, principal, job_id)
    body = await run_in_threadpool(
        lambda: render_transcript(
            transcript, format, rules, speaker_labels=speaker_labels, max_chars=max_chars, max_lines=max_lines,
            title=job.filename or f"Job {job_id}", job_id=job_id,
        )
    )
    name = _filename(job.filename, job_id, format)
    return Response(
        content=body,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
