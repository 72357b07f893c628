"""JSON job creation: `filename` → a `pending` job and an upload URL, or `media_url` → a `queued` job whose
media the worker fetches (streams/fetch.py).

The upload URL is its own credential, so a client can hand it to a browser or a CDN edge without its API key.
With an S3 object store it is the store's presigned PUT of the job's one upload key (the bytes never pass
through the API; `POST /v1/jobs/{id}/uploaded` then moves the job on, after a HEAD of the object). With the
local store it is the API's own `PUT /v1/uploads/{job_id}`, signed with HMAC-SHA256(`upload_url_secret`,
"{job_id}.{expires}") so the API needs no row to check it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
import uuid
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.deps import StateDep
from api.envelope import Data
from api.errors import (
    ConcurrencyLimit,
    Conflict,
    Forbidden,
    InsufficientCredits,
    NotFound,
    PayloadTooLarge,
    ValidationFailed,
    error_docs,
    job_errors_as_api,
)
from api.jobs import service
from api.jobs.schemas import JobOut
from api.state import ApiState
from webhooks.urls import UrlRefused, check_url
from schemas.context import bind_job_id
from jobs import usecases
from jobs.billing import Admission
from jobs.usecases import NewJob, StoredMedia
from schemas.events import JobStatus
from schemas.options import TOP_LEVEL_OPTION_FIELDS, JobOptions, with_top_level
from store.jobs import lock_job
from store.keys import Principal
from store.models import Job
from store.objects import ObjectNotFound, ObjectTooLarge

log = logging.getLogger(__name__)


class JobCreateJson(BaseModel):
    """`POST /v1/jobs` with `Content-Type: application/json`: exactly one of `filename` and `media_url`."""

    model_config = ConfigDict(extra="forbid")

    filename: str | None = Field(
        default=None, min_length=1, max_length=300, description="Name of the file you will PUT to `upload_url`."
    )
    media_url: str | None = Field(
        default=None,
        max_length=2000,
        pattern=r"^https?://[^\s]+$",
        description="Public http(s) URL of the media; the worker downloads it (failures end the job with "
        "media_fetch_error).",
    )
    options: JobOptions = Field(default_factory=JobOptions)
    # VoxChron's shape: these three beside `options` too (folded into it; different values in both are 422).
    language: str | None = Field(default=None, description="Same as options.language.")
    model: str | None = Field(default=None, description="Same as options.model.")
    webhook_url: str | None = Field(default=None, description="Same as options.webhook_url.")

    @model_validator(mode="after")
    def _one_source(self) -> "JobCreateJson":
        if (self.filename is None) == (self.media_url is None):
            raise ValueError("give exactly one of filename (then PUT the media to upload_url) and media_url")
        top = {name: getattr(self, name) for name in TOP_LEVEL_OPTION_FIELDS}
        self.options = with_top_level(self.options, top)
        for name in TOP_LEVEL_OPTION_FIELDS:
            setattr(self, name, None)  # one place from here on: the idempotency digest and the stored options
        return self


# ---- signing ----------------------------------------------------------------------------------------


def sign(secret: str, job_id: str, expires: int) -> str:
    return hmac.new(secret.encode(), f"{job_id}.{expires}".encode(), hashlib.sha256).hexdigest()


def upload_key(job_id: str) -> str:
    """The one key a job's presigned upload may write (job ids are the server's UUIDs)."""
    return f"media/{job_id}/upload"


async def upload_url(state: ApiState, request: Request, job_id: str) -> tuple[str, datetime]:
    ttl = state.settings.upload_url_ttl_s
    expires = int(time.time()) + ttl
    expires_at = datetime.fromtimestamp(expires, timezone.utc)
    presigned = await state.objects.presign_put(upload_key(job_id), ttl)
    if presigned is not None:
        return presigned, expires_at
    base = (state.settings.public_url or str(request.base_url)).rstrip("/")
    signature = sign(state.settings.upload_url_secret, job_id, expires)
    return f"{base}/v1/uploads/{job_id}?expires={expires}&signature={signature}", expires_at


def check_signature(state: ApiState, job_id: str, expires: int, signature: str) -> None:
    expected = sign(state.settings.upload_url_secret, job_id, expires)
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise Forbidden("invalid upload signature")
    if expires < time.time():
        raise Forbidden("this upload URL has expired; create a new job")


# ---- creation ---------------------------------------------------------------------------------------


def _request_hash(body: JobCreateJson) -> str:
    return hashlib.sha256(body.model_dump_json(exclude_none=True).encode()).hexdigest()


async def create_json_job(
    state: ApiState, principal: Principal, body: JobCreateJson, idempotency_key: str | None
) -> tuple[Job, bool]:
    """A `pending` job waiting for its upload, or a `queued` one for the worker to fetch. Returns (job, created)."""
    await service.check_options(state, body.options, principal)
    if body.media_url is not None:
        try:
            await check_url(body.media_url, allow_private=state.settings.allow_private_urls)
        except UrlRefused as exc:
            raise ValidationFailed(f"media_url: {exc}") from exc
    request_hash = _request_hash(body) if idempotency_key is not None else None
    if idempotency_key is not None and request_hash is not None:
        existing = await service.replay(state, principal, idempotency_key, request_hash)
        if existing is not None:
            return existing, False
    job_id = usecases.new_job_id()
    bind_job_id(job_id)
    fetch = body.media_url is not None
    admission = None
    if fetch:  # queued at once: reserve now; an upload reserves when it arrives
        plan = await service.account_plan(state, principal.account_id)
        admission = Admission(plan, float(state.settings.quota_default_reservation_seconds))
    new = NewJob(
        id=job_id,
        account_id=principal.account_id,
        sandbox=principal.sandbox,
        options=body.options,
        # A fetched file lands at this key; an upload gets its own key when it arrives (see receive_upload).
        media_key=f"media/{job_id}/source" if fetch else None,
        media_url=body.media_url,
        filename=body.filename,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
    )
    return await service.create(state, principal, new, admission)


async def receive_upload(state: ApiState, request: Request, job_id: str) -> Job:
    """Stream the body into the object store, then pending → queued with the minutes reserved, in one
    transaction. Each upload writes its own object, so of two racing uploads one wins and the other's object is
    deleted; a second upload after that is 409."""
    async with state.sessions() as session:
        job = await lock_job(session, job_id)
    if job is None:
        raise NotFound(f"job {job_id} not found")
    if job.status != JobStatus.pending or job.media_key is not None:
        raise Conflict(f"job {job_id} already has its media (status: {job.status})")
    content_type = request.headers.get("content-type")
    service.check_content_type(content_type)
    limit = state.settings.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"request body is {declared} bytes; the upload limit is {limit}")
    media_key = f"media/{job_id}/upload-{uuid.uuid4().hex[:12]}"
    try:
        size = await state.objects.put_stream(media_key, request.stream(), max_bytes=limit)
    except ObjectTooLarge as exc:
        raise PayloadTooLarge(f"file exceeds the upload limit of {limit} bytes") from exc
    return await _accept(state, job, media_key, size, content_type)


async def complete_upload(state: ApiState, principal: Principal, job_id: str) -> Job:
    """The client says its PUT to a presigned upload URL finished: HEAD the upload key, move the object to a
    key of the job's own (a later PUT to the same URL cannot change what the worker reads), then the same
    checks and pending → queued as an upload through the API. Idempotent: a job that already has its media is
    answered as it is (also the case after `PUT /v1/uploads/{job_id}`)."""
    job = await service.get_owned_job(state, principal, job_id)
    if job.media_key is not None:
        return job
    if job.status != JobStatus.pending or job.media_url is not None:
        raise Conflict(f"job {job_id} takes no upload (status: {job.status})")
    bind_job_id(job_id)
    media_key = f"media/{job_id}/source-{uuid.uuid4().hex[:12]}"
    try:
        await state.objects.move(upload_key(job_id), media_key)
    except ObjectNotFound as exc:
        current = await service.get_owned_job(state, principal, job_id)
        if current.media_key is not None:  # a concurrent completion moved it
            return current
        raise Conflict(f"job {job_id}: nothing was uploaded to its upload_url yet") from exc
    size = await state.objects.size(media_key) or 0  # after the move: what the worker will read
    limit = state.settings.max_upload_bytes
    if size > limit:
        await state.objects.delete(media_key)
        raise PayloadTooLarge(f"the upload is {size} bytes; the limit is {limit} (PUT a smaller file again)")
    return await _accept(state, job, media_key, size, None)


async def _accept(state: ApiState, job: Job, media_key: str, size: int, content_type: str | None) -> Job:
    """Stored media → the job leaves `pending`: probe, reserve, record, in one transaction. Any refusal deletes
    the object, so nothing is left behind and the client may upload again while its URL lasts."""
    try:
        if size == 0:
            raise ValidationFailed("the upload is empty")
        estimated = await service.estimate_seconds(
            state.objects, media_key, state.settings.quota_default_reservation_seconds
        )
        admission = Admission(await service.account_plan(state, job.account_id), estimated)
        with job_errors_as_api():
            async with state.sessions.begin() as session:
                locked = await usecases.receive_upload(
                    session, state.jobs, job, StoredMedia(media_key, size, content_type), admission
                )
    except BaseException:  # a Conflict when a racing upload won
        await state.objects.delete(media_key)
        raise
    return locked


router = APIRouter(prefix="/uploads", tags=["jobs"])

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        "description": "The raw media bytes (any audio/* or video/* Content-Type, or application/octet-stream).",
    }
}


@router.put(
    "/{job_id}",
    response_model=Data[JobOut],
    openapi_extra=_UPLOAD_BODY,
    responses=error_docs(Forbidden, Conflict, InsufficientCredits, ConcurrencyLimit, PayloadTooLarge),
)
async def upload_media(
    job_id: str,
    request: Request,
    state: StateDep,
    expires: Annotated[int, Query(description="Unix seconds, from upload_url.")],
    signature: Annotated[str, Query(max_length=128, description="From upload_url.")],
) -> Data[JobOut]:
    """The media of a job created with `filename`. The signed URL is the credential (no API key); it is valid
    4 hours and for one upload: 403 when expired or tampered with, 409 once the media arrived."""
    check_signature(state, job_id, expires, signature)
    return Data(data=JobOut.from_row(await receive_upload(state, request, job_id)))
