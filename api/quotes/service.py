"""Use cases of the quote routes: reading and editing quotes, requesting renders, the account's theme.

Tenancy is the jobs' (`api.jobs.service.owns`): a quote, render or file of another account or world is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from api.errors import Forbidden, NotFound, Unavailable
from api.jobs.service import owns
from api.state import ApiState
from metering.plans import plan_or_default
from quotes.service import QuoteMissing, ResultMissing, find, read_result, with_quotes
from schemas.quotes import Quote, RenderKind, RenderRequested, Theme, job_of_quote
from schemas.result import Transcript
from store.keys import Principal
from store.models import Job
from store.objects import ObjectNotFound
from streams import topics

T = TypeVar("T")


async def on_quote(
    state: ApiState, principal: Principal, quote_id: str, change: Callable[[Quote], tuple[T, bool]]
) -> T:
    """Run `change` on one quote under its job's lock; 404 for a malformed id, another tenant's or a gone one."""
    job_id = job_of_quote(quote_id)
    if job_id is None:
        raise NotFound(f"quote {quote_id} not found")

    def apply(job: Job, transcript: Transcript) -> tuple[T, bool]:
        return change(find(transcript, quote_id))

    try:
        return await with_quotes(state.sessions, state.objects, job_id, apply, lambda job: owns(principal, job))
    except (ResultMissing, QuoteMissing) as exc:
        raise NotFound(f"quote {quote_id} not found") from exc


async def job_quotes(state: ApiState, principal: Principal, job_id: str) -> list[Quote]:
    try:
        transcript = await read_result(state.sessions, state.objects, job_id, lambda job: owns(principal, job))
    except ResultMissing as exc:
        raise NotFound(f"job {job_id} has no result") from exc
    return list(transcript.quotes or [])


async def read_quote(state: ApiState, principal: Principal, quote_id: str) -> Quote:
    """One quote, read without the job's lock (see quotes.service.read_result)."""
    job_id = job_of_quote(quote_id)
    try:
        if job_id is None:
            raise QuoteMissing(quote_id)
        return find(await read_result(state.sessions, state.objects, job_id, lambda job: owns(principal, job)), quote_id)
    except (ResultMissing, QuoteMissing) as exc:
        raise NotFound(f"quote {quote_id} not found") from exc


def theme_key(account_id: str) -> str:
    return f"accounts/{account_id}/theme.json"


async def get_theme(state: ApiState, principal: Principal) -> Theme:
    try:
        return Theme.model_validate_json(await state.objects.get_bytes(theme_key(principal.account_id)))
    except ObjectNotFound:
        return Theme()


def check_plan(principal: Principal, kind: RenderKind) -> None:
    if kind == "video" and not plan_or_default(principal.plan).features.quote_videos:
        raise Forbidden("video cards need the pro plan or higher")


async def request_render(
    state: ApiState, principal: Principal, quote_id: str, kind: RenderKind, *, theme: Theme,
    callback_url: str | None = None, batch_id: str | None = None,
) -> Quote:
    """Mark the quote queued, then put the render on `parlance.renders` for a worker. The key is the batch (so a
    batch's renders run in order on one worker) or the job."""
    check_plan(principal, kind)

    def queue(quote: Quote) -> tuple[Quote, bool]:
        quote.render_status, quote.render_progress, quote.render_error = "queued", 0.0, None
        return quote.model_copy(), True

    quote = await on_quote(state, principal, quote_id, queue)
    job_id = job_of_quote(quote_id)
    assert job_id is not None
    message = RenderRequested(
        job_id=job_id, account_id=principal.account_id, quote_id=quote_id, kind=kind, theme=theme,
        callback_url=callback_url, batch_id=batch_id,
    )
    topic = topics.topic_name(topics.RENDERS, state.settings.kafka_topic_prefix)
    try:
        await state.publisher.send(topic, batch_id or job_id, message.model_dump_json().encode())
    except Exception as exc:  # noqa: BLE001 - the broker is down: say so, and do not leave the quote queued
        await on_quote(state, principal, quote_id, lambda q: (mark_failed(q, "could not queue the render"), True))
        raise Unavailable("the render queue is unavailable; try again") from exc
    return quote


def mark_failed(quote: Quote, reason: str) -> None:
    quote.render_status, quote.render_error = "failed", reason

