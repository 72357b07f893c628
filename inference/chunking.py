"""Cut audio into Whisper-sized clips at VAD silences so no word is split across two clips.

A clip is a span of the ORIGINAL audio, from the start of one speech region to the end of a later one, and lists
the speech regions inside it; the replica decodes those regions end to end and maps times back
(inference/timeline.py). Clip boundaries always fall in the gaps between speech regions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from inference.config import InferenceConfig
from inference.decode import SAMPLE_RATE

# 160 ms is faster-whisper's own batched default: short enough to find a cut inside a 30 s turn.
MIN_SILENCE_MS = 160


@dataclass(frozen=True, slots=True)
class Clip:
    """Seconds from the start of the media. `speech` lists the VAD speech regions inside the clip (seconds,
    absolute): the replica checks that every one of them got words (inference/guard.py), since Whisper can
    skip whole turns of a 30 s window. Not part of equality: a clip is its span."""

    start_s: float
    end_s: float
    speech: tuple[tuple[float, float], ...] = field(default=(), compare=False)

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def as_dict(self) -> dict[str, Any]:
        """Seconds, as `AsrWorker.transcribe_clips` takes them: span and speech regions."""
        return {"start": self.start_s, "end": self.end_s, "speech": [list(region) for region in self.speech]}


def plan_clips(
    speech_regions_samples: Iterable[Mapping[str, int]], max_chunk_s: float, sr: int = SAMPLE_RATE
) -> list[Clip]:
    """Greedily pack consecutive speech regions into clips of at most `max_chunk_s` seconds of speech.

    The replica decodes a clip's speech regions end to end, without the silences between them
    (inference/timeline.py, as faster-whisper's own batched pipeline does), so it is the speech that must fit
    Whisper's 30 s window, not the span: a meeting with long pauses gets fewer, fuller clips, and no turn is
    left alone in a short tail clip without the context of the turns before it.

    A region that is itself longer than the maximum (VAD normally prevents it) is cut into equal-length pieces,
    the only case where a cut can land inside speech.
    """
    max_samples = int(max_chunk_s * sr)
    if max_samples <= 0:
        raise ValueError("max_chunk_s must be positive")
    spans: list[tuple[int, int]] = []
    for region in sorted(speech_regions_samples, key=lambda r: int(r["start"])):
        start, end = int(region["start"]), int(region["end"])
        if end <= start:
            continue
        if spans and start < spans[-1][1]:  # overlapping regions: merge into the previous one
            start = spans[-1][1]
            if end <= start:
                continue
        spans.extend(_split_long(start, end, max_samples))
    clips: list[Clip] = []
    members: list[tuple[int, int]] = []
    speech = 0
    for start, end in spans:
        if members and speech + end - start <= max_samples:
            members.append((start, end))
            speech += end - start
            continue
        if members:
            clips.append(_clip(members, sr))
        members, speech = [(start, end)], end - start
    if members:
        clips.append(_clip(members, sr))
    return clips


def _clip(members: list[tuple[int, int]], sr: int) -> Clip:
    speech = tuple((start / sr, end / sr) for start, end in members)
    return Clip(members[0][0] / sr, members[-1][1] / sr, speech)


def _split_long(start: int, end: int, max_samples: int) -> list[tuple[int, int]]:
    pieces = -(-(end - start) // max_samples)
    step = -(-(end - start) // pieces)
    return [(s, min(s + step, end)) for s in range(start, end, step)]


def find_clips(audio: np.ndarray, cfg: InferenceConfig) -> list[Clip]:
    """Run faster-whisper's bundled Silero VAD (CPU, one thread) and plan clips; silence gives no clips."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if audio.size == 0:
        return []
    options = VadOptions(max_speech_duration_s=cfg.max_chunk_s, min_silence_duration_ms=MIN_SILENCE_MS)
    regions = get_speech_timestamps(audio, options, sampling_rate=SAMPLE_RATE)
    return plan_clips(regions, cfg.max_chunk_s, SAMPLE_RATE)
