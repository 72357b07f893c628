"""Channel mode's cross-talk rule (inference/crosstalk.py) on hand-built segments and synthetic channel levels:
bleed of the louder channel is dropped from the quieter one, overlapping speech of both parties is kept."""

from __future__ import annotations

import numpy as np

from inference.crosstalk import BLEED_MARGIN_DB, drop_crosstalk, level_db, split_at_turns, tagged
from inference.decode import SAMPLE_RATE
from inference.segments import SegmentDict

RNG = np.random.default_rng(16)


def noise(seconds: float, spans: list[tuple[float, float, float]]) -> np.ndarray:
    """A channel of `seconds` with white noise of amplitude `a` over each (start, end, a) span."""
    out = np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)
    for start, end, amplitude in spans:
        first, last = int(start * SAMPLE_RATE), int(end * SAMPLE_RATE)
        out[first:last] += amplitude * RNG.standard_normal(last - first).astype(np.float32)
    return out


def segment(*words: tuple[str, float, float]) -> SegmentDict:
    return {
        "start": words[0][1],
        "end": words[-1][2],
        "text": "".join(f" {w}" for w, _, _ in words),
        "words": [{"word": f" {w}", "start": a, "end": b, "probability": 0.9} for w, a, b in words],
    }


def texts(per_channel: list[list[SegmentDict]]) -> list[list[str]]:
    return [[s["text"].strip() for s in segments] for segments in per_channel]


def test_bleed_of_the_louder_channel_is_dropped_from_the_quieter_one() -> None:
    # Party 1 speaks 0-2 s on channel 1; channel 2 hears it 20 dB lower, and ASR wrote it down there too,
    # with one word misheard ("four" as "for"). Then party 2 answers 3-4 s on its own channel.
    left = noise(5, [(0, 2, 0.3)])
    right = noise(5, [(0, 2, 0.03), (3, 4, 0.3)])
    spoken = segment(("my", 0.0, 0.4), ("number", 0.4, 0.9), ("is", 0.9, 1.1), ("four", 1.1, 1.5), ("two", 1.5, 2.0))
    bleed = segment(("my", 0.05, 0.4), ("number", 0.4, 0.95), ("is", 0.95, 1.1), ("for", 1.1, 1.5), ("two", 1.5, 2.0))
    answer = segment(("thank", 3.0, 3.4), ("you", 3.4, 4.0))
    out = drop_crosstalk([[spoken], [bleed, answer]], np.stack([left, right]))
    assert texts(out) == [["my number is four two"], ["thank you"]]


def test_overlapping_speech_of_both_parties_is_kept() -> None:
    # Both talk at once 0-2 s, each 20 dB into the other's channel: different words, each loudest at home.
    left = noise(3, [(0, 2, 0.3)]) + noise(3, [(0, 2, 0.03)])
    right = noise(3, [(0, 2, 0.25)]) + noise(3, [(0, 2, 0.03)])
    a = segment(("can", 0.0, 0.5), ("I", 0.5, 0.7), ("help", 0.7, 1.2))
    b = segment(("hello", 0.1, 0.6), ("there", 0.6, 1.1))
    out = drop_crosstalk([[a], [b]], np.stack([left, right]))
    assert texts(out) == [["can I help"], ["hello there"]]


def test_the_same_word_said_by_both_at_once_is_kept_twice() -> None:
    # "okay" from both parties at the same moment, each at full level on its own channel: not bleed.
    left = noise(2, [(0.5, 1.0, 0.3)])
    right = noise(2, [(0.5, 1.0, 0.3)])
    out = drop_crosstalk([[segment(("okay", 0.5, 1.0))], [segment(("okay", 0.5, 1.0))]], np.stack([left, right]))
    assert texts(out) == [["okay"], ["okay"]]


def test_a_quieter_matching_word_within_the_margin_is_kept() -> None:
    # 3 dB apart is two parties, not bleed (bleed is BLEED_MARGIN_DB or more below).
    left = noise(2, [(0.5, 1.0, 0.3)])
    right = noise(2, [(0.5, 1.0, 0.3 / 10 ** (3 / 20))])
    assert level_db(left, 0.5, 1.0) - level_db(right, 0.5, 1.0) < BLEED_MARGIN_DB
    out = drop_crosstalk([[segment(("yes", 0.5, 1.0))], [segment(("yes", 0.5, 1.0))]], np.stack([left, right]))
    assert texts(out) == [["yes"], ["yes"]]


def test_a_segment_losing_its_first_words_to_bleed_starts_at_its_first_kept_word() -> None:
    left = noise(4, [(0, 1, 0.3)])
    right = noise(4, [(0, 1, 0.02), (1.2, 2.0, 0.3)])
    mixed = segment(("hello", 0.0, 0.5), ("sir", 0.5, 1.0), ("yes", 1.2, 1.6), ("hi", 1.6, 2.0))
    out = drop_crosstalk([[segment(("hello", 0.0, 0.5), ("sir", 0.5, 1.0))], [mixed]], np.stack([left, right]))
    assert texts(out) == [["hello sir"], ["yes hi"]]
    assert out[1][0]["start"] == 1.2 and [w["word"] for w in out[1][0]["words"]] == [" yes", " hi"]


def test_tagged_names_each_segment_by_its_channel() -> None:
    out = tagged([[segment(("a", 0, 1))], [segment(("b", 0, 1)), segment(("c", 1, 2))]])
    assert [s["speaker"] for s in out] == ["channel_1", "channel_2", "channel_2"]


def test_a_segment_spanning_the_other_partys_turn_is_cut_there() -> None:
    # One decode of channel 1 covered two of its turns; channel 2 answered in between.
    long = segment(("hello", 0.0, 0.5), ("there", 0.5, 1.0), ("certainly", 3.0, 3.6), ("sir", 3.6, 4.0))
    reply = segment(("hi", 1.5, 2.0), ("yes", 2.0, 2.5))
    pause = segment(("one", 5.0, 5.3), ("two", 6.5, 6.8))  # a pause with nobody else speaking stays one segment
    out = split_at_turns([[long, pause], [reply]])
    assert texts(out) == [["hello there", "certainly sir", "one two"], ["hi yes"]]
    assert [(s["start"], s["end"]) for s in out[0][:2]] == [(0.0, 1.0), (3.0, 4.0)]
