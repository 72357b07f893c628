"""/v1/jobs routes: thin; the rules live in api.jobs.service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from api.deps import JobsRead, JobsWrite, StateDep
from api.envelope import Data, Page, inline_schema
from api.errors import (
    ConcurrencyLimit,
    Conflict,
    InsufficientCredits,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    error_docs,
)
from api.jobs import actions, service, uploads
from api.jobs.schemas import JobOut
from api.pagination import PageDep
from api.state import ApiState
from store.keys import Principal
from schemas.events import JobStatus
from schemas.options import TOP_LEVEL_OPTION_FIELDS, with_top_level
from schemas.result import Transcript
from schemas.validation import validation_message

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Same key and same body return the same job (200) instead of a new one; a different body 409.",
    ),
]

router = APIRouter(prefix="/jobs", tags=["jobs"])

_JSON_MAX = 256 * 1024

_MULTIPART_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": inline_schema(uploads.JobCreateJson)},
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
    responses={
        **error_docs(InsufficientCredits, ConcurrencyLimit, Conflict),
        200: {"model": Data[JobOut], "description": "Idempotency-Key replay: the job the first request made."},
    },
)
async def create_job(
    request: Request, response: Response, principal: JobsWrite, state: StateDep, idempotency_key: IdempotencyKey = None
) -> Data[JobOut]:
    """Upload media and start a transcription job (multipart), or create one from JSON: `filename` answers a
    `pending` job with a signed `upload_url` to PUT the media to; `media_url` answers a `queued` job whose media
    the worker downloads.

    The body is read only after the key is checked, and a declared Content-Length over the limit is refused
    before reading it. The job reserves its minutes against the plan: 402 `insufficient_credits` when a hard
    cap has too few left, 429 `concurrency_limit` when the plan's jobs in flight are reached.
    """
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        return await _create_json_job(request, response, principal, state, idempotency_key)
    if not content_type.startswith("multipart/form-data"):
        raise UnsupportedMediaType(
            "send multipart/form-data with a 'file' part and an optional 'options' JSON part, or JSON with "
            "'filename' or 'media_url'"
        )
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
        top = {n: v for n in TOP_LEVEL_OPTION_FIELDS if isinstance(v := form.get(n), str) and v}
        try:
            options = with_top_level(options, top)
        except ValidationError as exc:
            raise ValidationFailed(validation_message(exc)) from exc
        except ValueError as exc:
            raise ValidationFailed(str(exc)) from exc
        job, created = await service.create_job(state, principal, upload, options, idempotency_key)
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    if not created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    return Data(data=JobOut.from_row(job, show_secret=created))


async def _create_json_job(
    request: Request, response: Response, principal: Principal, state: ApiState, idempotency_key: str | None
) -> Data[JobOut]:
    if request.headers.get("content-length", "0").isdigit() and int(request.headers.get("content-length", "0")) > _JSON_MAX:
        raise PayloadTooLarge(f"a JSON job request is at most {_JSON_MAX} bytes")
    raw = await request.body()
    try:
        body = uploads.JobCreateJson.model_validate_json(raw)
    except ValidationError as exc:
        raise ValidationFailed(validation_message(exc)) from exc
    job, created = await uploads.create_json_job(state, principal, body, idempotency_key)
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    out = JobOut.from_row(job, show_secret=created)
    if not created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    if job.status == JobStatus.pending and job.media_key is None:
        # A replay gets a fresh URL too: the job still waits for its media.
        out.upload_url, out.upload_expires_at = await uploads.upload_url(state, request, job.id)
    return Data(data=out)


@router.get("", response_model=Page[JobOut])
async def list_jobs(
    principal: JobsRead,
    state: StateDep,
    page: PageDep,
    status: Annotated[JobStatus | None, Query(description="Only jobs in this status.")] = None,
    created_after: Annotated[datetime | None, Query(description="ISO 8601; exclusive.")] = None,
    created_before: Annotated[datetime | None, Query(description="ISO 8601; exclusive.")] = None,
    archived: Annotated[bool | None, Query(description="true: only archived; false: only not archived.")] = None,
) -> Page[JobOut]:
    """The account's jobs, newest first."""
    for name, value in (("created_after", created_after), ("created_before", created_before)):
        if value is not None and value.tzinfo is None:
            raise ValidationFailed(f"{name}: give a time zone (e.g. 2026-01-01T00:00:00Z)")
    rows, total = await actions.list_jobs(
        state, principal, page, status=status, created_after=created_after, created_before=created_before, archived=archived
    )
    return Page.of([JobOut.from_row(j) for j in rows], total=total, limit=page.limit, offset=page.offset)


@router.get("/{job_id}", response_model=Data[JobOut])
async def get_job(job_id: str, principal: JobsRead, state: StateDep) -> Data[JobOut]:
    return Data(data=JobOut.from_row(await service.get_owned_job(state, principal, job_id)))


@router.get("/{job_id}/result", response_model=Data[Transcript])
async def get_result(job_id: str, principal: JobsRead, state: StateDep) -> Data[Transcript]:
    """The transcript: 404 until the job has completed."""
    return Data(data=await service.get_result(state, principal, job_id))


@router.post(
    "/{job_id}/uploaded",
    response_model=Data[JobOut],
    responses=error_docs(Conflict, PayloadTooLarge, InsufficientCredits, ConcurrencyLimit),
)
async def upload_completed(job_id: str, principal: JobsWrite, state: StateDep) -> Data[JobOut]:
    """Tell the API that the PUT to `upload_url` finished: the job leaves `pending` (`queued`) once its media
    is checked and its minutes reserved. 409 while nothing was uploaded; answers the job as it is when its
    media already arrived (always safe to call, whichever kind of upload_url the job got)."""
    return Data(data=JobOut.from_row(await uploads.complete_upload(state, principal, job_id)))


@router.post("/{job_id}/cancel", response_model=Data[JobOut], responses=error_docs(Conflict))
async def cancel_job(job_id: str, principal: JobsWrite, state: StateDep) -> Data[JobOut]:
    """Stop a pending, queued or processing job; its reserved minutes are released and nothing is billed.
    409 when it already ended."""
    return Data(data=JobOut.from_row(await actions.cancel_job(state, principal, job_id)))


@router.post(
    "/{job_id}/retry", response_model=Data[JobOut], responses=error_docs(Conflict, InsufficientCredits, ConcurrencyLimit)
)
async def retry_job(job_id: str, principal: JobsWrite, state: StateDep) -> Data[JobOut]:
    """Run a failed job again (at most 3 retries; `retry_count` counts them). 409 for any other status."""
    return Data(data=JobOut.from_row(await actions.retry_job(state, principal, job_id)))


@router.patch("/{job_id}/archive", response_model=Data[JobOut])
async def archive_job(job_id: str, principal: JobsWrite, state: StateDep) -> Data[JobOut]:
    """Toggle `is_archived` (a label for listings; the job is unchanged otherwise)."""
    return Data(data=JobOut.from_row(await actions.toggle_archive(state, principal, job_id)))


@router.delete("/{job_id}", status_code=204, response_class=Response, responses=error_docs(Conflict))
async def delete_job(job_id: str, principal: JobsWrite, state: StateDep) -> Response:
    """Delete a finished job with its media, result and exports. 409 while it is still running (cancel first)."""
    await actions.delete_job(state, principal, job_id)
    return Response(status_code=204)
