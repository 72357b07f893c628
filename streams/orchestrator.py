"""The job orchestrator: drives one job through its stages, one event per transition.

It is a plain class (the Faust agent in streams.app feeds it events) so it can be tested against a real
database without a broker. Idempotence comes from the job row, not from memory:

- `job.queued` starts work only through `claim_job`, a compare-and-set on the row; a redelivered or
  duplicated `job.queued` finds the job processing (live lease) or finished and does nothing.
- every later transition checks that this worker still owns the lease and that the state machine allows it,
  in the same transaction that writes the event to the outbox; a worker that lost its job stops quietly.
- a worker that died mid-job stops renewing its lease; the reaper (streams/reaper.py, in every worker) puts
  the job back in the queue once the lease expired, and the next worker starts it again from decoding. A
  redelivered `job.queued` (its offset was never committed) may get there first: the claim takes a job whose
  lease expired.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inference.errors import DiarizationError, InferenceError, MediaDecodeError
from inference.pipeline import PreparedAudio
from inference.speakers import merge_speakers, without_speakers
from jobs import events
from jobs.effects import JobEffects
from jobs.lifecycle import InvalidTransition, claim_job
from schemas.context import bind_job_id
from schemas.events import ErrorInfo, JobEvent, Stage
from schemas.options import DiarizationOptions, JobOptions
from schemas.result import Transcript
from store.jobs import is_owner, lock_job, park_job, renew_lease
from store.objects import ObjectNotFound, ObjectStore
from streams.analysis_stage import AnalysisStage
from streams.fetch import FetchSettings, fetch_job_media
from streams.listening_copy import ListeningCopies
from streams.sandbox import run_sandbox
from streams.stages import BuildEvents, JobControl, LeaseLost, result_key

log = logging.getLogger(__name__)

# Share of the progress bar each stage owns; decoding is quick next to ASR.
DECODING_DONE = 5
TRANSCRIBING_DONE = 99
# With diarization, ASR and diarization run side by side; the bar gives transcribing 5-80, diarizing 80-99.
TRANSCRIBING_DONE_BEFORE_DIARIZING = 80


ProgressFn = Callable[[int, int], Awaitable[None]]


class Pipeline(Protocol):
    """What the orchestrator needs from inference (inference.pipeline.TranscriptionPipeline)."""

    async def prepare(self, media_path: Path) -> PreparedAudio: ...

    async def transcribe(self, prepared: PreparedAudio, options: JobOptions, on_progress: ProgressFn) -> Transcript: ...


class Diarizing(Protocol):
    """What the orchestrator needs from diarization (inference.diarization.stage.DiarizationStage)."""

    async def run_for_job(
        self, mono_ref: Any, media_path: Path, options: dict[str, Any], on_progress: Callable[[float], Awaitable[None]] | None = None
    ) -> list[dict[str, Any]]: ...


class Orchestrator:
    """Implements streams.stages.JobControl for its stage hooks (sandbox, diarization)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        objects: ObjectStore,
        pipeline: Pipeline,
        *,
        effects: JobEffects,
        owner: str,
        lease_s: float,
        diarizer: Diarizing | None,
        media_fetch: FetchSettings,
        analysis: AnalysisStage,
        listening_copies: ListeningCopies,
        cancel_poll_s: float = 1.0,
    ) -> None:
        self._sessions = sessions
        self._objects = objects
        self._pipeline = pipeline
        # Records every transition with its effects (outbox, quota, usage, webhooks; the relay after commit).
        self._effects = effects
        self._owner = owner
        self._lease_s = lease_s
        self._diarizer = diarizer  # None: this worker cannot diarize (jobs asking for it fail or skip it)
        self._media_fetch = media_fetch  # limits for downloading `media_url` jobs
        self._analysis = analysis  # call analysis / PII redaction (its models load on the first job asking)
        self._listening_copies = listening_copies  # the console player's copy of a completed job's audio
        # A cancel (or takeover) is noticed within this many seconds even if its event waits behind busy agents.
        self._cancel_poll_s = cancel_poll_s
        self._running: dict[str, asyncio.Task[None]] = {}
        # Detached work that must not hold a job slot (a sandbox job's simulated wait); kept so it is not GC'd.
        self._detached: set[asyncio.Task[None]] = set()

    @property
    def objects(self) -> ObjectStore:
        return self._objects

    def spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        """Run `coro` beside the job slots; it must handle its own errors."""
        task = asyncio.create_task(coro, name=name)
        self._detached.add(task)
        task.add_done_callback(self._detached.discard)

    async def park(self, job_id: str) -> None:
        """Hold a claimed job without a lease expiry (it waits for a cancel, not for this worker)."""
        async with self._sessions.begin() as session:
            await park_job(session, job_id, self._owner)

    async def handle(self, event: JobEvent) -> None:
        """Entry point for every event on the jobs topic: job.queued starts work, job.canceled stops it."""
        if event.type == "job.queued":
            await self.run_job(event.job_id)
        elif event.type == "job.canceled":
            self._stop(event.job_id, "canceled")

    def _stop(self, job_id: str, why: str) -> None:
        task = self._running.get(job_id)
        if task is not None and not task.done():
            log.info("job %s: stopping the running work (%s)", job_id, why)
            task.cancel()

    async def run_job(self, job_id: str) -> None:
        """Run the job in its own task, so a cancel can stop it mid-stage (the canceled job never completes:
        the cancel took the lease, so no later transition of this worker is accepted either)."""
        work = asyncio.create_task(self._run_job(job_id), name=f"job-{job_id}")
        self._running[job_id] = work
        try:
            await work
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # the worker itself is stopping
            log.info("job %s: stopped", job_id)
        finally:
            self._running.pop(job_id, None)

    async def _run_job(self, job_id: str) -> None:
        bind_job_id(job_id)  # this task's log records carry the job id (JSON logs)
        async with self._sessions.begin() as session:
            job = await claim_job(session, job_id, self._owner, self._lease_s)
            if job is None:
                log.info("job %s: not claimable (already taken or finished); event ignored", job_id)
                return
            await self._effects.record(session, job, [events.stage_started(job, Stage.decoding)])
        options = JobOptions.model_validate(job.options or {})
        media_key = job.media_key
        stage = Stage.decoding
        try:
            async with self.lease_keeper(job_id), contextlib.AsyncExitStack() as scratch:
                t0 = time.monotonic()
                if job.sandbox:  # no model runs: streams/sandbox.py plays the job's outcome
                    await run_sandbox(self, job)
                    return
                await fetch_job_media(job, self._objects, self._media_fetch)  # media_url jobs only
                if media_key is None:
                    raise MediaDecodeError("the job has no media to transcribe")
                # A local file for the decoders: the object itself locally, a scratch copy of an S3 object that
                # lives until the job's work is done (diarization reads it too) and is removed on every exit.
                try:
                    media_path = await scratch.enter_async_context(self._objects.local_copy(media_key))
                except ObjectNotFound as exc:  # deleted (or never written) behind the job's back
                    raise MediaDecodeError("the job's media is no longer stored") from exc
                prepared = await self._pipeline.prepare(media_path)
                await self.transition(
                    job_id,
                    lambda j: [
                        events.stage_completed(j, stage, time.monotonic() - t0),
                        events.progress(j, stage, DECODING_DONE, completed=1, total=1),
                        events.stage_started(j, Stage.transcribing),
                    ],
                )
                stage = Stage.transcribing
                t0 = time.monotonic()
                diarizing = self._start_diarization(job_id, options, prepared, media_path)
                try:
                    end = TRANSCRIBING_DONE_BEFORE_DIARIZING if diarizing else TRANSCRIBING_DONE
                    transcript = await self._pipeline.transcribe(prepared, options, self._progress_reporter(job_id, end))
                    if diarizing is not None:
                        t0 = await self._next_stage(job_id, stage, t0, Stage.diarizing)
                        stage = Stage.diarizing
                        transcript = await diarizing.finish(transcript)
                finally:
                    if diarizing is not None:
                        diarizing.cancel()
                analyzed = None
                if options.analyze:
                    t0 = await self._next_stage(job_id, stage, t0, Stage.analyzing)
                    stage = Stage.analyzing
                    analyzed = await self._analysis.run(transcript, options)
                    transcript = analyzed.transcript  # redacted when asked: nothing else is ever stored
                # The player's copy, while the decoding copy is at hand.
                await self._listening_copies.write_file(job_id, media_path)
                key = result_key(job_id)
                await self._objects.put_bytes(key, transcript.model_dump_json().encode())
                await self.transition(
                    job_id,
                    lambda j: [
                        events.stage_completed(j, stage, time.monotonic() - t0),
                        events.completed(j, key, transcript.duration, transcript.language),
                    ],
                )
                log.info("job %s completed: %.1f s of audio", job_id, transcript.duration)
                if analyzed is not None:
                    await self._analysis.record_call_fact(job_id, job.account_id, analyzed)
            # The source media is not kept once the transcript exists (a failed job keeps it for a retry).
            await self._objects.delete_prefix(f"media/{job_id}")
        except LeaseLost:
            log.warning("job %s: lease lost during %s; another worker or a cancel owns it now", job_id, stage.value)
        except InferenceError as exc:
            log.info("job %s failed in %s: %s (%s)", job_id, stage.value, exc.message, exc.code)
            await self._fail(job_id, stage, ErrorInfo(code=exc.code, message=exc.message))
        except Exception:
            log.exception("job %s: unexpected error during %s", job_id, stage.value)
            await self._fail(
                job_id,
                stage,
                ErrorInfo(code="internal_error", message=f"internal error during {stage.value}; the incident was logged"),
            )

    # ---- helpers --------------------------------------------------------------------------------------

    async def transition(self, job_id: str, build: BuildEvents) -> None:
        """Record the events `build` makes for the locked job, if this worker still owns it (else LeaseLost).

        The state machine and every effect (jobs/effects.py) commit in one transaction; the relay is woken
        and stage durations observed only after that commit.
        """
        async with self._sessions.begin() as session:
            job = await lock_job(session, job_id)
            if job is None or job.lease_owner != self._owner:
                raise LeaseLost(job_id)
            try:
                await self._effects.record(session, job, build(job))
            except InvalidTransition as exc:
                raise LeaseLost(job_id) from exc

    async def _fail(self, job_id: str, stage: Stage, error: ErrorInfo) -> None:
        try:
            await self.transition(job_id, lambda j: [events.failed(j, stage, error)])
        except LeaseLost:
            log.warning("job %s: could not record failure, lease lost", job_id)

    async def _next_stage(self, job_id: str, done: Stage, started_at: float, nxt: Stage) -> float:
        """Record `done` completed (with its elapsed time) and `nxt` started in one transition; returns when
        `nxt` started, for its own elapsed time."""
        await self.transition(
            job_id,
            lambda j: [events.stage_completed(j, done, time.monotonic() - started_at), events.stage_started(j, nxt)],
        )
        return time.monotonic()

    def _start_diarization(
        self, job_id: str, options: JobOptions, prepared: PreparedAudio, media_path: Path
    ) -> "_DiarizationRun | None":
        if not options.diarize or options.diarization is None:
            return None
        return _DiarizationRun(self, self._diarizer, job_id, options.diarization, prepared, media_path)

    def _progress_reporter(self, job_id: str, end: int = TRANSCRIBING_DONE) -> ProgressFn:
        async def report(done: int, total: int) -> None:
            span = end - DECODING_DONE
            percent = DECODING_DONE + (span * done // total if total else span)
            await self.transition(job_id, lambda j: [events.progress(j, Stage.transcribing, percent, done, total)])

        return report

    @contextlib.asynccontextmanager
    async def lease_keeper(self, job_id: str, *, watch_cancel: bool = True) -> AsyncIterator[None]:
        """Renew the lease in the background so long stages never look like a dead worker.

        `watch_cancel` also polls ownership every `cancel_poll_s` to stop the job's work at once when it is
        canceled; work with nothing to stop (a sandbox wait) renews only, sparing the database.
        """
        poll_s = min(self._cancel_poll_s, self._lease_s / 3) if watch_cancel else self._lease_s / 3

        async def renew() -> None:
            last_renewal = time.monotonic()
            while True:
                await asyncio.sleep(poll_s)
                if time.monotonic() - last_renewal >= self._lease_s / 3:
                    last_renewal = time.monotonic()
                    async with self._sessions.begin() as session:
                        owned = await renew_lease(session, job_id, self._owner, self._lease_s)
                else:
                    async with self._sessions() as session:
                        owned = await is_owner(session, job_id, self._owner)
                if not owned:
                    # Canceled (the API took the lease) or taken over: stop the work now, not at the next event.
                    self._stop(job_id, "lease lost")
                    return

        task = asyncio.create_task(renew(), name=f"lease-{job_id}")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


class _DiarizationRun:
    """Diarization of one job, started next to ASR and finished (merged) after it.

    Its progress is held back until the `diarizing` stage has started: progress only moves forward, and the
    diarizing share of the bar (80-99) must not jump ahead of a transcription still at 40.
    """

    def __init__(
        self,
        control: JobControl,
        diarizer: Diarizing | None,
        job_id: str,
        options: DiarizationOptions,
        prepared: PreparedAudio,
        media_path: Path,
    ) -> None:
        self._control = control
        self._job_id = job_id
        self._options = options
        self._fraction = 0.0
        self._reporting = False
        if diarizer is None:
            self._task: asyncio.Task[list[dict[str, Any]]] | None = None
        else:
            self._task = asyncio.create_task(
                diarizer.run_for_job(prepared.audio_ref, media_path, options.model_dump(), self._progress),
                name=f"diarize-{job_id}",
            )

    async def _progress(self, fraction: float) -> None:
        self._fraction = max(self._fraction, fraction)
        if self._reporting:
            await self._report()

    async def _report(self) -> None:
        span = TRANSCRIBING_DONE - TRANSCRIBING_DONE_BEFORE_DIARIZING
        percent = TRANSCRIBING_DONE_BEFORE_DIARIZING + int(span * self._fraction)
        done = int(self._fraction * 100)
        await self._control.transition(self._job_id, lambda j: [events.progress(j, Stage.diarizing, percent, done, 100)])

    async def finish(self, transcript: Transcript) -> Transcript:
        """Wait for the turns and merge them; a failure fails the job unless the job allows completing without."""
        self._reporting = True
        try:
            if self._task is None:
                raise DiarizationError("diarization is not available on this worker")
            if self._fraction > 0:
                await self._report()
            turns = await self._task
        except DiarizationError as exc:
            if not self._options.allow_failure:
                raise
            log.warning("job %s: diarization failed, completing without speakers: %s", self._job_id, exc.message)
            return without_speakers(transcript, exc.message)
        return merge_speakers(transcript, turns)

    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
