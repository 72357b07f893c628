"""The pyannote hook adapter and per-channel decoding (neither needs torch)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from inference.decode import SAMPLE_RATE
from inference.diarization.channels import decode_channels
from inference.diarization.progress import ProgressHook
from inference.errors import MediaDecodeError


def test_progress_follows_pyannote_hook_calls_and_never_goes_back() -> None:
    seen: list[float] = []
    hook = ProgressHook(seen.append)
    hook("segmentation", None, total=4, completed=0)
    hook("segmentation", None, total=4, completed=2)
    hook("segmentation", object())  # step done, no counts
    hook("speaker_counting", object())
    hook("embeddings", None, total=10, completed=5)
    hook("segmentation", None, total=4, completed=1)  # late/out of order: ignored
    hook("unknown_step", None)
    hook("discrete_diarization", object())
    hook.finish()
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert seen[0] == pytest.approx(0.15) and seen[-1] == 1.0 and hook.fraction == 1.0
    assert 0.32 < seen[3] < 0.95  # half-way through embeddings


def write_stereo(path: Path, left: np.ndarray, right: np.ndarray, rate: int) -> Path:
    data = np.stack([left, right], axis=1)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(data, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def test_decode_channels_keeps_channels_apart_and_resamples(tmp_path: Path) -> None:
    rate = 44_100
    t = np.arange(int(2.0 * rate)) / rate
    left = np.where(t < 1.0, 0.5 * np.sin(2 * np.pi * 440 * t), 0.0)
    right = np.where(t >= 1.0, 0.5 * np.sin(2 * np.pi * 330 * t), 0.0)
    audio = decode_channels(write_stereo(tmp_path / "call.wav", left, right, rate))
    assert audio.shape[0] == 2 and audio.dtype == np.float32
    assert audio.shape[1] / SAMPLE_RATE == pytest.approx(2.0, abs=0.02)
    half = SAMPLE_RATE
    assert np.abs(audio[0, : half - 800]).max() > 0.3 and np.abs(audio[0, half + 800 :]).max() < 0.01
    assert np.abs(audio[1, : half - 800]).max() < 0.01 and np.abs(audio[1, half + 800 :]).max() > 0.3


def test_decode_channels_refuses_bad_media(tmp_path: Path) -> None:
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"not audio at all" * 10)
    with pytest.raises(MediaDecodeError):
        decode_channels(junk)
    with pytest.raises(MediaDecodeError):
        decode_channels(tmp_path / "missing.wav")
