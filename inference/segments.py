"""The plain-data shapes the ASR replica returns (TypedDicts, so Ray ships them without pickling our classes).

Kept apart from `inference.asr` so the quality guard (`inference.guard`) and the engine can both use them.
"""

from __future__ import annotations

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


def shifted(segment: SegmentDict, shift: float) -> SegmentDict:
    """The segment `shift` seconds later (its words too); statistics and flags unchanged."""
    words: list[WordDict] = [{**w, "start": w["start"] + shift, "end": w["end"] + shift} for w in segment["words"]]
    return {**segment, "start": segment["start"] + shift, "end": segment["end"] + shift, "words": words}


def flagged(segment: SegmentDict, *flags: str) -> SegmentDict:
    """A copy with `flags` added (each once, in order)."""
    return {**segment, "flags": list(dict.fromkeys([*segment.get("flags", []), *flags]))}
