"""The words→cues segmenter honours the preset and breaks where the language does."""

from __future__ import annotations

from captions.export import transcript_to_doc
from captions.ir import words_of
from captions.presets import PRESETS, get_preset
from captions.qa import check
from captions.segmenter import segment_words, words_from_transcript
from schemas.result import Segment, Transcript
from tests.unit.captions.conftest import SAMPLE, make_transcript


def test_cues_respect_every_preset_and_keep_all_words(transcript: Transcript) -> None:
    for preset in PRESETS.values():
        doc = transcript_to_doc(transcript, preset.output_format, preset)
        assert [w for c in doc.cues for w in words_of(c.text)] == SAMPLE.split()
        assert len(doc.cues) > 1, "one cue per ASR segment is exactly what the segmenter replaces"
        problems = [d for d in check(doc.cues, preset) if d.code in ("line_too_long", "too_many_lines", "cue_too_long", "overlapping_cues")]
        assert problems == [], (preset.name, problems)


def test_breaks_prefer_sentence_ends(transcript: Transcript) -> None:
    cues = segment_words(words_from_transcript(transcript), get_preset("youtube"))
    assert cues[0].text == "Hello there, and welcome to the show."
    ends = sum(c.text.rstrip().endswith((".", "?", "!", ",")) for c in cues)
    assert ends >= len(cues) - 1


def test_tiktok_is_single_short_lines(transcript: Transcript) -> None:
    preset = get_preset("tiktok")
    doc = transcript_to_doc(transcript, "srt", preset)
    assert all("\n" not in c.text and len(c.text) <= 24 for c in doc.cues)


def test_speaker_change_starts_a_cue_and_is_labelled(diarized: Transcript) -> None:
    doc = transcript_to_doc(diarized, "srt", get_preset("youtube"), speaker_labels=True)
    assert all(len({w.speaker for w in c.words or []}) == 1 for c in doc.cues)
    labelled = [c for c in doc.cues if c.text.startswith("SPEAKER_")]
    assert labelled and labelled[0].text.startswith("SPEAKER_00:")
    turns = sum(1 for a, b in zip(doc.cues, doc.cues[1:]) if a.speaker != b.speaker)
    assert len(labelled) == turns + 1


def test_long_pause_starts_a_new_cue() -> None:
    t = make_transcript("one two three")
    t.words[2].start, t.words[2].end = 10.0, 10.3
    cues = segment_words(words_from_transcript(t), get_preset("generic"))
    assert [c.text for c in cues] == ["one two", "three"]


def test_never_splits_inside_an_overlong_word() -> None:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis"
    cues = segment_words(words_from_transcript(make_transcript(f"a {word} b")), get_preset("tiktok"))
    assert any(word in c.text.split() for c in cues)


def test_segments_without_words_fall_back_to_segment_timing() -> None:
    t = Transcript(language="en", duration=5, model="m", text="a b c d", segments=[Segment(id=0, start=1, end=3, text="a b c d")], words=[])
    words = words_from_transcript(t)
    assert [w.text for w in words] == ["a", "b", "c", "d"] and words[0].start_ms == 1000 and words[-1].end_ms == 3000
