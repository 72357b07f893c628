"""Job rules for the API: accepting media, creating the job row and its events atomically."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import uuid

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from api.errors import (
    ConcurrencyLimit,
    Conflict,
    InsufficientCredits,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    validation_message,
)
from api.state import ApiState
from metering.plans import Plan, plan_or_default
from metering.quota import QuotaDecision
from schemas.events import JobCreated, JobCreatedPayload, JobQueued, JobStatus
from schemas.models import ModelNotAllowed, check_model
from schemas.options import JobOptions
from schemas.result import Transcript
from quotes.service import ResultMissing, read_result
from api.webhooks.urls import UrlRefused, check_url
from store.jobs import find_by_idempotency_key, get_job
from store.keys import Principal, get_account
from store.lifecycle import record
from store.models import Job
from store.objects import ObjectNotFound, ObjectStore, ObjectTooLarge
from store.webhooks import new_secret

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


def owns(principal: Principal, job: Job) -> bool:
    """Tenancy: a job belongs to one account and one world. Test (sk_test_) keys see only sandbox jobs, live
    keys only live ones, as with Stripe's test and live modes; anything else is simply not found."""
    return job.account_id == principal.account_id and bool(job.sandbox) == principal.sandbox


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
    """Returns the job and whether it was created now (False: an Idempotency-Key replay)."""
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
    job_id = str(uuid.uuid4())
    media_key = f"media/{job_id}/source"
    try:
        size = await state.objects.put_file(media_key, upload.file, max_bytes=limit)
    except ObjectTooLarge as exc:
        raise PayloadTooLarge(f"file exceeds the upload limit of {limit} bytes") from exc
    try:
        estimated = await estimate_seconds(state.objects, media_key, state.settings.quota_default_reservation_seconds)
        plan = await account_plan(state, principal.account_id)
        async with state.sessions.begin() as session:
            # The quota decision and its reservation commit with the job row, under the account's lock (the
            # lock is the transaction's first statement, so SQLite takes its write lock before any read).
            # Rolls back when refused (the media is deleted below).
            await reserve_minutes(state, session, principal.account_id, job_id, plan, estimated, sandbox=not principal.live)
            job = Job(
                id=job_id,
                account_id=principal.account_id,
                status=JobStatus.pending.value,
                options=options.model_dump(exclude_none=True),
                media_key=media_key,
                filename=(upload.filename or "")[:300] or None,
                content_type=upload.content_type,
                size_bytes=size,
                idempotency_key=idempotency_key,
                request_hash=request_hash,
                webhook_secret=new_secret() if options.webhook_url else None,
                sandbox=not principal.live,
            )
            session.add(job)
            created = JobCreated(
                job_id=job_id,
                account_id=principal.account_id,
                payload=JobCreatedPayload(
                    media_key=media_key,
                    filename=job.filename,
                    content_type=job.content_type,
                    size_bytes=size,
                    options=options,
                ),
            )
            queued = JobQueued(job_id=job_id, account_id=principal.account_id)
            # Row and events commit together (outbox); the relay publishes them after the commit.
            record(session, job, [created, queued], state.events_topic)
    except IntegrityError:
        await state.objects.delete(media_key)
        if idempotency_key is None or request_hash is None:
            raise
        # A concurrent request with the same key won the unique index: answer with its job.
        existing = await replay(state, principal, idempotency_key, request_hash)
        if existing is None:
            raise
        return existing, False
    except BaseException:
        await state.objects.delete(media_key)  # no orphaned media for a job that does not exist
        raise
    state.relay.kick()
    return job, True


async def account_plan(state: ApiState, account_id: str) -> Plan:
    async with state.sessions() as session:
        account = await get_account(session, account_id)
    return plan_or_default(account.plan if account is not None else None)


async def reserve_minutes(
    state: ApiState, session: AsyncSession, account_id: str, job_id: str, plan: Plan, estimated: float, *, sandbox: bool
) -> None:
    """Reserve the job's minutes under the account's lock; raises 402/429 when refused. Sandbox (sk_test_) jobs
    never run a model and are never billed, so they reserve nothing (and count against no plan limit)."""
    if sandbox:
        return
    decision = await state.quota.reserve(
        session, account_id=account_id, job_id=job_id, plan=plan, estimated_seconds=estimated
    )
    if not decision.allowed:
        raise quota_error(decision)


def quota_error(decision: QuotaDecision) -> InsufficientCredits | ConcurrencyLimit:
    if decision.outcome == "insufficient_credits":
        return InsufficientCredits(decision.message)
    return ConcurrencyLimit(decision.message)


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
    if job.status != JobStatus.completed.value or job.result_key is None:
        raise NotFound(f"job {job_id} has no result yet (status: {job.status})")
    try:
        # With its quotes: chosen on the first read, then stored (quotes/service.py says why).
        return await read_result(state.sessions, state.objects, job.id)
    except ResultMissing as exc:
        raise NotFound(f"the result of job {job_id} is no longer stored") from exc
