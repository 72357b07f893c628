"""Utterances from a `schemas.result.Transcript`-shaped dict: consecutive segments of one speaker become a turn."""

from __future__ import annotations

from typing import Any

from analysis.schema import Utterance


def utterances_from_transcript(transcript: dict[str, Any], gap_s: float = 1.5) -> list[Utterance]:
    """Segments carry `speaker` once diarization ran (None before); a pause over `gap_s` starts a new turn."""
    out: list[Utterance] = []
    for seg in transcript.get("segments") or []:
        text = " ".join(str(seg.get("text", "")).split())
        if not text:
            continue
        speaker, start, end = seg.get("speaker"), float(seg["start"]), float(seg["end"])
        last = out[-1] if out else None
        if last is not None and last.speaker == speaker and start - last.end <= gap_s:
            out[-1] = Utterance(speaker=speaker, start=last.start, end=max(end, last.end), text=f"{last.text} {text}")
        else:
            out.append(Utterance(speaker=speaker, start=start, end=max(end, start), text=text))
    return out
