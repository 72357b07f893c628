"""plan_clips: a clip's speech never exceeds the maximum, clips never cut inside speech, and cover every speech
region once."""

from __future__ import annotations

import numpy as np
import pytest

from inference.chunking import Clip, find_clips, plan_clips
from inference.config import InferenceConfig

SR = 16_000


def regions(*spans_s: tuple[float, float]) -> list[dict[str, int]]:
    return [{"start": round(a * SR), "end": round(b * SR)} for a, b in spans_s]


def speech_s(clip: Clip) -> float:
    return sum(b - a for a, b in clip.speech)


def _assert_covers(clips: list[Clip], spans: list[tuple[float, float]]) -> None:
    """Every speech region lies inside exactly one clip."""
    for a, b in spans:
        owners = [c for c in clips if c.start_s <= a + 1e-9 and b <= c.end_s + 1e-9]
        assert len(owners) == 1, (a, b, clips)


def test_empty_gives_no_clips() -> None:
    assert plan_clips([], 30, SR) == []


def test_zero_length_regions_are_ignored() -> None:
    assert plan_clips(regions((5, 5)), 30, SR) == []


def test_one_short_region_is_one_clip() -> None:
    assert plan_clips(regions((1.5, 4.0)), 30, SR) == [Clip(1.5, 4.0)]


def test_one_long_region_is_split_evenly_within_max() -> None:
    clips = plan_clips(regions((0, 70)), 30, SR)
    assert len(clips) == 3
    assert all(c.duration_s <= 30 for c in clips)
    assert clips[0].start_s == 0 and clips[-1].end_s == 70
    assert all(a.end_s == b.start_s for a, b in zip(clips, clips[1:]))


def test_many_small_regions_are_packed() -> None:
    spans = [(i * 2.0, i * 2.0 + 1.5) for i in range(100)]  # 1.5 s speech, 0.5 s gap, 200 s in all
    clips = plan_clips(regions(*spans), 30, SR)
    assert all(speech_s(c) <= 30 for c in clips)
    # greedy packing by speech: each clip holds as many whole regions as fit, 150 s of speech in 5 clips, not 100
    assert len(clips) == 5 and [len(c.speech) for c in clips] == [20] * 5
    _assert_covers(clips, spans)


@pytest.mark.parametrize("max_chunk_s", [5.0, 10.0, 29.5, 30.0])
def test_max_duration_respected_and_boundaries_in_gaps(max_chunk_s: float) -> None:
    rng = np.random.default_rng(7)
    spans: list[tuple[float, float]] = []
    t = 0.3
    for _ in range(60):
        speech, gap = rng.uniform(0.3, 4.0), rng.uniform(0.2, 3.0)
        spans.append((round(t, 3), round(t + speech, 3)))
        t += speech + gap
    clips = plan_clips(regions(*spans), max_chunk_s, SR)
    assert all(speech_s(c) <= max_chunk_s + 1e-9 for c in clips)
    assert all(a.end_s <= b.start_s for a, b in zip(clips, clips[1:]))
    _assert_covers(clips, spans)
    speech_starts = {a for a, _ in spans}
    speech_ends = {b for _, b in spans}
    # a clip starts where speech starts and ends where speech ends: cuts sit in the silences between
    for clip in clips:
        assert round(clip.start_s, 3) in speech_starts and round(clip.end_s, 3) in speech_ends


def test_pauses_do_not_count_against_the_window() -> None:
    """Six 4 s turns with 3 s pauses: 24 s of speech over a 39 s span is one clip (the turns keep each other's
    context), where packing by span left the last turn alone in a tail clip."""
    spans = [(i * 7.0, i * 7.0 + 4.0) for i in range(6)]
    (clip,) = plan_clips(regions(*spans), 30, SR)
    assert (clip.start_s, clip.end_s) == (0.0, 39.0) and clip.speech == tuple(spans)


def test_unsorted_and_overlapping_regions() -> None:
    clips = plan_clips(regions((10, 12), (0, 3), (2, 5)), 30, SR)
    assert clips == [Clip(0.0, 12.0)]


def test_as_dict_carries_span_and_speech() -> None:
    assert Clip(1.25, 3.5, ((1.25, 2.0), (2.5, 3.5))).as_dict() == {
        "start": 1.25, "end": 3.5, "speech": [[1.25, 2.0], [2.5, 3.5]]
    }


def test_invalid_max_refused() -> None:
    with pytest.raises(ValueError):
        plan_clips(regions((0, 1)), 0, SR)


def test_silence_and_tone_have_no_speech() -> None:
    """Silero finds no speech in silence (or a pure tone): zero clips → an empty transcript later, not an error."""
    silence = np.zeros(SR * 5, dtype=np.float32)
    assert find_clips(silence, InferenceConfig()) == []
    assert find_clips(np.zeros(0, dtype=np.float32), InferenceConfig()) == []
