"""A clip decoded as its speech regions end to end: times map back to the job, and job windows into the buffer."""

from __future__ import annotations

import numpy as np
import pytest

from inference.decode import SAMPLE_RATE
from inference.timeline import Timeline, speech_buffer


def test_buffer_holds_only_the_regions_and_maps_back() -> None:
    offset = 100.0
    samples = np.arange(10 * SAMPLE_RATE, dtype=np.float32)  # the clip: job 100-110 s, each sample its index
    buffer, timeline = speech_buffer(samples, offset, [(100.5, 102.0), (105.0, 106.0)])
    assert buffer.shape[0] == int(2.5 * SAMPLE_RATE)
    assert buffer[0] == 0.5 * SAMPLE_RATE and buffer[int(1.5 * SAMPLE_RATE)] == 5.0 * SAMPLE_RATE
    assert timeline.to_job(0.0) == pytest.approx(100.5)
    assert timeline.to_job(1.0) == pytest.approx(101.5)
    assert timeline.to_job(1.5) == pytest.approx(105.0)  # a start on the joint opens the second region
    assert timeline.to_job(1.5, is_end=True) == pytest.approx(102.0)  # an end on it closes the first
    assert timeline.to_job(2.0) == pytest.approx(105.5)
    assert timeline.to_buffer(105.5) == pytest.approx(2.0)
    assert timeline.to_buffer(103.0) == pytest.approx(1.5)  # in the removed pause: the joint


def test_a_clip_without_regions_is_decoded_whole() -> None:
    samples = np.ones(SAMPLE_RATE, dtype=np.float32)
    buffer, timeline = speech_buffer(samples, 7.0, [])
    assert buffer is samples and timeline == Timeline.whole(7.0, 1.0)
    assert timeline.to_job(0.25) == pytest.approx(7.25) and timeline.to_buffer(7.25) == pytest.approx(0.25)


def test_a_word_stretched_over_a_joint_stays_in_its_own_region() -> None:
    """Regions 100.5-102.0 and 105.0-106.0 (the joint at buffer 1.5 s). Whisper stretched "plan." to 1.6 s,
    past the joint: it must not span the removed pause (where the other party spoke) but keep its region."""
    from inference.segments import remapped

    timeline = Timeline((0.0, 1.5), (100.5, 105.0), (102.0, 106.0))
    words = [
        {"word": " plan.", "start": 1.0, "end": 1.6, "probability": 0.9},  # midpoint 1.3: the first region
        {"word": " It", "start": 1.45, "end": 1.75, "probability": 0.9},  # midpoint 1.6: the second region
        {"word": " is", "start": 1.8, "end": 2.0, "probability": 0.9},  # inside the second region: as is
    ]
    segment = {"start": 0.0, "end": 2.0, "text": " plan. It is", "words": words}
    out = remapped(segment, lambda t, is_end: timeline.to_job(t, is_end))
    got = [(w["word"], round(w["start"], 3), round(w["end"], 3)) for w in out["words"]]
    assert got == [(" plan.", 101.5, 102.1), (" It", 104.95, 105.25), (" is", 105.3, 105.5)]
    assert (out["start"], out["end"]) == (pytest.approx(100.5), pytest.approx(105.5))  # the segment spans both
