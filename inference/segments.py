"""The plain-data shapes the ASR replica returns (TypedDicts, so Ray ships them without pickling our classes).

Kept apart from `inference.asr` so the quality guard (`inference.guard`) and the engine can both use them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NotRequired, TypedDict

# Internal flag: the guard removed the segment (text on silence, or a loop that could not be repaired). The
# pipeline turns such a segment into a `warnings` entry and never shows it; its second flag names the reason.
DROPPED = "dropped"
REDECODED = "redecoded"
REPETITION_REMOVED = "repetition_removed"
LOW_CONFIDENCE = "low_confidence"


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
    # Whisper's own per-window statistics; the guard reads them. Absent in hand-built segments (tests).
    avg_logprob: NotRequired[float]
    no_speech_prob: NotRequired[float]
    compression_ratio: NotRequired[float]
    flags: NotRequired[list[str]]
    # Channel mode only: the channel's raw speaker label (`channel_1`, ...), set by inference/crosstalk.py.
    speaker: NotRequired[str]


def segment_dict(segment: Any) -> SegmentDict:
    """A faster-whisper `Segment` (batched or sequential) as plain data."""
    words: list[WordDict] = [
        {"word": w.word, "start": float(w.start), "end": float(w.end), "probability": float(w.probability)}
        for w in (segment.words or [])
    ]
    return {
        "start": float(segment.start),
        "end": float(segment.end),
        "text": segment.text,
        "words": words,
        "avg_logprob": float(segment.avg_logprob),
        "no_speech_prob": float(segment.no_speech_prob),
        "compression_ratio": float(segment.compression_ratio),
    }


def remapped(segment: SegmentDict, to_job: Callable[[float, bool], float]) -> SegmentDict:
    """The segment (and its words) with every time t replaced by `to_job(t, is_end)`; statistics and flags
    unchanged. `is_end` tells an end time, which belongs to the piece it closes (inference/timeline.py)."""
    words: list[WordDict] = [{**w, "start": to_job(w["start"], False), "end": to_job(w["end"], True)} for w in segment["words"]]
    return {**segment, "start": to_job(segment["start"], False), "end": to_job(segment["end"], True), "words": words}


def flagged(segment: SegmentDict, *flags: str) -> SegmentDict:
    """A copy with `flags` added (each once, in order)."""
    return {**segment, "flags": list(dict.fromkeys([*segment.get("flags", []), *flags]))}
