"""Channel mode's words already name their channel (inference/crosstalk.py); the merge keeps it, even where the
two channels' turns and segments overlap, and a failed diarization leaves no raw channel label behind."""

from __future__ import annotations

from inference.speakers import merge_speakers, without_speakers
from schemas.result import Segment, Transcript, Word


def word(text: str, start: float, end: float, channel: str | None) -> Word:
    return Word(word=text, start=start, end=end, probability=0.9, speaker=channel)


def call() -> Transcript:
    # Both talk at once 1.0-2.0 s; channel 2's words fall inside channel 1's segment span, and channel 2's
    # turn covers channel 1's "help" longer than channel 1's own turn does.
    words = [
        word("Can", 0.0, 0.4, "channel_1"), word("I", 0.4, 0.6, "channel_1"),
        word("Hello", 1.0, 1.4, "channel_2"), word("help?", 1.1, 1.3, "channel_1"), word("there.", 1.4, 1.9, "channel_2"),
    ]
    segments = [
        Segment(id=0, start=0.0, end=1.3, text="Can I help?", speaker="channel_1"),
        Segment(id=1, start=1.0, end=1.9, text="Hello there.", speaker="channel_2"),
    ]
    return Transcript(language="en", duration=2.0, model="tiny.en", text="", segments=segments, words=words)


TURNS = [
    {"start": 0.0, "end": 1.15, "speaker": "channel_1"},
    {"start": 0.95, "end": 1.95, "speaker": "channel_2"},
]


def test_channel_words_keep_their_channel_through_overlap() -> None:
    merged = merge_speakers(call(), TURNS)
    assert [(w.word, w.speaker) for w in merged.words] == [
        ("Can", "Speaker 1"), ("I", "Speaker 1"), ("Hello", "Speaker 2"), ("help?", "Speaker 1"), ("there.", "Speaker 2"),
    ]
    assert [(s.text, s.speaker) for s in merged.segments] == [("Can I help?", "Speaker 1"), ("Hello there.", "Speaker 2")]
    assert {s.label: s.source for s in merged.speakers or []} == {"Speaker 1": "channel_1", "Speaker 2": "channel_2"}


def test_failed_diarization_leaves_no_channel_label() -> None:
    bare = without_speakers(call(), "boom")
    assert all(w.speaker is None for w in bare.words) and all(s.speaker is None for s in bare.segments)
