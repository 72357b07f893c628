"""The ASR engine: loads one Whisper model once and transcribes clips of many jobs, mixed in one batch.

Kept as a plain class (no Ray, no Serve) so it can be unit-tested in-process; the Serve replica
(`inference/serving/asr_app.py`) holds one. Everything returned is plain data: faster-whisper's segments are a
lazy generator whose work would otherwise run wherever it is consumed.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from inference import guard
from inference.decode import SAMPLE_RATE
from inference.models import resolve_model
from inference.segments import (
    DROPPED,
    LOW_CONFIDENCE,
    REDECODED,
    SegmentDict,
    WordDict,
    flagged,
    remapped,
    segment_dict,
)
from inference.timeline import Timeline, speech_buffer

__all__ = ["AsrWorker", "MixedClip", "SegmentDict", "WordDict", "clip_slot"]

DETECT_WINDOW_S = 30.0


@dataclass(frozen=True, slots=True)
class MixedClip:
    """One clip of one job inside a batch of many: its samples, where it sits in its job's audio, and the
    job's own options (a batch only decodes clips with equal options together, see `transcribe_mixed`)."""

    samples: np.ndarray
    offset_s: float
    language: str
    hotwords: str | None = None
    speech: tuple[tuple[float, float], ...] = ()  # VAD regions, seconds in the job's time (chunking.Clip)

    def options_key(self) -> Hashable:
        return (self.language, self.hotwords or None)

    def buffer(self) -> tuple[np.ndarray, Timeline]:
        """What is decoded: the clip's speech regions end to end (inference/timeline.py), and the time map."""
        return speech_buffer(np.asarray(self.samples, dtype=np.float32).reshape(-1), self.offset_s, self.speech)


class AsrWorker:
    """One Whisper model + BatchedInferencePipeline, built once per replica process."""

    def __init__(
        self,
        model_name: str,
        cache_dir: str,
        device: str = "cpu",
        compute_type: str = "int8",
        cpu_threads: int = 0,
    ) -> None:
        from faster_whisper import BatchedInferencePipeline, WhisperModel

        # Resolved here, not in the driver: on a cluster the driver's paths don't exist on worker nodes.
        model_path = resolve_model(model_name, Path(cache_dir))
        if device == "cuda" and compute_type == "int8":
            compute_type = "float16"
        self.model_name = model_name
        self.model = WhisperModel(model_path, device=device, compute_type=compute_type, cpu_threads=cpu_threads)
        self.pipeline = BatchedInferencePipeline(self.model)


    def detect_language(self, audio: np.ndarray, start_s: float = 0.0) -> tuple[str, float]:
        """Language of the 30 s from `start_s` (the first speech clip): a single window is what Whisper uses."""
        first = int(start_s * SAMPLE_RATE)
        window = np.asarray(audio[first : first + int(DETECT_WINDOW_S * SAMPLE_RATE)], dtype=np.float32)
        language, probability, _ = self.model.detect_language(window)
        return str(language), float(probability)

    def transcribe_clips(
        self,
        audio: np.ndarray,
        clips: Sequence[Mapping[str, Any]],
        language: str | None,
        options: dict[str, Any] | None = None,
    ) -> list[SegmentDict]:
        """Transcribe the given clips (`Clip.as_dict()`: seconds, and the speech regions inside) of one file the
        way a replica does (`transcribe_mixed`, guard included); segment times come back absolute. `options`
        carries batch_size, beam_size and optionally hotwords. For scripts and the analysis benchmark."""
        opts = dict(options or {})
        lang = language or self.detect_language(audio, float(clips[0]["start"]) if clips else 0.0)[0]
        mixed = [
            MixedClip(
                audio[int(float(c["start"]) * SAMPLE_RATE) : int(float(c["end"]) * SAMPLE_RATE)],
                float(c["start"]),
                lang,
                opts.get("hotwords") or None,
                tuple((float(a), float(b)) for a, b in c.get("speech", ())),
            )
            for c in clips
        ]
        results = self.transcribe_mixed(mixed, int(opts.get("batch_size", 8)), int(opts.get("beam_size", 5)))
        return [segment for segments in results for segment in segments]

    def transcribe_mixed(
        self, clips: list[MixedClip], batch_size: int = 8, beam_size: int = 5, guarded: bool = True
    ) -> list[list[SegmentDict]]:
        """Transcribe clips of different jobs; result i holds clip i's segments in its own job's time.

        Clips with the same options (language, hotwords) are laid end to end in one buffer and handed to the
        batched pipeline as `clip_timestamps`, so faster-whisper batches them as it batches one file's clips:
        each clip is still decoded alone (its own 30 s window, its own word alignment), which is why mixing
        jobs changes no word or timing. A segment belongs to the clip its midpoint falls in; its times (and its
        words') move by that clip's offset in its job minus its offset in the buffer.

        Then each clip passes the quality guard (inference/guard.py); only the clips it finds wrong are decoded
        again, one at a time, so healthy clips keep the batched speed. `guarded=False` returns the batched
        decode as it came (benchmarks and tests compare the two).
        """
        results: list[list[SegmentDict]] = [[] for _ in clips]
        groups: dict[Hashable, list[int]] = {}
        for index, clip in enumerate(clips):
            groups.setdefault(clip.options_key(), []).append(index)
        buffers = [clip.buffer() for clip in clips]
        for indices in groups.values():
            first = clips[indices[0]]
            pieces = [buffers[i][0] for i in indices]
            bounds: list[int] = []
            position = 0
            for piece in pieces:
                bounds.append(position)
                position += piece.shape[0]
            # faster-whisper turns seconds into samples with int(seconds * 16000) and reports offsets as
            # samples / 16000; b / 16000 can come back as b - 1 samples, and a segment starting at its clip's
            # first sample would then land in the clip before it. Half a sample past the boundary truncates to
            # exactly b, so the offsets faster-whisper uses are the ones used below to map segments back.
            starts_s = [b / SAMPLE_RATE for b in bounds]
            timestamps = [
                {"start": (b + 0.5) / SAMPLE_RATE, "end": (b + p.shape[0] + 0.5) / SAMPLE_RATE}
                for b, p in zip(bounds, pieces)
                if p.size
            ]
            if not timestamps:
                continue
            kwargs: dict[str, Any] = {"batch_size": batch_size, "beam_size": beam_size}
            if first.hotwords:
                kwargs["hotwords"] = first.hotwords
            segments, _info = self.pipeline.transcribe(
                np.concatenate(pieces),
                language=first.language,
                clip_timestamps=timestamps,
                vad_filter=False,
                word_timestamps=True,
                **kwargs,
            )
            for segment in segments:
                slot = clip_slot(starts_s, float(segment.start), float(segment.end))
                index = indices[slot]
                results[index].append(remapped(segment_dict(segment), _mapper(buffers[index][1], starts_s[slot])))
        if not guarded:
            return results
        return [self._guarded(clip, buffer, segments, beam_size) for clip, buffer, segments in zip(clips, buffers, results)]

    def _guarded(
        self, clip: MixedClip, buffer: tuple[np.ndarray, Timeline], segments: list[SegmentDict], beam_size: int
    ) -> list[SegmentDict]:
        """The clip's segments after the guard: suspect text decoded again with Whisper's sequential fallbacks,
        speech that got no words decoded again on its own, and whatever is still a loop cut (or dropped)."""
        verdict = guard.assess(segments, clip.speech)
        if verdict.healthy:
            return segments
        samples, timeline = buffer
        if verdict.needs_redecode:
            segments = self._redecoded(clip, buffer, segments, beam_size)
        gaps = guard.uncovered(segments, clip.speech)
        if gaps:
            for lo, hi in guard.windows(gaps, (timeline.job_starts[0], timeline.job_ends[-1])):
                first, last = timeline.to_buffer(lo), timeline.to_buffer(hi)
                window = samples[int(first * SAMPLE_RATE) : int(last * SAMPLE_RATE)]
                recovered = self._sequential(window, _mapper(timeline, -first), clip, beam_size, FALLBACKS[0])
                segments = segments + [flagged(s, REDECODED) for s in guard.new_words_only(recovered, segments)]
        return [_finished(s) for s in segments]

    def _redecoded(
        self, clip: MixedClip, buffer: tuple[np.ndarray, Timeline], batched: list[SegmentDict], beam_size: int
    ) -> list[SegmentDict]:
        """The whole clip through the sequential decoder, each fallback in turn until one gives no loop and no
        text on silence. When every fallback judges the clip speechless, text the batch put on silence is
        dropped; anything else the batch said is kept (its loops are cut in `_finished`), never thrown away."""
        samples, timeline = buffer
        attempt: list[SegmentDict] = []
        for options in FALLBACKS:
            attempt = self._sequential(samples, _mapper(timeline, 0.0), clip, beam_size, options)
            if attempt and not any(guard.segment_problems(s) & BLOCKING for s in attempt):
                break
        if attempt:
            return [flagged(s, REDECODED) for s in attempt]
        silent = [s for s in batched if guard.Problem.silence in guard.segment_problems(s)]
        return [s for s in batched if s not in silent] + [flagged({**s, "words": []}, DROPPED, "silence") for s in silent]

    def _sequential(
        self, samples: np.ndarray, to_job: Callable[[float, bool], float], clip: MixedClip, beam_size: int,
        options: dict[str, Any],
    ) -> list[SegmentDict]:
        """faster-whisper's sequential decoder on `samples`; `to_job` maps its times to the job's."""
        import ctranslate2

        kwargs: dict[str, Any] = {"hotwords": clip.hotwords} if clip.hotwords else {}
        # Temperature fallback samples: a fixed seed makes a repair the same on every run and every replica.
        ctranslate2.set_random_seed(REPAIR_SEED)
        segments, _info = self.model.transcribe(
            np.asarray(samples, dtype=np.float32),
            language=clip.language,
            beam_size=beam_size,
            word_timestamps=True,
            vad_filter=False,
            compression_ratio_threshold=guard.COMPRESSION_RATIO_MAX,
            log_prob_threshold=guard.LOGPROB_MIN,
            no_speech_threshold=guard.NO_SPEECH_MIN,
            **options,
            **kwargs,
        )
        return [remapped(segment_dict(segment), to_job) for segment in segments]


# Whisper's own recovery from a bad window, tried in order on a suspect clip: temperature fallback without the
# previous text as prompt (a loop feeds itself through the prompt), then also forbidding repeated 3-grams and
# penalising repeats. Never applied to healthy clips: both change what a good decode says.
TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
REPAIR_SEED = 16
BLOCKING = frozenset({guard.Problem.loop, guard.Problem.silence})  # what makes the next fallback worth a try
FALLBACKS: tuple[dict[str, Any], ...] = (
    {"temperature": TEMPERATURES, "condition_on_previous_text": False},
    {"temperature": TEMPERATURES, "condition_on_previous_text": False, "no_repeat_ngram_size": 3,
     "repetition_penalty": 1.2},
)


def _mapper(timeline: Timeline, buffer_start_s: float) -> Callable[[float, bool], float]:
    """Times of a decode whose t = 0 is `buffer_start_s` of the clip's buffer (shifted back by negative starts
    for a window) -> job times."""
    return lambda t, is_end: timeline.to_job(t - buffer_start_s, is_end)


def _finished(segment: SegmentDict) -> SegmentDict:
    """Last step for a segment of a suspect clip: loops that survived every fallback are cut to one
    occurrence; text Whisper itself is unsure of is flagged."""
    if DROPPED in segment.get("flags", []):
        return segment
    if guard.Problem.loop in guard.segment_problems(segment):
        segment = guard.collapse_loops(segment)
        if not segment["text"].strip():
            return flagged(segment, DROPPED, "unrepaired")
    if segment.get("avg_logprob", 0.0) < guard.LOGPROB_MIN:
        segment = flagged(segment, LOW_CONFIDENCE)
    return segment


def clip_slot(starts_s: list[float], start: float, end: float) -> int:
    """Which of the buffer's clips (their start times, ascending) a segment of the batched pipeline belongs to.

    faster-whisper rounds segment times to the millisecond, so a segment opening its clip can come back up to
    0.5 ms before the clip's start and, judged by its start, fall into the previous clip — another job's (the
    two-worker test saw a job come back empty). Its midpoint is always well inside its own clip.
    """
    return max(0, bisect.bisect_right(starts_s, (start + end) / 2) - 1)
