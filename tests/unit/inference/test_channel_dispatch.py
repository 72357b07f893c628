"""`channel` mode on a single-channel source is transcribed exactly as `speaker` mode: the downmix's clips, no
channel labels (per-channel ASR of a stereo call runs through Ray in
tests/integration/inference/test_channel_transcription.py)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from inference.chunking import Clip
from inference.config import InferenceConfig
from inference.pipeline import PreparedAudio, TranscriptionPipeline
from schemas.options import JobOptions
from tests.unit.inference.test_pipeline_dispatch import FakeHandle, FakeRuntime


def mono_wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes((np.zeros(16_000 * 20)).astype("<i2").tobytes())
    return path


async def test_a_mono_file_in_channel_mode_is_transcribed_as_in_speaker_mode(tmp_path: Path) -> None:
    prepared = PreparedAudio(audio_ref="mono", duration=20.0, clips=[Clip(0.0, 8.0), Clip(10.0, 18.0)],
                             media_path=mono_wav(tmp_path / "mono.wav"))
    results = []
    for mode in ("speaker", "channel"):
        handle = FakeHandle()
        pipeline = TranscriptionPipeline(FakeRuntime(handle), InferenceConfig())  # type: ignore[arg-type]
        options = JobOptions.model_validate({"language": "en", "diarization": {"enabled": True, "mode": mode}})
        transcript = await pipeline.transcribe(prepared, options)
        assert sorted((r.audio, r.start_s) for r in handle.requests) == [("mono", 0.0), ("mono", 10.0)]
        results.append(transcript)
    assert results[0] == results[1]
    assert all(w.speaker is None for w in results[1].words) and all(s.speaker is None for s in results[1].segments)
