"""Clips of different jobs decoded in one batch keep each job's words, timings and options.

The real tiny.en model in-process (no Ray): `AsrWorker.transcribe_mixed` is what a Serve replica runs on a
batch gathered from many jobs (inference/serving/asr_app.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from inference.asr import AsrWorker, MixedClip, clip_slot
from inference.decode import SAMPLE_RATE, decode_media
from tests.support import samples

SHIFT_S = 7.0


@pytest.fixture(scope="module")
def engine() -> AsrWorker:
    return AsrWorker("tiny.en", str(Path("/nonexistent")), "cpu", "int8", 1)


def _clips(audio: np.ndarray, offset_s: float, hotwords: str | None = None) -> list[MixedClip]:
    """The sample's speech as two clips (a cut at 18 s, between turns), placed at `offset_s` in its job."""
    cut = int(18.0 * SAMPLE_RATE)
    first, second = audio[int(6.0 * SAMPLE_RATE) : cut], audio[cut:]
    return [
        MixedClip(first, offset_s + 6.0, "en", hotwords),
        MixedClip(second, offset_s + 18.0, "en", hotwords),
    ]


def _words(segments: list[list[Any]]) -> list[tuple[str, float, float]]:
    return [(w["word"], w["start"], w["end"]) for clip in segments for seg in clip for w in seg["words"]]


def test_a_mixed_batch_gives_each_job_what_it_gets_alone(engine: AsrWorker) -> None:
    audio = decode_media(samples.sample_wav())
    job_a = _clips(audio, 0.0)
    job_b = _clips(audio, SHIFT_S)  # the same speech 7 s later in its own recording
    job_c = _clips(audio, 0.0, hotwords="Diane, Sheila")  # other options: decoded in its own group
    alone = [engine.transcribe_mixed(job) for job in (job_a, job_b, job_c)]
    mixed = engine.transcribe_mixed([job_b[1], job_a[0], job_c[0], job_b[0], job_a[1], job_c[1]])
    together = [[mixed[1], mixed[4]], [mixed[3], mixed[0]], [mixed[2], mixed[5]]]
    for solo, batched in zip(alone, together):
        assert [w for w, _, _ in _words(batched)] == [w for w, _, _ in _words(solo)]
        for (_, s1, e1), (_, s2, e2) in zip(_words(batched), _words(solo)):
            assert s1 == pytest.approx(s2, abs=0.02) and e1 == pytest.approx(e2, abs=0.02)
    a, b = _words(together[0]), _words(together[1])
    assert len(a) > 40
    for (wa, sa, ea), (wb, sb, eb) in zip(a, b):
        assert wa == wb and sb == pytest.approx(sa + SHIFT_S, abs=0.02) and eb == pytest.approx(ea + SHIFT_S, abs=0.02)
    for job, clips in zip(together, (job_a, job_b, job_c)):
        for segments, clip in zip(job, clips):
            assert segments, "every clip has its own segments"
            end = clip.offset_s + clip.samples.shape[0] / SAMPLE_RATE
            assert all(clip.offset_s - 0.05 <= s["start"] <= s["end"] <= end + 0.05 for s in segments)


def test_clips_with_other_options_are_never_decoded_together(engine: AsrWorker) -> None:
    """One `transcribe` call per (language, hotwords): a job's hotwords never bias another job's clips."""
    calls: list[dict[str, Any]] = []

    class Recorder:
        def transcribe(self, audio: np.ndarray, **kwargs: Any) -> tuple[list[Any], None]:
            calls.append({"seconds": audio.shape[0] / SAMPLE_RATE, **kwargs})
            return [], None

    fake = AsrWorker.__new__(AsrWorker)
    fake.pipeline = Recorder()
    second = np.zeros(SAMPLE_RATE, dtype=np.float32)
    clips = [
        MixedClip(second, 0.0, "en"), MixedClip(second, 5.0, "de"), MixedClip(second, 9.0, "en", "Quvexa"),
        MixedClip(second, 3.0, "en"),
    ]
    assert fake.transcribe_mixed(clips) == [[], [], [], []]
    groups = sorted((c["language"], c.get("hotwords", ""), len(c["clip_timestamps"])) for c in calls)
    assert groups == [("de", "", 1), ("en", "", 2), ("en", "Quvexa", 1)]
    plain_en = next(c for c in calls if c["language"] == "en" and "hotwords" not in c)
    samples = [{k: int(v * SAMPLE_RATE) for k, v in ts.items()} for ts in plain_en["clip_timestamps"]]
    assert samples == [{"start": 0, "end": SAMPLE_RATE}, {"start": SAMPLE_RATE, "end": 2 * SAMPLE_RATE}]


def test_a_segment_at_its_clips_first_sample_stays_with_its_clip() -> None:
    """Batched faster-whisper gives one segment per clip, starting at the clip's offset, which it computes as
    int(seconds * 16000) / 16000. With a boundary at 129611 samples, 129611 / 16000 * 16000 truncates to 129610:
    the whole clip's text once went to the job before it (a job came back empty in the two-worker test)."""

    class Batched:
        def transcribe(self, audio: np.ndarray, clip_timestamps: list[dict[str, float]], **kwargs: Any) -> tuple[list[Any], None]:
            out = []
            for i, ts in enumerate(clip_timestamps):
                start, end = int(ts["start"] * SAMPLE_RATE), int(ts["end"] * SAMPLE_RATE)
                offset = start / SAMPLE_RATE  # faster-whisper's chunk offset
                out.append(_Segment(offset, end / SAMPLE_RATE, f"clip {i}"))
            return out, None

    fake = AsrWorker.__new__(AsrWorker)
    fake.pipeline = Batched()
    first = np.zeros(129611, dtype=np.float32)  # the second clip starts at sample 129611
    second = np.zeros(SAMPLE_RATE, dtype=np.float32)
    result = fake.transcribe_mixed([MixedClip(first, 100.0, "en"), MixedClip(second, 7.0, "en")])
    assert [[s["text"] for s in r] for r in result] == [["clip 0"], ["clip 1"]]
    assert result[1][0]["start"] == pytest.approx(7.0, abs=1e-6) and result[0][0]["start"] == pytest.approx(100.0)


class _Segment:
    def __init__(self, start: float, end: float, text: str) -> None:
        self.start, self.end, self.text, self.words = start, end, text, []
        self.avg_logprob, self.no_speech_prob, self.compression_ratio = -0.2, 0.01, 1.2  # a healthy decode


def test_a_segment_rounded_to_before_its_clip_stays_with_its_clip() -> None:
    """faster-whisper reports 30.0123 s as 30.012: judged by its start, the segment opening the second clip
    would land in the first one (another job's)."""
    starts = [0.0, 30.0123125, 61.5]
    assert clip_slot(starts, 30.012, 34.2) == 1
    assert clip_slot(starts, 0.0, 29.9) == 0
    assert clip_slot(starts, 61.5, 62.0) == 2
