"""The ASR actor: loads one Whisper model once and transcribes batches of clips for many jobs.

Kept as a plain class (no `@ray.remote`) so it can be unit-tested in-process; the runtime wraps it with
`ray.remote(...).options(num_cpus=..., num_gpus=...)`. Everything returned is plain data: faster-whisper's
segments are a lazy generator whose work would otherwise run wherever it is consumed.
"""

from __future__ import annotations

import os
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


class AsrWorker:
    """One Whisper model + BatchedInferencePipeline, built once per actor process."""

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

    def ping(self) -> int:
        """Lets the runtime wait until the model is loaded (actor creation is otherwise lazy)."""
        return os.getpid()

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


def _segment_dict(segment: Any) -> SegmentDict:
    words: list[WordDict] = [
        {"word": w.word, "start": float(w.start), "end": float(w.end), "probability": float(w.probability)}
        for w in (segment.words or [])
    ]
    return {"start": float(segment.start), "end": float(segment.end), "text": segment.text, "words": words}
