"""The two job stages: `prepare` (decode + VAD clips, "decoding") and `transcribe` (the ASR application,
"transcribing").

All blocking work runs off the event loop: decode and VAD in threads, ASR in the model's Serve application,
one request per clip through a deployment handle, so clips of every job of every worker share the replicas'
batches (inference/serving/asr_app.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.options import JobOptions
from schemas.result import Segment, SegmentFlag, Transcript, Word

from inference.segments import DROPPED, SegmentDict
from inference.chunking import Clip, find_clips
from inference.config import InferenceConfig
from inference.crosstalk import merge_channels
from inference.decode import decode_media, duration_s
from inference.domains import domain_vocabulary
from inference.errors import InferenceError, LanguageNotSupportedError, TranscriptionError, error_summary
from inference.models import is_english_only, select_model
from inference.runtime import RayRuntime

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], Awaitable[None]]
# Each clip's request is ~100 bytes (the audio stays in the object store), but a 4-hour file has ~500 clips:
# a job keeps at most this many batches' worth in flight, so other jobs' clips interleave with a long one's.
IN_FLIGHT_BATCHES = 4
PROGRESS_EVERY_S = 1.0


@dataclass(frozen=True, slots=True)
class PreparedAudio:
    """Decoded audio parked once in Ray's object store, plus the clip plan every replica reads from."""

    audio_ref: Any
    duration: float
    clips: list[Clip] = field(default_factory=list)
    # The source, for `channel` diarization mode: its channels are decoded apart and transcribed one by one.
    media_path: Path | None = None


class TranscriptionPipeline:
    """Stateless per job; the Serve applications are what persist between jobs (and between workers)."""

    def __init__(self, runtime: RayRuntime, cfg: InferenceConfig) -> None:
        self.runtime = runtime
        self.cfg = cfg

    async def prepare(self, media_path: Path) -> PreparedAudio:
        """Decode, refuse over-long media, plan clips, and `ray.put` the samples once for all replicas."""
        import ray

        audio = await asyncio.to_thread(decode_media, media_path, self.cfg.max_media_seconds)
        duration = duration_s(audio)
        clips = await asyncio.to_thread(find_clips, audio, self.cfg)
        self.runtime.start()
        audio_ref = await asyncio.to_thread(ray.put, audio)
        return PreparedAudio(audio_ref=audio_ref, duration=duration, clips=clips, media_path=media_path)

    async def transcribe(
        self, prepared: PreparedAudio, options: JobOptions, on_progress: ProgressCallback | None = None
    ) -> Transcript:
        """Send every clip to the model's application (a bounded window at a time), merge in global time order."""
        model = select_model(options.model, self.cfg.asr_model, self.cfg.allowed_models)
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
        try:
            handle = await self.runtime.asr(model)
        except InferenceError:
            raise
        except Exception as exc:
            # The loader's message names paths and hosts of the worker: logged here, never put in the job's error.
            log.error("could not start the ASR application for %r: %s", model, error_summary(exc), exc_info=exc)
            raise TranscriptionError(f"could not start the ASR application for {model!r}; the incident was logged") from exc
        if language is None:
            language, probability = await self._detect(handle, prepared)
        hotwords = asr_hints(domain_vocabulary(options.domain, options.vocabulary)).get("hotwords")
        if options.diarize and options.diarization is not None and options.diarization.mode == "channel":
            by_channel = await self._run_channels(handle, prepared, language, hotwords, on_progress)
            if by_channel is not None:
                return _transcript(by_channel, prepared.duration, language, probability, model)
        items = [(prepared.audio_ref, clip) for clip in prepared.clips]
        results = await self._run_clips(handle, items, language, hotwords, on_progress)
        segments = [segment for clip_segments in results for segment in clip_segments]
        return _transcript(segments, prepared.duration, language, probability, model)

    async def close(self) -> None:
        """Nothing per-pipeline to free: Ray and the applications belong to the runtime (`RayRuntime.stop`)."""

    async def _detect(self, handle: Any, prepared: PreparedAudio) -> tuple[str, float]:
        try:
            language, probability = await handle.detect_language.remote(prepared.audio_ref, prepared.clips[0].start_s)
        except Exception as exc:
            raise TranscriptionError(f"language detection failed: {error_summary(exc)}") from exc
        return str(language), float(probability)

    async def _run_channels(
        self,
        handle: Any,
        prepared: PreparedAudio,
        language: str,
        hotwords: str | None,
        on_progress: ProgressCallback | None,
    ) -> list[SegmentDict] | None:
        """`channel` mode: every channel of the source gets its own VAD clips and its own audio in the object
        store, and all channels' clips go through `_run_clips` together (the same batches, the same guard);
        cross-talk is then removed, segments cut at the other party's turns and each marked with its channel
        (inference/crosstalk.py).
        None for a single-channel source, which is transcribed from the prepared audio as in `speaker` mode."""
        import ray

        from inference.diarization.channels import decode_channels

        if prepared.media_path is None:
            return None
        channels = await asyncio.to_thread(decode_channels, prepared.media_path, self.cfg.max_media_seconds)
        if channels.shape[0] < 2:
            return None
        items: list[tuple[Any, Clip]] = []
        owners: list[int] = []
        for index, row in enumerate(channels):
            clips = await asyncio.to_thread(find_clips, row, self.cfg)
            ref = await asyncio.to_thread(ray.put, row)
            items.extend((ref, clip) for clip in clips)
            owners.extend([index] * len(clips))
        results = await self._run_clips(handle, items, language, hotwords, on_progress)
        per_channel: list[list[SegmentDict]] = [[] for _ in channels]
        for index, clip_segments in zip(owners, results):
            per_channel[index].extend(clip_segments)
        return merge_channels(per_channel, channels)

    async def _run_clips(
        self,
        handle: Any,
        items: list[tuple[Any, Clip]],
        language: str,
        hotwords: str | None,
        on_progress: ProgressCallback | None,
    ) -> list[list[SegmentDict]]:
        """One request per clip (each item: an audio ObjectRef and a clip of it), at most `IN_FLIGHT_BATCHES`
        batches' worth at a time; Serve routes each to the least busy replica, whose batcher mixes it with
        other jobs' clips. Result i holds item i's segments. Progress goes out at most once a second (each
        report is a database transaction and a Kafka event), and always at the end."""
        from inference.serving.asr_app import ClipRequest

        total = len(items)
        window = asyncio.Semaphore(max(1, self.cfg.asr_max_batch_clips * IN_FLIGHT_BATCHES))
        results: list[list[SegmentDict]] = [[] for _ in items]
        done = 0
        last_report = time.monotonic()

        async def one(index: int, audio_ref: Any, clip: Clip) -> None:
            nonlocal done, last_report
            async with window:
                request = ClipRequest(audio_ref, clip.start_s, clip.end_s, language, hotwords, clip.speech)
                segments = await _clip_with_retries(handle, request, clip, self.cfg.asr_request_timeout_s)
            results[index] = segments
            done += 1
            now = time.monotonic()
            if on_progress is not None and (done == total or now - last_report >= PROGRESS_EVERY_S):
                last_report = now
                await on_progress(done, total)

        if not items and on_progress is not None:
            await on_progress(0, 0)
        tasks = [asyncio.create_task(one(i, ref, clip)) for i, (ref, clip) in enumerate(items)]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
        return results


# A replica lost with its node (a killed Ray node, a preempted GPU pod) fails the clips it held with an actor
# error; Serve replaces the replica (on another node if this one is gone), so the clip is sent again. A request
# that gets no answer at all within `timeout_s` is canceled and sent again too: a handle can wait on a lost
# replica forever (ray-project/ray#24228: a push "stashed away and waiting for death info from GCS"), and a
# job waiting on it keeps its lease alive, so the reaper could never take it over. Anything else (a bad clip,
# a model error) fails at once.
REPLICA_LOST_RETRIES = 5
REPLICA_LOST_BACKOFF_S = 1.0


async def _clip_with_retries(handle: Any, request: Any, clip: Clip, timeout_s: float) -> list[SegmentDict]:
    from ray.exceptions import RayActorError

    for attempt in range(REPLICA_LOST_RETRIES + 1):
        response = handle.transcribe.remote(request)
        try:
            result: list[SegmentDict] = await asyncio.wait_for(_answer(response), timeout_s)
            return result
        except asyncio.CancelledError:
            response.cancel()  # a canceled job's queued clips leave the replicas' queues
            raise
        except (RayActorError, TimeoutError) as exc:
            if isinstance(exc, TimeoutError):
                response.cancel()
                reason = f"no answer in {timeout_s:.0f} s"
            else:
                reason = f"its ASR replica was lost ({error_summary(exc)})"
            if attempt == REPLICA_LOST_RETRIES:
                raise TranscriptionError(f"ASR failed on the clip at {clip.start_s:.1f} s: {reason}") from exc
            log.warning("clip at %.1f s: %s; sending it again", clip.start_s, reason)
            await asyncio.sleep(REPLICA_LOST_BACKOFF_S * 2**attempt)
        except Exception as exc:
            raise TranscriptionError(f"ASR failed on the clip at {clip.start_s:.1f} s: {error_summary(exc)}") from exc
    raise AssertionError("unreachable")


async def _answer(response: Any) -> Any:
    """`asyncio.wait_for` needs a coroutine or future; a DeploymentResponse is only awaitable."""
    return await response


def _transcript(
    raw: list[SegmentDict], duration: float, language: str, probability: float | None, model: str
) -> Transcript:
    ordered = sorted(raw, key=lambda s: (s["start"], s["end"]))
    dropped = [s for s in ordered if DROPPED in s.get("flags", [])]
    segments: list[Segment] = []
    words: list[Word] = []
    for seg in (s for s in ordered if DROPPED not in s.get("flags", [])):
        start, end = _clamp(seg["start"], duration), _clamp(seg["end"], duration)
        flags = [f for f in seg.get("flags", []) if f in SEGMENT_FLAGS]
        speaker = seg.get("speaker")  # channel mode: the channel's raw label, merge_speakers keeps it
        segments.append(
            Segment(
                id=len(segments), start=start, end=max(start, end), text=seg["text"].strip(), flags=flags,
                speaker=speaker,
            )
        )
        for w in seg["words"]:
            w_start, w_end = _clamp(w["start"], duration), _clamp(w["end"], duration)
            words.append(
                Word(
                    word=w["word"].strip(),
                    start=w_start,
                    end=max(w_start, w_end),
                    probability=min(1.0, max(0.0, w["probability"])),
                    speaker=speaker,
                )
            )
    if any(s.speaker for s in segments):
        words.sort(key=lambda w: (w.start, w.end))  # channels' segments overlap in time: one ordered word list
    text = " ".join(s.text for s in segments if s.text).strip()
    return Transcript(
        language=language,
        language_probability=probability,
        duration=round(duration, 3),
        model=model,
        text=text,
        segments=segments,
        words=words,
        warnings=guard_warnings(dropped, segments),
    )


SEGMENT_FLAGS = frozenset(SegmentFlag.__args__)  # type: ignore[attr-defined]


def guard_warnings(dropped: list[SegmentDict], segments: list[Segment]) -> list[str]:
    """What the quality guard removed or could not repair, in words a customer can act on."""
    out: list[str] = []
    for seg in dropped:
        reason = seg.get("flags", [DROPPED, ""])[-1]
        what = "text on silence" if reason == "silence" else "a repetition loop that could not be repaired"
        out.append(f"dropped {what} at {seg['start']:.1f}-{seg['end']:.1f} s: {seg['text'].strip()[:80]!r}")
    cut = [s for s in segments if "repetition_removed" in s.flags]
    if cut:
        at = ", ".join(f"{s.start:.1f} s" for s in cut)
        out.append(f"{len(cut)} segment(s) repeated a phrase that no fallback repaired; the repeats were removed (at {at})")
    return out


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
