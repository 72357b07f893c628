"""The quotes of a job live in its result document (`Transcript.quotes`), read and changed under the job's row
lock like every other change to that document (api/jobs/speakers.py), by the API and the render worker alike.

Quotes are chosen lazily, on the first read of a completed result, and stored: no edit to the completion path,
nothing that can delay or fail a job, and jobs completed before quotes existed get them too. Selection is a
few milliseconds of rules (quotes/select.py), so the first reader does not notice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from quotes.select import select_quotes
from schemas.events import JobStatus
from schemas.quotes import Quote, RenderKind
from schemas.result import Transcript
from store import jobs as repo
from store.models import Job
from store.objects import ObjectNotFound, ObjectStore

T = TypeVar("T")

FILE_TYPES: dict[str, str] = {"ogg": "audio/ogg", "png": "image/png", "mp4": "video/mp4"}


class ResultMissing(LookupError):
    """No such job for this caller, not completed, or its result is gone."""


class QuoteMissing(LookupError):
    pass


def file_name(quote_id: str, ext: str) -> str:
    return f"{quote_id}.{ext}"


def file_key(job_id: str, quote_id: str, ext: str) -> str:
    """Under `results/<job>/`, so deleting the job (`delete_prefix('results/<job>')`) deletes its clips and cards."""
    return f"results/{job_id}/quotes/{file_name(quote_id, ext)}"


def file_url(job_id: str, quote_id: str, ext: str) -> str:
    return f"/v1/jobs/{job_id}/files/{file_name(quote_id, ext)}"


def find(transcript: Transcript, quote_id: str) -> Quote:
    for quote in transcript.quotes or []:
        if quote.id == quote_id:
            return quote
    raise QuoteMissing(quote_id)


async def _load(objects: ObjectStore, job_id: str, job: Job | None, allowed: Callable[[Job], bool]) -> Transcript:
    if job is None or not allowed(job) or job.status != JobStatus.completed or job.result_key is None:
        raise ResultMissing(job_id)
    try:
        return Transcript.model_validate_json(await objects.get_bytes(job.result_key))
    except ObjectNotFound as exc:
        raise ResultMissing(job_id) from exc


async def with_quotes(
    sessions: async_sessionmaker[AsyncSession],
    objects: ObjectStore,
    job_id: str,
    change: Callable[[Job, Transcript], tuple[T, bool]],
    allowed: Callable[[Job], bool] = lambda job: True,
) -> T:
    """Run `change(job, transcript)` under the job's row lock with quotes chosen; store the document when it
    says it changed (or the quotes were just chosen). Raises ResultMissing, or what `change` raises."""
    async with sessions.begin() as session:
        job = await repo.lock_job(session, job_id)
        transcript = await _load(objects, job_id, job, allowed)
        assert job is not None and job.result_key is not None  # _load refused anything else
        fresh = transcript.quotes is None
        if fresh:
            transcript.quotes = select_quotes(job.id, transcript)
        value, changed = change(job, transcript)
        if changed or fresh:
            await objects.put_bytes(job.result_key, transcript.model_dump_json().encode())
        return value


async def read_result(
    sessions: async_sessionmaker[AsyncSession],
    objects: ObjectStore,
    job_id: str,
    allowed: Callable[[Job], bool] = lambda job: True,
) -> Transcript:
    """The result with its quotes, for reading: no row lock once quotes exist (reads of a quote must not queue
    behind each other on PostgreSQL); the first read goes through `with_quotes` to choose and store them."""
    async with sessions() as session:
        job = await repo.get_job(session, job_id)
    transcript = await _load(objects, job_id, job, allowed)
    if transcript.quotes is None:
        return await with_quotes(sessions, objects, job_id, lambda _job, doc: (doc, False), allowed)
    return transcript


def mark(transcript: Transcript, quote_id: str, **fields: object) -> Quote:
    """Set render fields of one quote (status, progress, urls, error); returns the updated quote."""
    quote = find(transcript, quote_id)
    for name, value in fields.items():
        setattr(quote, name, value)
    return quote


def ext_of(kind: RenderKind) -> str:
    return "png" if kind == "image" else "mp4"
