"""Driver side of the `diarizing` stage: a small pool of `DiarizationWorker` actors, progress polling, errors.

The orchestrator runs `DiarizationStage.run` next to `TranscriptionPipeline.transcribe` on the same prepared
audio (`PreparedAudio.audio_ref`, put once into Ray's object store), so ASR and diarization overlap in time.

Resources: on a GPU cluster the actor asks for `gpus_per_diarization_actor`. On CPU it reserves
`diarization_threads_per_actor` CPUs, or none when that is 0: the ASR pool is sized to every CPU of the
cluster, so a reservation would queue diarization behind ASR instead of running beside it; torch then uses
half the node's cores (at least one) so the two share the machine rather than oversubscribe it.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from inference.config import InferenceConfig
from inference.diarization.diarizer import DiarizerSettings, Turn
from inference.diarization.quiet import telemetry_env
from inference.diarization.worker import HEALTH_GROUP, DiarizationWorker
from inference.diarization.channels import decode_channels
from inference.errors import DiarizationError, InferenceError, error_summary

log = logging.getLogger(__name__)

ACTOR_START_TIMEOUT_S = 900.0
POLL_S = 0.5

FractionCallback = Callable[[float], Awaitable[None]]


class DiarizationStage:
    """Owns the diarization actors (created on first use, replaced when dead); one instance per worker."""

    def __init__(self, cfg: InferenceConfig) -> None:
        self.cfg = cfg
        self._actors: list[Any] = []
        self._next = itertools.count()
        self._lock: asyncio.Lock | None = None

    async def run(
        self, audio_ref: Any, options: dict[str, Any] | None = None, on_progress: FractionCallback | None = None
    ) -> list[Turn]:
        """Turns for the audio behind `audio_ref` (16 kHz mono, or (channels, samples) for channel mode).

        `on_progress(fraction)` is awaited with 0..1 while pyannote's hook advances (polled every 0.5 s).
        Every failure becomes `DiarizationError` (code `diarization_error`).
        """
        actor = await self._actor()
        request_id = uuid.uuid4().hex
        ref = actor.diarize.remote(audio_ref, options or {}, request_id)
        poller = asyncio.create_task(self._poll(actor, request_id, on_progress)) if on_progress else None
        try:
            turns: list[Turn] = await ref
        except asyncio.CancelledError:
            _cancel(ref)
            raise
        except Exception as exc:
            self._forget_if_dead(actor, exc)
            raise DiarizationError(f"diarization failed: {error_summary(exc)}") from exc
        finally:
            if poller is not None:
                poller.cancel()
        if on_progress is not None:
            await on_progress(1.0)
        return turns

    async def run_for_job(
        self,
        mono_ref: Any,
        media_path: Path,
        options: dict[str, Any],
        on_progress: FractionCallback | None = None,
    ) -> list[Turn]:
        """Diarize one job: the prepared mono audio, or each channel of the media in channel mode (the
        prepared audio is a downmix, so channel mode decodes the file again, one row per channel)."""
        audio_ref = mono_ref
        if options.get("mode") == "channel":
            import ray

            try:
                channels = await asyncio.to_thread(decode_channels, media_path, self.cfg.max_media_seconds)
            except InferenceError as exc:
                raise DiarizationError(f"channel diarization: {exc.message}") from exc
            audio_ref = ray.put(channels)
        return await self.run(audio_ref, options, on_progress)

    def stop(self) -> None:
        for actor in self._actors:
            _kill(actor)
        self._actors.clear()

    async def _poll(self, actor: Any, request_id: str, on_progress: FractionCallback) -> None:
        last = -1.0
        while True:
            await asyncio.sleep(POLL_S)
            try:
                fraction = await actor.progress.options(concurrency_group=HEALTH_GROUP).remote(request_id)
            except Exception:  # the result (or its error) arrives through the main call
                return
            if fraction is not None and fraction > last:
                last = fraction
                await on_progress(fraction)

    async def _actor(self) -> Any:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            await self._drop_dead()
            if not self._actors:
                fresh = [self._create() for _ in range(self.cfg.num_diarization_actors)]
                try:
                    await asyncio.wait_for(asyncio.gather(*(a.ping.remote() for a in fresh)), ACTOR_START_TIMEOUT_S)
                except BaseException as exc:
                    for actor in fresh:
                        _kill(actor)
                    if isinstance(exc, Exception):
                        raise DiarizationError(f"could not start diarization actors: {error_summary(exc)}") from exc
                    raise
                self._actors = fresh
            return self._actors[next(self._next) % len(self._actors)]

    async def _drop_dead(self) -> None:
        from ray.exceptions import RayActorError

        pings = [a.ping.options(concurrency_group=HEALTH_GROUP).remote() for a in self._actors]
        results = await asyncio.gather(*pings, return_exceptions=True)
        for actor, result in zip(list(self._actors), results):
            if isinstance(result, RayActorError):
                log.warning("diarization actor is dead (%s); replacing it", error_summary(result))
                self._actors.remove(actor)
                _kill(actor)

    def _create(self) -> Any:
        import ray

        settings = DiarizerSettings.from_inference_config(self.cfg)
        if settings.threads == 0 and settings.device == "cpu":
            settings = settings.model_copy(update={"threads": max(1, (os.cpu_count() or 2) // 2)})
        remote_cls = ray.remote(
            num_cpus=self.cfg.diarization_threads_per_actor,
            num_gpus=self.cfg.gpus_per_diarization_actor or 0,
            max_restarts=0,
            concurrency_groups={HEALTH_GROUP: 1},
        )(DiarizationWorker)
        return remote_cls.options(runtime_env={"env_vars": telemetry_env()}).remote(settings.model_dump())

    def _forget_if_dead(self, actor: Any, exc: BaseException) -> None:
        from ray.exceptions import RayActorError

        if isinstance(exc, RayActorError) and actor in self._actors:
            self._actors.remove(actor)
            _kill(actor)


def _cancel(ref: Any) -> None:
    import ray

    try:
        ray.cancel(ref)
    except Exception:  # already finished or Ray gone
        pass


def _kill(actor: Any) -> None:
    import ray

    try:
        ray.kill(actor, no_restart=True)
    except Exception:  # already dead or Ray gone
        pass
