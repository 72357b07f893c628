"""Shared builders for the captions tests: transcripts with word timings, optionally with speakers."""

from __future__ import annotations

from typing import Any

import pytest

from schemas.result import Segment, Transcript, Word

SAMPLE = (
    "Hello there, and welcome to the show. Today we talk about captions and why they matter so much for "
    "accessibility. Isn't that great? Yes it is. We will also discuss reading speed, line length and many "
    "other things that people forget when they write subtitles by hand."
)


class SpeakerWord(Word):
    """A Word as diarization will produce it (an optional speaker), to test that captions already use it."""

    speaker: str | None = None


def make_transcript(text: str = SAMPLE, *, speakers: list[str] | None = None, turn_every: int = 12, start: float = 0.5) -> Transcript:
    words: list[Any] = []
    t = start
    for i, tok in enumerate(text.split()):
        dur = 0.12 + 0.03 * len(tok)
        kwargs: dict[str, Any] = {"word": " " + tok, "start": round(t, 3), "end": round(t + dur, 3), "probability": 0.9}
        if speakers:
            words.append(SpeakerWord(speaker=speakers[(i // turn_every) % len(speakers)], **kwargs))
        else:
            words.append(Word(**kwargs))
        t += dur + 0.06
    return Transcript(
        language="en", duration=t + 1, model="tiny.en", text=text,
        segments=[Segment(id=0, start=start, end=t, text=text)], words=words,
    )


@pytest.fixture
def transcript() -> Transcript:
    return make_transcript()


@pytest.fixture
def diarized() -> Transcript:
    return make_transcript(speakers=["SPEAKER_00", "SPEAKER_01"])
