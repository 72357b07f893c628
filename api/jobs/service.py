"""The API side of job creation and reads: request checks, media storage, Idempotency-Key replays; the job's
life itself is jobs.usecases'."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import UploadFile

from api.errors import Conflict, NotFound, PayloadTooLarge, UnsupportedMediaType, ValidationFailed, job_errors_as_api
from api.state import ApiState
from jobs import billing, usecases
from jobs.billing import Admission
from jobs.usecases import NewJob, owns
from metering.plans import Plan
from schemas.events import JobStatus
from schemas.models import ModelNotAllowed, check_model
from schemas.options import JobOptions
from schemas.result import Transcript
from schemas.validation import validation_message
from quotes.service import ResultMissing, read_result
from webhooks.urls import UrlRefused, check_url
from store.jobs import find_by_idempotency_key, get_job
from store.keys import Principal
from store.models import Job
from store.objects import ObjectStore, ObjectTooLarge

log = logging.getLogger(__name__)

# Probing reads headers only; a file that takes longer than this is left to the worker to judge.
PROBE_TIMEOUT_S = 5.0

# Declared types we accept: anything audio/video, and the generic ones clients send when unsure. Whether
# the bytes really are media is the decoder's call (job fails with media_decode_error).
_GENERIC_TYPES = {"", "application/octet-stream", "application/ogg", "binary/octet-stream"}


def parse_options(raw: str | None) -> JobOptions:
    if raw is None or raw.strip() == "":
        return JobOptions()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(f"options: not valid JSON ({exc.msg} at position {exc.pos})") from exc
    try:
        return JobOptions.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(f"options: {validation_message(exc)}") from exc


def check_media_type(upload: UploadFile) -> None:
    check_content_type(upload.content_type)


def check_content_type(content_type: str | None) -> None:
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared in _GENERIC_TYPES or declared.startswith(("audio/", "video/")):
        return
    raise UnsupportedMediaType(
        f"unsupported media type '{declared}': upload audio or video (audio/*, video/* or application/octet-stream)"
    )


def _hash_upload(upload: UploadFile, options: JobOptions) -> str:
    """Digest of what the request asks for: the options and the media bytes (the spooled upload is rewound)."""
    digest = hashlib.sha256(options.model_dump_json(exclude_none=True).encode() + b"\0")
    upload.file.seek(0)
    while chunk := upload.file.read(1 << 20):
        digest.update(chunk)
    upload.file.seek(0)
    return digest.hexdigest()


async def replay(state: ApiState, principal: Principal, key: str, request_hash: str) -> Job | None:
    """The job an earlier request with this Idempotency-Key made, if any; 409 when the body differs."""
    async with state.sessions() as session:
        job = await find_by_idempotency_key(session, principal.account_id, key)
    if job is not None and not owns(principal, job):
        raise Conflict("this Idempotency-Key was already used by a key of the other mode (test/live)")
    if job is not None and job.request_hash != request_hash:
        raise Conflict("this Idempotency-Key was already used with a different request body")
    return job


async def check_options(state: ApiState, options: JobOptions, principal: Principal | None = None) -> None:
    if options.sandbox is not None and principal is not None and principal.live:
        raise ValidationFailed("options.sandbox: only sk_test_ (sandbox) keys may simulate a job's outcome")
    if options.model is not None:
        try:
            check_model(options.model, state.settings.allowed_models or ())
        except ModelNotAllowed as exc:
            raise ValidationFailed(f"options.model: {exc}") from exc
    if options.webhook_url:
        try:
            await check_url(options.webhook_url, allow_private=state.settings.allow_private_urls)
        except UrlRefused as exc:
            raise ValidationFailed(f"options.webhook_url: {exc}") from exc


async def create_job(
    state: ApiState, principal: Principal, upload: UploadFile, options: JobOptions, idempotency_key: str | None = None
) -> tuple[Job, bool]:
    """A multipart upload: the media is stored first, then the job is created queued. Returns the job and
    whether it was created now (False: an Idempotency-Key replay)."""
    check_media_type(upload)
    limit = state.settings.max_upload_bytes
    if upload.size is not None and upload.size > limit:
        raise PayloadTooLarge(f"file is {upload.size} bytes; the limit is {limit}")
    await check_options(state, options, principal)
    request_hash = None
    if idempotency_key is not None:
        request_hash = await asyncio.to_thread(_hash_upload, upload, options)
        existing = await replay(state, principal, idempotency_key, request_hash)
        if existing is not None:
            return existing, False
    job_id = usecases.new_job_id()
    media_key = f"media/{job_id}/source"
    try:
        size = await state.objects.put_file(media_key, upload.file, max_bytes=limit)
    except ObjectTooLarge as exc:
        raise PayloadTooLarge(f"file exceeds the upload limit of {limit} bytes") from exc
    new = NewJob(
        id=job_id,
        account_id=principal.account_id,
        sandbox=principal.sandbox,
        options=options,
        media_key=media_key,
        filename=(upload.filename or "")[:300] or None,
        content_type=upload.content_type,
        size_bytes=size,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
    )
    try:
        estimated = await estimate_seconds(state.objects, media_key, state.settings.quota_default_reservation_seconds)
        admission = Admission(await account_plan(state, principal.account_id), estimated)
        job, created = await create(state, principal, new, admission)
    except BaseException:
        await state.objects.delete(media_key)  # no orphaned media for a job that does not exist
        raise
    if not created:
        await state.objects.delete(media_key)  # the replayed job has its own
    return job, created


async def create(
    state: ApiState, principal: Principal, new: NewJob, admission: Admission | None
) -> tuple[Job, bool]:
    """Both creation routes (multipart, JSON) end here: the job in one transaction (jobs.usecases.create);
    when a concurrent request with the same Idempotency-Key won the unique index, its job (created False)."""
    try:
        with job_errors_as_api():
            async with state.sessions.begin() as session:
                job = await usecases.create(session, state.jobs, new, admission)
    except IntegrityError:
        if new.idempotency_key is None or new.request_hash is None:
            raise
        existing = await replay(state, principal, new.idempotency_key, new.request_hash)
        if existing is None:
            raise
        return existing, False
    return job, True


async def account_plan(state: ApiState, account_id: str) -> Plan:
    async with state.sessions() as session:
        return await billing.account_plan(session, account_id)


def probe_seconds(source: str) -> float | None:
    """Media duration from the container header (PyAV), or None when it does not say or cannot be read.
    `source` is a path or a presigned GET: FFmpeg reads the header with range requests, never the whole file."""
    import av  # imported here: only uploads need it

    with av.open(source, timeout=PROBE_TIMEOUT_S) as container:
        if container.duration is not None and container.duration > 0:
            return float(container.duration) / av.time_base
        for stream in container.streams.audio:
            if stream.duration is not None and stream.time_base is not None and stream.duration > 0:
                return float(stream.duration * stream.time_base)
    return None


async def estimate_seconds(objects: ObjectStore, key: str, default: int) -> float:
    """What to reserve before decoding: the probed duration, else `default`. Never fails the upload: media
    that cannot be probed is submitted anyway and the worker reports media_decode_error."""
    try:
        source = await objects.reader_url(key, ttl_s=60)  # a credential for S3: never logged
        seconds = await asyncio.wait_for(asyncio.to_thread(probe_seconds, source), timeout=PROBE_TIMEOUT_S * 2)
    except Exception as exc:  # noqa: BLE001 - any probing failure falls back to the default
        log.debug("duration probe of %s failed (%s); reserving %d s", key, type(exc).__name__, default)
        return float(default)
    return seconds if seconds is not None else float(default)


async def get_owned_job(state: ApiState, principal: Principal, job_id: str) -> Job:
    async with state.sessions() as session:
        job = await get_job(session, job_id, principal.account_id)
    if job is None or not owns(principal, job):
        raise NotFound(f"job {job_id} not found")
    return job


async def get_result(state: ApiState, principal: Principal, job_id: str) -> Transcript:
    job = await get_owned_job(state, principal, job_id)
    if job.status != JobStatus.completed or job.result_key is None:
        raise NotFound(f"job {job_id} has no result yet (status: {job.status})")
    try:
        # With its quotes: chosen on the first read, then stored (quotes/service.py says why).
        return await read_result(state.sessions, state.objects, job.id)
    except ResultMissing as exc:
        raise NotFound(f"the result of job {job_id} is no longer stored") from exc
