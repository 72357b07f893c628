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
