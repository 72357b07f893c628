"""A clip's decoding buffer is its VAD speech regions laid end to end (the silences between them removed, as
faster-whisper's own batched pipeline does with `collect_chunks`), so a 30 s window holds up to 30 s of speech
and its turns keep each other's context. `Timeline` maps times both ways between that buffer and the job.

faster-whisper's `SpeechTimestampsMap` maps buffer -> original only and rounds to 10 ms; the guard also needs
job -> buffer (to decode a job-time window of the buffer again), hence this small class.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from inference.decode import SAMPLE_RATE


@dataclass(frozen=True, slots=True)
class Timeline:
    """Piece k of the buffer starts at `buffer_starts[k]` s and is the job's `job_starts[k]`..`job_ends[k]`."""

    buffer_starts: tuple[float, ...]
    job_starts: tuple[float, ...]
    job_ends: tuple[float, ...]

    @classmethod
    def whole(cls, offset_s: float, duration_s: float) -> Timeline:
        return cls((0.0,), (offset_s,), (offset_s + duration_s,))

    def to_job(self, t: float, is_end: bool = False) -> float:
        """Job time of buffer time `t`. A time on a joint belongs to the piece it ends when `is_end`."""
        index = (bisect.bisect_left if is_end else bisect.bisect_right)(self.buffer_starts, t) - 1
        index = max(0, index)
        return self.job_starts[index] + (t - self.buffer_starts[index])

    def to_buffer(self, t: float) -> float:
        """Buffer time of job time `t`; a time in a removed silence maps to the joint it was removed at."""
        index = max(0, bisect.bisect_right(self.job_starts, t) - 1)
        inside = min(max(t, self.job_starts[index]), self.job_ends[index])
        return self.buffer_starts[index] + (inside - self.job_starts[index])


def speech_buffer(
    samples: np.ndarray, offset_s: float, speech: Sequence[tuple[float, float]]
) -> tuple[np.ndarray, Timeline]:
    """The clip's speech regions (job seconds) cut from its `samples` (which start at `offset_s`) and joined;
    the whole clip when it has no regions."""
    length = samples.shape[0]
    pieces: list[np.ndarray] = []
    buffer_starts: list[float] = []
    job_starts: list[float] = []
    job_ends: list[float] = []
    position = 0
    for start_s, end_s in speech:
        first = min(length, max(0, round((start_s - offset_s) * SAMPLE_RATE)))
        last = min(length, max(first, round((end_s - offset_s) * SAMPLE_RATE)))
        if last <= first:
            continue
        pieces.append(samples[first:last])
        buffer_starts.append(position / SAMPLE_RATE)
        job_starts.append(offset_s + first / SAMPLE_RATE)
        job_ends.append(offset_s + last / SAMPLE_RATE)
        position += last - first
    if not pieces:
        return samples, Timeline.whole(offset_s, length / SAMPLE_RATE)
    return np.concatenate(pieces), Timeline(tuple(buffer_starts), tuple(job_starts), tuple(job_ends))
