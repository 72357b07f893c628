"""`diarization.num_speakers` / `min_speakers` / `max_speakers` travel from the job's options (as the orchestrator
sends them: `DiarizationOptions.model_dump()`) through the worker to the pyannote pipeline call."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from inference.diarization.diarizer import Diarizer, DiarizerSettings
from inference.diarization.worker import DiarizationWorker
from schemas.options import DiarizationOptions


class RecordingPipeline:
    """Stands in for pyannote's SpeakerDiarization: records its keyword arguments, answers one turn."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, file: dict[str, Any], **kwargs: Any) -> Any:
        from pyannote.core import Annotation, Segment

        self.calls.append(kwargs)
        annotation = Annotation()
        annotation[Segment(0.0, 1.0)] = "SPEAKER_00"
        return annotation


def worker_with(pipeline: RecordingPipeline) -> DiarizationWorker:
    diarizer = Diarizer.__new__(Diarizer)  # no weights loaded: the pipeline is the fake
    diarizer.settings, diarizer.pipeline, diarizer._vad = DiarizerSettings(), pipeline, None
    worker = DiarizationWorker.__new__(DiarizationWorker)
    worker.diarizer, worker._progress, worker._lock = diarizer, {}, threading.Lock()
    return worker


@pytest.mark.parametrize(
    "hints",
    [{"num_speakers": 3}, {"min_speakers": 2, "max_speakers": 4}, {}],
)
def test_speaker_count_hints_reach_the_pipeline(hints: dict[str, int]) -> None:
    pipeline = RecordingPipeline()
    options = DiarizationOptions.model_validate({"enabled": True, **hints}).model_dump()
    turns = worker_with(pipeline).diarize(np.full(16000, 0.1, dtype=np.float32), options)
    assert turns == [{"start": 0.0, "end": 1.0, "speaker": "SPEAKER_00"}]
    (call,) = pipeline.calls
    expected = {"num_speakers": None, "min_speakers": None, "max_speakers": None, **hints}
    assert {k: call[k] for k in expected} == expected


@pytest.mark.parametrize(
    "bad",
    [{"num_speakers": 0}, {"num_speakers": 33}, {"min_speakers": 5, "max_speakers": 2}, {"num_speakers": 6, "max_speakers": 4}],
)
def test_speaker_count_hints_are_validated(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        DiarizationOptions.model_validate({"enabled": True, **bad})
