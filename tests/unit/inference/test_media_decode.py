"""decode_media: every common container decodes to 16 kHz mono float32, and every bad input fails with a code."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.unit.inference.media_factory import tone_with_silence, write_encoded, write_silent_video, write_wav

from inference.decode import SAMPLE_RATE, decode_media
from inference.errors import MediaDecodeError


@pytest.mark.parametrize(
    ("name", "sr", "channels"),
    [("mono16k.wav", 16_000, 1), ("stereo44k.wav", 44_100, 2), ("mono8k.wav", 8_000, 1)],
)
def test_wav_resampled_to_16k_mono(tmp_path: Path, name: str, sr: int, channels: int) -> None:
    path = write_wav(tmp_path / name, tone_with_silence(1.5, 1.0, sr), sr, channels)
    audio = decode_media(path)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert audio.shape[0] / SAMPLE_RATE == pytest.approx(2.5, abs=0.01)
    # the tone is where it was: loud first half, silent tail
    assert np.abs(audio[: SAMPLE_RATE]).max() > 0.3
    assert np.abs(audio[-SAMPLE_RATE // 2 :]).max() < 0.01


@pytest.mark.parametrize(
    ("name", "codec", "container"),
    [("tone.mp3", "libmp3lame", None), ("tone.ogg", "libopus", "ogg"), ("tone.m4a", "aac", "mp4")],
)
def test_compressed_formats(tmp_path: Path, name: str, codec: str, container: str | None) -> None:
    sr = 48_000 if codec == "libopus" else 44_100
    path = write_encoded(tmp_path / name, tone_with_silence(2.0, 1.0, sr), sr, codec, container)
    audio = decode_media(path)
    assert audio.dtype == np.float32 and audio.ndim == 1
    # lossy codecs add encoder delay / padding of a few tens of ms
    assert audio.shape[0] / SAMPLE_RATE == pytest.approx(3.0, abs=0.1)
    assert np.abs(audio[SAMPLE_RATE // 2 : SAMPLE_RATE]).max() > 0.2


def _expect_decode_error(path: Path, fragment: str) -> None:
    with pytest.raises(MediaDecodeError) as info:
        decode_media(path)
    assert info.value.code == "media_decode_error"
    assert fragment in info.value.message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    _expect_decode_error(path, "empty")


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.mp3"
    path.write_bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    _expect_decode_error(path, "could not decode media")


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not audio\n" * 20)
    _expect_decode_error(path, "could not decode media")


def test_missing_file(tmp_path: Path) -> None:
    _expect_decode_error(tmp_path / "nope.wav", "does not exist")


def test_video_without_audio(tmp_path: Path) -> None:
    _expect_decode_error(write_silent_video(tmp_path / "mute.mp4"), "no audio stream")


def test_zero_length_audio(tmp_path: Path) -> None:
    """A valid WAV header with no samples is a decode error, not an empty transcript."""
    _expect_decode_error(write_wav(tmp_path / "zero.wav", np.zeros(0, dtype=np.float32), 16_000), "could not decode")


def test_too_long_refused_before_decoding(tmp_path: Path) -> None:
    from inference.errors import MediaTooLongError

    path = write_wav(tmp_path / "long.wav", tone_with_silence(3.0, 3.0, 16_000), 16_000)
    with pytest.raises(MediaTooLongError) as info:
        decode_media(path, max_seconds=2.0)
    assert info.value.code == "media_too_long"
    assert decode_media(path, max_seconds=10.0).shape[0] == 6 * 16_000
