"""The two job stages: `prepare` (decode + VAD clips, "decoding") and `transcribe` (ASR actors, "transcribing").

All blocking work runs off the event loop: decode and VAD in threads, ASR in Ray actors awaited as futures.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.options import JobOptions
from schemas.result import Segment, Transcript, Word

from inference.asr import SegmentDict
from inference.chunking import Clip, find_clips
from inference.config import InferenceConfig
from inference.decode import decode_media, duration_s
from inference.errors import LanguageNotSupportedError, TranscriptionError, error_summary
from inference.models import check_allowed, is_english_only
from inference.runtime import RayRuntime

ProgressCallback = Callable[[int, int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class PreparedAudio:
    """Decoded audio parked once in Ray's object store, plus the clip plan every actor reads from."""

    audio_ref: Any
    duration: float
    clips: list[Clip] = field(default_factory=list)


class TranscriptionPipeline:
    """Stateless per job; the runtime's actor pools are what persist between jobs."""

    def __init__(self, runtime: RayRuntime, cfg: InferenceConfig) -> None:
        self.runtime = runtime
        self.cfg = cfg

    async def prepare(self, media_path: Path) -> PreparedAudio:
        """Decode, refuse over-long media, plan clips, and `ray.put` the samples once for all actors."""
        import ray

        audio = await asyncio.to_thread(decode_media, media_path, self.cfg.max_media_seconds)
        duration = duration_s(audio)
        clips = await asyncio.to_thread(find_clips, audio, self.cfg)
        self.runtime.start()
        audio_ref = await asyncio.to_thread(ray.put, audio)
        return PreparedAudio(audio_ref=audio_ref, duration=duration, clips=clips)

    async def transcribe(
        self, prepared: PreparedAudio, options: JobOptions, on_progress: ProgressCallback | None = None
    ) -> Transcript:
        """Fan the clips out to the model's actors in small batches, then merge in global time order."""
        model = options.model or self.cfg.asr_model
        check_allowed(model, self.cfg.allowed_models)
        total = len(prepared.clips)
        language, probability = options.language, None
        if is_english_only(model):
            if language not in (None, "en"):
                raise LanguageNotSupportedError(f"model {model!r} is English-only; language {language!r} refused")
            language = "en"
        if total == 0:
            if on_progress is not None:
                await on_progress(0, 0)
            return _transcript([], prepared.duration, language or "und", probability, model)
        async with self.runtime.using(model) as actors:
            if language is None:
                language, probability = await self._detect(model, actors[0], prepared)
            batches = _split_batches(prepared.clips, self.cfg.batch_size, len(actors))
            segments = await self._run_batches(model, actors, prepared, batches, language, total, on_progress, options.vocabulary)
        return _transcript(segments, prepared.duration, language, probability, model)

    async def close(self) -> None:
        """Nothing per-pipeline to free: Ray and the actors belong to the runtime (`RayRuntime.stop`)."""

    async def _detect(self, model: str, actor: Any, prepared: PreparedAudio) -> tuple[str, float]:
        try:
            language, probability = await actor.detect_language.remote(prepared.audio_ref, prepared.clips[0].start_s)
        except Exception as exc:
            self._forget_if_dead(model, actor, exc)
            raise TranscriptionError(f"language detection failed: {error_summary(exc)}") from exc
        return language, probability

    async def _run_batches(
        self,
        model: str,
        actors: list[Any],
        prepared: PreparedAudio,
        batches: list[list[Clip]],
        language: str,
        total: int,
        on_progress: ProgressCallback | None,
        vocabulary: list[str] | None = None,
    ) -> list[SegmentDict]:
        """One consumer per actor pulls the next batch when it's free, so a slow batch never idles the others."""
        queue: asyncio.Queue[list[Clip]] = asyncio.Queue()
        for batch in batches:
            queue.put_nowait(batch)
        results: list[SegmentDict] = []
        done = 0
        options = {"batch_size": self.cfg.batch_size, "beam_size": self.cfg.beam_size, **asr_hints(vocabulary)}

        async def consume(actor: Any) -> None:
            nonlocal done
            while not queue.empty():
                batch = queue.get_nowait()
                clips = [clip.as_dict() for clip in batch]
                ref = actor.transcribe_clips.remote(prepared.audio_ref, clips, language, options)
                try:
                    segments = await ref
                except asyncio.CancelledError:
                    _cancel(ref)  # a canceled job drops its queued batch; a running one finishes (sync actor)
                    raise
                except Exception as exc:
                    self._forget_if_dead(model, actor, exc)
                    raise TranscriptionError(f"ASR failed on {len(batch)} clip(s): {error_summary(exc)}") from exc
                results.extend(segments)
                done += len(batch)
                if on_progress is not None:
                    await on_progress(done, total)

        tasks = [asyncio.create_task(consume(actor)) for actor in actors]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
        return results

    def _forget_if_dead(self, model: str, actor: Any, exc: BaseException) -> None:
        from ray.exceptions import RayActorError

        if isinstance(exc, RayActorError):
            self.runtime.discard(model, actor)


def _cancel(ref: Any) -> None:
    import ray

    try:
        ray.cancel(ref)
    except Exception:  # already finished or Ray gone: nothing to cancel
        pass


def _split_batches(clips: list[Clip], batch_size: int, num_actors: int) -> list[list[Clip]]:
    """About `batch_size` clips per batch, the count rounded up to a multiple of the actors so they end together."""
    count = math.ceil(len(clips) / batch_size)
    count = min(len(clips), math.ceil(count / num_actors) * num_actors)
    size = math.ceil(len(clips) / count)
    return [clips[i : i + size] for i in range(0, len(clips), size)]


def _transcript(
    raw: list[SegmentDict], duration: float, language: str, probability: float | None, model: str
) -> Transcript:
    ordered = sorted(raw, key=lambda s: (s["start"], s["end"]))
    segments: list[Segment] = []
    words: list[Word] = []
    for index, seg in enumerate(ordered):
        start, end = _clamp(seg["start"], duration), _clamp(seg["end"], duration)
        segments.append(Segment(id=index, start=start, end=max(start, end), text=seg["text"].strip()))
        for w in seg["words"]:
            w_start, w_end = _clamp(w["start"], duration), _clamp(w["end"], duration)
            words.append(
                Word(
                    word=w["word"].strip(),
                    start=w_start,
                    end=max(w_start, w_end),
                    probability=min(1.0, max(0.0, w["probability"])),
                )
            )
    text = " ".join(s.text for s in segments if s.text).strip()
    return Transcript(
        language=language,
        language_probability=probability,
        duration=round(duration, 3),
        model=model,
        text=text,
        segments=segments,
        words=words,
    )


def _clamp(value: float, duration: float) -> float:
    return round(min(max(0.0, value), duration), 3)


async def transcribe_file(
    path: Path | str,
    options: JobOptions | None = None,
    on_progress: ProgressCallback | None = None,
    cfg: InferenceConfig | None = None,
) -> Transcript:
    """One call for scripts: start Ray, run both stages, shut down what was started."""
    config = cfg or InferenceConfig()
    runtime = RayRuntime(config)
    pipeline = TranscriptionPipeline(runtime, config)
    try:
        prepared = await pipeline.prepare(Path(path))
        return await pipeline.transcribe(prepared, options or JobOptions(), on_progress)
    finally:
        await pipeline.close()
        await asyncio.to_thread(runtime.stop)


def asr_hints(vocabulary: list[str] | None) -> dict[str, str]:
    """Custom vocabulary as faster-whisper `hotwords`: a hint phrase put in the decoder's prompt for every clip.

    Hotwords (not `initial_prompt`) because the batched pipeline decodes clips independently and hotwords are
    the documented way to bias each one; Whisper's prompt window is 224 tokens, so the list is capped by the
    API (100 entries of at most 100 characters) and truncated here to about 800 characters.
    """
    if not vocabulary:
        return {}
    words: list[str] = []
    size = 0
    for term in dict.fromkeys(t.strip() for t in vocabulary if t.strip()):
        size += len(term) + 2
        if size > 800:
            break
        words.append(term)
    return {"hotwords": ", ".join(words)} if words else {}
