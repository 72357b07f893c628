"""Sandbox jobs (sk_test_ keys): no model runs and nothing is billed, but the job moves through the same states
and fires the same webhooks as a real one, so clients can test their integration for free.

Without `options.sandbox` the job stays `processing` (until canceled). With `{"finish_in": s,
"finish_with_error": b}` it ends `s` seconds after processing started: `completed` with `SAMPLE` as its
result, or `failed` with `SIMULATED_FAILURE`. The wait runs in its own task, so a sandbox job never holds one of
the worker's job slots; its lease is renewed meanwhile, and if the worker dies during the wait the reaper
re-queues the job like any other (the wait starts again). A job without `options.sandbox` is parked: no lease
expiry, so the reaper leaves it alone until it is canceled.

Transitions go through `JobControl.transition` (lease owner checked, then jobs.effects: state machine, outbox,
webhook requests in the same transaction); jobs/billing.py never bills a sandbox job.
"""

from __future__ import annotations

import asyncio
import logging

from jobs import events
from schemas.events import ErrorInfo, Stage
from schemas.options import JobOptions
from schemas.result import Segment, Transcript, Word
from store.models import Job
from streams.stages import BuildEvents, JobControl, LeaseLost, result_key

log = logging.getLogger(__name__)

SIMULATED_FAILURE = ErrorInfo(code="sandbox_simulated_failure", message="simulated failure (sandbox job)")

_LINES = [
    (0.0, 2.6, "Thank you for calling Parlance support, this is Dana."),
    (2.9, 5.8, "Hi Dana, I'd like to check the status of my order."),
    (6.1, 9.4, "Of course, could you give me the order number please?"),
]


def sample_transcript() -> Transcript:
    """A short support call with word timings: the shape a real result has."""
    segments, words = [], []
    for i, (start, end, text) in enumerate(_LINES):
        tokens = text.split()
        step = (end - start) / len(tokens)
        for j, token in enumerate(tokens):
            words.append(Word(word=" " + token, start=round(start + j * step, 2), end=round(start + (j + 1) * step, 2), probability=0.97))
        segments.append(Segment(id=i, start=start, end=end, text=" " + text))
    return Transcript(
        language="en",
        language_probability=1.0,
        duration=10.0,
        model="sandbox",
        text=" ".join(text for _, _, text in _LINES),
        segments=segments,
        words=words,
    )


SAMPLE = sample_transcript()


async def run_sandbox(orchestrator: JobControl, job: Job) -> None:
    """Called right after the claim (the job is processing, stage decoding)."""
    settings = JobOptions.model_validate(job.options or {}).sandbox
    if settings is None:
        log.info("job %s: sandbox job without options.sandbox; it stays processing", job.id)
        await orchestrator.park(job.id)  # waits for a cancel: not a lost job for the reaper
        return
    if settings.finish_in <= 0:
        await _finish(orchestrator, job.id, settings.finish_with_error)
        return
    orchestrator.spawn(_finish_later(orchestrator, job.id, settings.finish_in, settings.finish_with_error), name=f"sandbox-{job.id}")


async def _finish_later(orchestrator: JobControl, job_id: str, delay: float, fail: bool) -> None:
    try:
        # The lease is renewed while the job waits, so only a dead worker's sandbox job is reaped and rerun.
        async with orchestrator.lease_keeper(job_id, watch_cancel=False):
            await asyncio.sleep(delay)
        await _finish(orchestrator, job_id, fail)
    except Exception:  # noqa: BLE001 - a detached task: log, never lose the traceback silently
        log.exception("job %s: sandbox completion failed", job_id)


async def _finish(orchestrator: JobControl, job_id: str, fail: bool) -> None:
    if fail:
        await _transition(orchestrator, job_id, lambda j: [events.failed(j, Stage.transcribing, SIMULATED_FAILURE)])
        return
    key = result_key(job_id)
    await orchestrator.objects.put_bytes(key, SAMPLE.model_dump_json().encode())
    done = await _transition(
        orchestrator,
        job_id,
        lambda j: [
            events.stage_completed(j, Stage.decoding, 0.0),
            events.stage_started(j, Stage.transcribing),
            events.progress(j, Stage.transcribing, 99, completed=1, total=1),
            events.stage_completed(j, Stage.transcribing, 0.0),
            events.completed(j, key, SAMPLE.duration, SAMPLE.language),
        ],
    )
    if done:
        await orchestrator.objects.delete_prefix(f"media/{job_id}")
    else:
        await orchestrator.objects.delete(key)


async def _transition(orchestrator: JobControl, job_id: str, build: BuildEvents) -> bool:
    """Record events if this worker still owns the job; False when a cancel (or a takeover) got there first."""
    try:
        await orchestrator.transition(job_id, build)
    except LeaseLost:
        log.info("job %s: sandbox job no longer ours (canceled?); nothing recorded", job_id)
        return False
    return True
