"""Telephone audio: 8 kHz input (linear PCM and G.711 mu-law, the contact-centre formats) decodes to 16 kHz with
its duration and pitch intact, and band-limited speech still gets VAD clips."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from inference.chunking import find_clips
from inference.config import InferenceConfig
from inference.decode import SAMPLE_RATE, decode_media
from tests.unit.inference.media_factory import tone_with_silence, write_wav

PHONE_RATE = 8_000


def peak_hz(audio: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(audio))
    return float(np.fft.rfftfreq(audio.shape[0], 1 / SAMPLE_RATE)[int(np.argmax(spectrum))])


def write_mulaw(path: Path, samples: np.ndarray) -> Path:
    with av.open(str(path), mode="w", format="wav") as out:
        stream = out.add_stream("pcm_mulaw", rate=PHONE_RATE)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray((np.clip(samples, -1, 1) * 32767).astype("<i2")[None], format="s16", layout="mono")
        frame.sample_rate = PHONE_RATE
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def test_8khz_pcm_is_resampled_to_16khz_with_duration_and_pitch_kept(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "phone.wav", tone_with_silence(2.0, 1.0, PHONE_RATE), PHONE_RATE)
    audio = decode_media(path)
    assert audio.shape[0] == 3 * SAMPLE_RATE
    assert abs(peak_hz(audio[: 2 * SAMPLE_RATE]) - 440.0) < 1.0
    assert float(np.abs(audio[int(2.1 * SAMPLE_RATE) :]).max()) < 0.01  # the silence stays silent


def test_8khz_mulaw_decodes_like_pcm(tmp_path: Path) -> None:
    tone = tone_with_silence(2.0, 0.5, PHONE_RATE)
    audio = decode_media(write_mulaw(tmp_path / "phone-ulaw.wav", tone))
    assert abs(audio.shape[0] - int(2.5 * SAMPLE_RATE)) <= SAMPLE_RATE // 100
    assert abs(peak_hz(audio[: 2 * SAMPLE_RATE]) - 440.0) < 1.0
    assert 0.4 < float(np.abs(audio).max()) < 0.6  # mu-law keeps the level (0.5)


def test_band_limited_noisy_speech_still_gets_clips() -> None:
    """The sample call (real telephone speech) band-passed to 300-3400 Hz at 8 kHz with line noise at 15 dB:
    the VAD still finds its speech (as much as on the clean call, within a second)."""
    from tests.support import samples

    clean = decode_media(samples.sample_wav())
    spectrum = np.fft.rfft(clean)
    freqs = np.fft.rfftfreq(clean.shape[0], 1 / SAMPLE_RATE)
    spectrum[(freqs < 300) | (freqs > 3400)] = 0
    band = np.fft.irfft(spectrum, n=clean.shape[0]).astype(np.float32)
    power = float(np.mean(band[np.abs(band) > 0.01] ** 2))
    noisy = band + np.random.default_rng(0).normal(0, np.sqrt(power / 10**1.5), band.shape).astype(np.float32)
    cfg = InferenceConfig()
    speech = lambda clips: sum(b - a for c in clips for a, b in c.speech)  # noqa: E731
    assert speech(find_clips(noisy, cfg)) > speech(find_clips(clean, cfg)) - 1.0
