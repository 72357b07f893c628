"""The ASR engine: loads one Whisper model once and transcribes clips of many jobs, mixed in one batch.

Kept as a plain class (no Ray, no Serve) so it can be unit-tested in-process; the Serve replica
(`inference/serving/asr_app.py`) holds one. Everything returned is plain data: faster-whisper's segments are a
lazy generator whose work would otherwise run wherever it is consumed.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import numpy as np

from inference.decode import SAMPLE_RATE
from inference.models import resolve_model

DETECT_WINDOW_S = 30.0


class WordDict(TypedDict):
    word: str
    start: float
    end: float
    probability: float


class SegmentDict(TypedDict):
    start: float
    end: float
    text: str
    words: list[WordDict]


@dataclass(frozen=True, slots=True)
class MixedClip:
    """One clip of one job inside a batch of many: its samples, where it sits in its job's audio, and the
    job's own options (a batch only decodes clips with equal options together, see `transcribe_mixed`)."""

    samples: np.ndarray
    offset_s: float
    language: str
    hotwords: str | None = None

    def options_key(self) -> Hashable:
        return (self.language, self.hotwords or None)


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
        clips: list[dict[str, float]],
        language: str | None,
        options: dict[str, Any] | None = None,
    ) -> list[SegmentDict]:
        """Transcribe the given clips (seconds) of the full audio; segment times come back absolute.

        faster-whisper 1.2.1 converts `clip_timestamps` from seconds to samples itself and adds each clip's start
        as the offset, so no remapping happens here. `options` carries batch_size, beam_size and optionally
        hotwords / initial_prompt.
        """
        if not clips:
            return []
        opts = dict(options or {})
        kwargs: dict[str, Any] = {
            "batch_size": int(opts.get("batch_size", 8)),
            "beam_size": int(opts.get("beam_size", 5)),
        }
        for optional in ("hotwords", "initial_prompt"):
            if opts.get(optional):
                kwargs[optional] = opts[optional]
        segments, _info = self.pipeline.transcribe(
            audio,
            language=language,
            clip_timestamps=clips,
            vad_filter=False,
            word_timestamps=True,
            **kwargs,
        )
        return [_segment_dict(segment) for segment in segments]

    def transcribe_mixed(self, clips: list[MixedClip], batch_size: int = 8, beam_size: int = 5) -> list[list[SegmentDict]]:
        """Transcribe clips of different jobs; result i holds clip i's segments in its own job's time.

        Clips with the same options (language, hotwords) are laid end to end in one buffer and handed to the
        batched pipeline as `clip_timestamps`, so faster-whisper batches them as it batches one file's clips:
        each clip is still decoded alone (its own 30 s window, its own word alignment), which is why mixing
        jobs changes no word or timing. A segment belongs to the clip its start falls in; its times (and its
        words') move by that clip's offset in its job minus its offset in the buffer.
        """
        results: list[list[SegmentDict]] = [[] for _ in clips]
        groups: dict[Hashable, list[int]] = {}
        for index, clip in enumerate(clips):
            groups.setdefault(clip.options_key(), []).append(index)
        for indices in groups.values():
            first = clips[indices[0]]
            pieces = [np.asarray(clips[i].samples, dtype=np.float32).reshape(-1) for i in indices]
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
                shift = clips[index].offset_s - starts_s[slot]
                results[index].append(_shifted(_segment_dict(segment), shift))
        return results


def clip_slot(starts_s: list[float], start: float, end: float) -> int:
    """Which of the buffer's clips (their start times, ascending) a segment of the batched pipeline belongs to.

    faster-whisper rounds segment times to the millisecond, so a segment opening its clip can come back up to
    0.5 ms before the clip's start and, judged by its start, fall into the previous clip — another job's (the
    two-worker test saw a job come back empty). Its midpoint is always well inside its own clip.
    """
    return max(0, bisect.bisect_right(starts_s, (start + end) / 2) - 1)


def _segment_dict(segment: Any) -> SegmentDict:
    words: list[WordDict] = [
        {"word": w.word, "start": float(w.start), "end": float(w.end), "probability": float(w.probability)}
        for w in (segment.words or [])
    ]
    return {"start": float(segment.start), "end": float(segment.end), "text": segment.text, "words": words}


def _shifted(segment: SegmentDict, shift: float) -> SegmentDict:
    words: list[WordDict] = [
        {"word": w["word"], "start": w["start"] + shift, "end": w["end"] + shift, "probability": w["probability"]}
        for w in segment["words"]
    ]
    return {"start": segment["start"] + shift, "end": segment["end"] + shift, "text": segment["text"], "words": words}
