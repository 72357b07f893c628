"""Test audio for the accuracy benchmark and the ASR guard tests: telephone degradation, music, silence, a
3-speaker meeting. Speech comes from espeak-ng through `analysis.evaluation.synth` (calls) and
`tests/integration/diarization/synthetic_conversations.py`'s voices (meeting); sox does the signal work.

Everything is seeded: the same arguments always give the same file, so a loop the guard must repair stays a loop.
sox runs in repeatable mode (-R): otherwise it dithers each 16-bit output with fresh random noise, and that
one-bit difference alone moved pyannote sample.wav's telephone WER (20 dB, `base`) between 0.17 and 0.29.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TELEPHONE_RATE = 8_000
TELEPHONE_BAND = "300-3400"  # Hz: the narrowband (G.711) channel


@dataclass(frozen=True, slots=True)
class RefTurn:
    start: float
    end: float
    speaker: str
    text: str


def sox() -> str:
    path = shutil.which("sox")
    if path is None:
        raise RuntimeError("sox is not installed (scripts/system-deps.sh)")
    return path


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """16-bit PCM WAV as float32 (samples,) or (samples, channels), and its rate."""
    with wave.open(str(path)) as w:
        rate, channels = w.getframerate(), w.getnchannels()
        data = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768
    return (data.reshape(-1, channels) if channels > 1 else data), rate


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1 if pcm.ndim == 1 else pcm.shape[1])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return path


def telephone(src: Path, dst: Path, snr_db: float = 20.0, seed: int = 0) -> Path:
    """`src` as a phone line delivers it: mono, band-passed to 300-3400 Hz, 8 kHz, white line noise at `snr_db`
    below the speech's power (measured over samples louder than -40 dBFS, so pauses do not count)."""
    band = dst.with_suffix(".band.wav")
    subprocess.run(
        [sox(), "-R", str(src), "-r", str(TELEPHONE_RATE), "-c", "1", "-b", "16", str(band), "sinc", TELEPHONE_BAND],
        check=True,
    )
    speech, rate = read_wav(band)
    band.unlink()
    loud = speech[np.abs(speech) > 0.01]
    power = float(np.mean(loud**2)) if loud.size else 1e-4
    noise = np.random.default_rng(seed).normal(0.0, np.sqrt(power / 10 ** (snr_db / 10)), speech.shape)
    return write_wav(dst, speech + noise.astype(np.float32), rate)


def music(dst: Path, seconds: float = 12.0) -> Path:
    """A plucked major-chord progression (sox synth): tonal, rhythmic, no speech."""
    chords = [("C4", "E4", "G4"), ("A3", "C4", "E4"), ("F3", "A3", "C4"), ("G3", "B3", "D4")]
    each = seconds / len(chords)
    parts = []
    for k, chord in enumerate(chords):
        part = dst.with_suffix(f".{k}.wav")
        notes = [arg for note in chord for arg in ("pluck", note)]
        subprocess.run([sox(), "-R", "-n", "-r", "16000", "-b", "16", str(part), "synth", f"{each:.2f}", *notes,
                        "tremolo", "4", "40", "vol", "0.5"], check=True)
        parts.append(part)
    subprocess.run([sox(), "-R", *map(str, parts), str(dst)], check=True)
    for part in parts:
        part.unlink()
    return dst


def silence(dst: Path, seconds: float = 12.0, seed: int = 0) -> Path:
    """Room tone: brown-ish noise at about -60 dBFS, which is what a "silent" recording really holds."""
    noise = np.cumsum(np.random.default_rng(seed).normal(0, 1, int(seconds * 16000)))
    noise = noise - np.convolve(noise, np.ones(400) / 400, mode="same")  # no DC drift
    noise *= 0.001 / max(float(np.std(noise)), 1e-9)
    return write_wav(dst, noise.astype(np.float32), 16000)
