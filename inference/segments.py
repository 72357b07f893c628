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
    words: list[WordDict] = [{**w, **_word_times(w["start"], w["end"], to_job)} for w in segment["words"]]
    return {**segment, "start": to_job(segment["start"], False), "end": to_job(segment["end"], True), "words": words}


def _word_times(start: float, end: float, to_job: Callable[[float, bool], float]) -> dict[str, float]:
    """A word's job times. Whisper often stretches a word's end up to the next word, past a joint of the
    speech buffer: mapped as is, "plan." would span the removed silence and the other party's whole turn
    (seen: a 9 s "help."). A word lies in one speech region: the one holding its midpoint, where it keeps its
    decoded duration."""
    job_start, job_end = to_job(start, False), to_job(end, True)
    duration = end - start
    if job_end - job_start <= duration + 1e-3:  # no removed silence inside the word
        return {"start": job_start, "end": job_end}
    middle = (start + end) / 2
    if to_job(middle, False) - job_start <= middle - start + 1e-3:  # the midpoint is in the start's region
        return {"start": job_start, "end": job_start + duration}
    return {"start": job_end - duration, "end": job_end}


def flagged(segment: SegmentDict, *flags: str) -> SegmentDict:
    """A copy with `flags` added (each once, in order)."""
    return {**segment, "flags": list(dict.fromkeys([*segment.get("flags", []), *flags]))}
