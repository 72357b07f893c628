"""inference.speakers: words get the speaker they overlap most, segments split at changes, overlaps kept."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from inference.speakers import assign_words, merge_speakers, overlaps, speaker_labels, without_speakers
from schemas.options import DiarizationOptions, JobOptions
from schemas.result import Segment, Transcript, Word


def word(text: str, start: float, end: float) -> Word:
    return Word(word=text, start=start, end=end, probability=0.9)


def transcript(words: list[Word], segments: list[tuple[float, float]] | None = None) -> Transcript:
    spans = segments or [(words[0].start, words[-1].end)]
    segs = []
    for i, (start, end) in enumerate(spans):
        text = " ".join(w.word for w in words if start <= (w.start + w.end) / 2 <= end)
        segs.append(Segment(id=i, start=start, end=end, text=text))
    return Transcript(language="en", duration=30.0, model="tiny.en", text="", segments=segs, words=words)


def turn(start: float, end: float, speaker: str) -> dict[str, object]:
    return {"start": start, "end": end, "speaker": speaker}


def test_labels_follow_first_appearance_not_pipeline_names() -> None:
    turns = [turn(5, 6, "SPEAKER_00"), turn(1, 2, "SPEAKER_01"), turn(3, 4, "SPEAKER_02")]
    assert speaker_labels(turns) == {"SPEAKER_01": "Speaker 1", "SPEAKER_02": "Speaker 2", "SPEAKER_00": "Speaker 3"}


def test_word_takes_speaker_with_largest_overlap() -> None:
    turns = [turn(0.0, 1.2, "A"), turn(1.1, 3.0, "B")]
    labels = speaker_labels(turns)
    # 1.0-1.5 overlaps A by 0.2 s and B by 0.4 s
    assert assign_words([word("x", 1.0, 1.5)], turns, labels) == ["Speaker 2"]


def test_word_outside_every_turn_takes_nearest_turn() -> None:
    turns = [turn(0.0, 1.0, "A"), turn(5.0, 6.0, "B")]
    labels = speaker_labels(turns)
    assert assign_words([word("a", 1.5, 1.8), word("b", 4.0, 4.6), word("c", 9, 9.5)], turns, labels) == [
        "Speaker 1",
        "Speaker 2",
        "Speaker 2",
    ]


def test_zero_length_word_is_still_assigned() -> None:
    turns = [turn(0.0, 1.0, "A"), turn(1.0, 2.0, "B")]
    assert assign_words([word("x", 1.5, 1.5)], turns, speaker_labels(turns)) == ["Speaker 2"]


def test_no_turns_leaves_words_unassigned() -> None:
    t = merge_speakers(transcript([word("hi", 0, 0.5)]), [])
    assert t.speakers == [] and t.overlaps == [] and t.words[0].speaker is None and t.segments[0].speaker is None


def test_segments_split_at_speaker_changes_with_texts_and_times() -> None:
    words = [word("hello", 0.0, 0.4), word("there.", 0.5, 0.9), word("hi", 1.5, 1.8), word("you.", 1.9, 2.2)]
    turns = [turn(0.0, 1.0, "S0"), turn(1.4, 2.5, "S1")]
    t = merge_speakers(transcript(words, [(0.0, 2.2)]), turns)
    assert [(s.id, s.speaker, s.text) for s in t.segments] == [
        (0, "Speaker 1", "hello there."),
        (1, "Speaker 2", "hi you."),
    ]
    assert t.segments[0].start == 0.0 and t.segments[0].end == 0.9
    assert t.segments[1].start == 1.5 and t.segments[1].end == 2.2
    assert [w.speaker for w in t.words] == ["Speaker 1", "Speaker 1", "Speaker 2", "Speaker 2"]


def test_unsplit_segment_keeps_original_text_and_bounds() -> None:
    words = [word("One,", 0.1, 0.4), word("two.", 0.5, 0.9)]
    t = merge_speakers(transcript(words, [(0.0, 1.0)]), [turn(0.0, 1.0, "X")])
    assert len(t.segments) == 1 and t.segments[0].text == "One, two." and (t.segments[0].start, t.segments[0].end) == (0.0, 1.0)


def test_speaker_summary_times_and_counts() -> None:
    words = [word("a", 0.1, 0.3), word("b", 0.4, 0.6), word("c", 2.1, 2.3)]
    turns = [turn(0.0, 1.0, "A"), turn(0.8, 1.5, "A"), turn(2.0, 3.0, "B"), turn(4.0, 4.5, "C")]
    t = merge_speakers(transcript(words), turns)
    summary = [(s.label, s.speaking_time, s.word_count, s.source) for s in t.speakers or []]
    # A's turns overlap each other: counted once (1.5 s); C spoke but no word was transcribed
    assert summary == [("Speaker 1", 1.5, 2, "A"), ("Speaker 2", 1.0, 1, "B"), ("Speaker 3", 0.5, 0, "C")]


def test_overlapping_speech_is_represented() -> None:
    words = [word("yes", 1.0, 1.4), word("no", 1.6, 2.0)]
    turns = [turn(0.0, 2.0, "A"), turn(1.5, 3.0, "B")]
    t = merge_speakers(transcript(words, [(0.9, 2.1)]), turns)
    assert [(o.start, o.end, o.speakers) for o in t.overlaps or []] == [(1.5, 2.0, ["Speaker 1", "Speaker 2"])]
    # both words lie mostly in A's turn; the segment says B was talking at the same time
    assert [w.speaker for w in t.words] == ["Speaker 1", "Speaker 1"]
    assert t.segments[0].speaker == "Speaker 1" and t.segments[0].overlapping_speakers == ["Speaker 2"]


def test_touching_turns_are_not_overlap() -> None:
    assert overlaps([turn(0, 1, "Speaker 1"), turn(1, 2, "Speaker 2"), turn(1.95, 3, "Speaker 1")]) == []


def test_merge_keeps_existing_fields_and_failure_warning() -> None:
    base = transcript([word("a", 0, 0.5)])
    merged = merge_speakers(base, [turn(0, 1, "A")])
    assert merged.language == "en" and merged.model == "tiny.en" and base.words[0].speaker is None
    skipped = without_speakers(base, "actor died")
    assert skipped.speakers is None and skipped.warnings and "actor died" in skipped.warnings[0]


def test_old_documents_still_validate() -> None:
    raw = '{"language":"en","duration":1.0,"model":"m","text":"a","segments":[{"id":0,"start":0,"end":1,"text":"a"}],' \
          '"words":[{"word":"a","start":0,"end":1,"probability":0.5}]}'
    t = Transcript.model_validate_json(raw)
    assert t.speakers is None and t.words[0].speaker is None and t.warnings == []


def test_diarization_options() -> None:
    assert JobOptions().diarization is None and not JobOptions().diarize
    opts = JobOptions.model_validate({"diarization": {"enabled": True, "min_speakers": 2, "max_speakers": 4}})
    assert opts.diarize and opts.diarization is not None and opts.diarization.mode == "speaker"
    assert JobOptions.model_validate({"diarization": {"enabled": True, "mode": "channel"}}).diarization.mode == "channel"
    for bad in (
        {"min_speakers": 3, "max_speakers": 2},
        {"num_speakers": 5, "max_speakers": 4},
        {"num_speakers": 0},
        {"mode": "stereo"},
        {"enable": True},
    ):
        with pytest.raises(ValidationError):
            DiarizationOptions.model_validate(bad)


def test_speaker_one_is_whoever_says_the_first_word() -> None:
    """A short turn of the other party before the first word (a cough) must not take the first label."""
    from inference.speakers import merge_speakers
    from schemas.result import Segment, Transcript, Word

    words = [Word(word="Hello", start=1.0, end=1.4, probability=0.9), Word(word="Hi", start=2.0, end=2.3, probability=0.9)]
    transcript = Transcript(
        language="en", duration=3.0, model="m", text="Hello Hi",
        segments=[Segment(id=0, start=1.0, end=2.3, text="Hello Hi")], words=words,
    )
    turns = [
        {"start": 0.2, "end": 0.4, "speaker": "B"},  # the other party coughs first
        {"start": 0.9, "end": 1.5, "speaker": "A"},
        {"start": 1.9, "end": 2.4, "speaker": "B"},
    ]
    merged = merge_speakers(transcript, turns)
    assert [w.speaker for w in merged.words] == ["Speaker 1", "Speaker 2"]
    assert {s.label: s.source for s in merged.speakers or []} == {"Speaker 1": "A", "Speaker 2": "B"}


def sentence(text: str, start: float, step: float = 0.3) -> list[Word]:
    """Words of `text` back to back (no pauses), as Whisper times a fluent sentence."""
    return [word(w, round(start + i * step, 3), round(start + (i + 1) * step, 3)) for i, w in enumerate(text.split())]


def test_a_sentence_keeps_one_speaker_when_a_turn_edge_is_a_little_early() -> None:
    """`make demo`'s subtitles said "Speaker 1: I need the" / "Speaker 2: design. Okay.": B's turn started
    0.3 s early, inside "design"."""
    words = sentence("I need the design.", 0.0) + [word("Okay.", 1.8, 2.2)]
    turns = [turn(0.0, 0.95, "A"), turn(0.95, 2.5, "B")]  # "design." (0.9-1.2) overlaps B more than A
    merged = merge_speakers(transcript(words), turns)
    assert [w.speaker for w in merged.words] == ["Speaker 1"] * 4 + ["Speaker 2"]
    assert [(s.speaker, s.text) for s in merged.segments] == [("Speaker 1", "I need the design."), ("Speaker 2", "Okay.")]


def test_a_short_interjection_keeps_its_own_speaker() -> None:
    words = sentence("so the invoice went out on", 0.0) + [word("right", 2.1, 2.4)] + sentence("Tuesday the fifth.", 2.7)
    turns = [turn(0.0, 1.9, "A"), turn(2.05, 2.45, "B"), turn(2.6, 3.7, "A")]
    speakers = [w.speaker for w in merge_speakers(transcript(words), turns).words]
    assert speakers[6] == "Speaker 2" and set(speakers[:6] + speakers[7:]) == {"Speaker 1"}


def test_a_long_unpunctuated_run_of_another_speaker_stays_split() -> None:
    """The diarization clearly says someone else took over mid-"sentence" (Whisper left out the full stop)."""
    words = sentence("yes I can do that for you we have the blue one in stock", 0.0)
    turns = [turn(0.0, 1.8, "A"), turn(1.8, 4.2, "B")]  # A: "yes I can do that for"; B: the 8 words after
    speakers = [w.speaker for w in merge_speakers(transcript(words), turns).words]
    assert speakers == ["Speaker 1"] * 6 + ["Speaker 2"] * 8


def test_segment_flags_survive_the_split() -> None:
    words = sentence("yes I can do that for you we have the blue one in stock", 0.0)
    base = transcript(words)
    flagged = base.model_copy(update={"segments": [base.segments[0].model_copy(update={"flags": ["redecoded"]})]})
    merged = merge_speakers(flagged, [turn(0.0, 1.8, "A"), turn(1.8, 4.2, "B")])
    assert len(merged.segments) == 2 and all(s.flags == ["redecoded"] for s in merged.segments)
