"""Driver side of the `diarizing` stage: one request to the shared diarization application, progress, errors.

The orchestrator runs `DiarizationStage.run_for_job` next to `TranscriptionPipeline.transcribe` on the same
prepared audio (`PreparedAudio.audio_ref`, put once into Ray's object store), so ASR and diarization overlap in
time. The replicas belong to the Serve application `parlance-diarization` (inference/serving/diarization_app.py),
shared by every worker of the cluster and deployed by the first one that needs it; Serve replaces dead replicas
and queues requests while all replicas are busy, so nothing here pings, evicts or counts actors.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from inference.config import InferenceConfig
from inference.diarization.channels import decode_channels
from inference.diarization.diarizer import Turn
from inference.errors import DiarizationError, InferenceError, error_summary
from inference.runtime import RayRuntime

FractionCallback = Callable[[float], Awaitable[None]]


class DiarizationStage:
    """One per worker; holds no replicas, only the runtime that hands out the application's handle."""

    def __init__(self, runtime: RayRuntime, cfg: InferenceConfig) -> None:
        self.runtime = runtime
        self.cfg = cfg

    async def run(
        self, audio_ref: Any, options: dict[str, Any] | None = None, on_progress: FractionCallback | None = None
    ) -> list[Turn]:
        """Turns for the audio behind `audio_ref` (16 kHz mono, or (channels, samples) for channel mode).

        `on_progress(fraction)` is awaited with 0..1 as pyannote's hook advances (streamed by the replica).
        Every failure becomes `DiarizationError` (code `diarization_error`).
        """
        from inference.serving.diarization_app import DiarizeRequest

        try:
            handle = await self.runtime.diarizer()
        except Exception as exc:
            raise DiarizationError(f"could not start the diarization application: {error_summary(exc)}") from exc
        stream = handle.options(stream=True).diarize.remote(DiarizeRequest(audio_ref, dict(options or {})))
        turns: list[Turn] | None = None
        try:
            async for item in stream:
                if "turns" in item:
                    turns = item["turns"]
                elif on_progress is not None:
                    await on_progress(float(item["progress"]))
        except asyncio.CancelledError:
            stream.cancel()
            raise
        except Exception as exc:
            raise DiarizationError(f"diarization failed: {error_summary(exc)}") from exc
        if turns is None:
            raise DiarizationError("diarization failed: the replica ended without turns")
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
            audio_ref = await asyncio.to_thread(ray.put, channels)
        return await self.run(audio_ref, options, on_progress)

    def stop(self) -> None:
        """Nothing to free here: the application outlives this worker (or goes with the runtime's own Ray)."""
