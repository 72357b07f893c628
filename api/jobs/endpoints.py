"""/v1/jobs routes: thin; the rules live in api.jobs.service."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.datastructures import UploadFile

from api.deps import JobsRead, JobsWrite, StateDep
from api.envelope import Data
from api.errors import ConcurrencyLimit, InsufficientCredits, PayloadTooLarge, UnsupportedMediaType, ValidationFailed, error_docs
from api.jobs import service
from api.jobs.schemas import JobOut
from schemas.result import Transcript

router = APIRouter(prefix="/jobs", tags=["jobs"])

_MULTIPART_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "Audio or video file."},
                        "options": {
                            "type": "string",
                            "description": 'JSON object of JobOptions, e.g. {"language": "en", "model": "tiny.en"}.',
                        },
                    },
                }
            }
        },
    }
}


@router.post(
    "",
    status_code=201,
    response_model=Data[JobOut],
    openapi_extra=_MULTIPART_BODY,
    responses=error_docs(InsufficientCredits, ConcurrencyLimit),
)
async def create_job(request: Request, response: Response, principal: JobsWrite, state: StateDep) -> Data[JobOut]:
    """Upload media and start a transcription job.

    The body is read only after the key is checked, and a declared Content-Length over the limit is refused
    before reading it. The job reserves its minutes against the plan: 402 `insufficient_credits` when a hard
    cap has too few left, 429 `concurrency_limit` when the plan's jobs in flight are reached.
    """
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise UnsupportedMediaType("send multipart/form-data with a 'file' part and an optional 'options' JSON part")
    declared = request.headers.get("content-length")
    limit = state.settings.max_upload_bytes
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise PayloadTooLarge(f"request body is {declared} bytes; the upload limit is {limit}")
    async with request.form(max_files=1, max_fields=8, max_part_size=64 * 1024) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationFailed("file: a multipart part named 'file' with the media is required")
        raw_options = form.get("options")
        options = service.parse_options(raw_options if isinstance(raw_options, str) else None)
        job = await service.create_job(state, principal, upload, options)
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    return Data(data=JobOut.from_row(job))


@router.get("/{job_id}", response_model=Data[JobOut])
async def get_job(job_id: str, principal: JobsRead, state: StateDep) -> Data[JobOut]:
    return Data(data=JobOut.from_row(await service.get_owned_job(state, principal, job_id)))


@router.get("/{job_id}/result", response_model=Data[Transcript])
async def get_result(job_id: str, principal: JobsRead, state: StateDep) -> Data[Transcript]:
    """The transcript: 404 until the job has completed."""
    return Data(data=await service.get_result(state, principal, job_id))
