"""A two-party phone call synthesised with espeak-ng: one voice per party, a pause between turns, one WAV.

`stereo=True` writes what contact-centre recorders usually produce: each party on its own channel (party 0
left, party 1 right), silence on the other channel while one speaks.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

VOICES = ("en-us", "en-gb+f3")  # different accent, pitch and timbre, so diarization can tell them apart
PAUSE_S = 0.7


def espeak_path() -> str | None:
    return shutil.which("espeak-ng")


def synth_call(turns: list[tuple[int, str]], out: Path, speed_wpm: int = 150, stereo: bool = False) -> Path:
    """`turns` are (party index, text); writes 16-bit WAV at espeak-ng's own rate and returns `out`."""
    espeak = espeak_path()
    if espeak is None:
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng)")
    frames: list[bytes] = []
    rate = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (party, text) in enumerate(turns):
            part = Path(tmp) / f"{i}.wav"
            subprocess.run([espeak, "-v", VOICES[party], "-s", str(speed_wpm), "-w", str(part), text], check=True)
            with wave.open(str(part), "rb") as w:
                rate = w.getframerate()
                mono = w.readframes(w.getnframes())
            frames.append(_place(mono, party) if stereo else mono)
            frames.append(b"\0\0" * int(rate * PAUSE_S) * (2 if stereo else 1))
    with wave.open(str(out), "wb") as w:
        w.setnchannels(2 if stereo else 1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(frames))
    return out


def _place(mono: bytes, channel: int) -> bytes:
    """16-bit mono samples on one channel of an interleaved stereo stream, silence on the other."""
    silence = b"\0\0"
    out = bytearray()
    for i in range(0, len(mono), 2):
        sample = mono[i : i + 2]
        out += sample + silence if channel == 0 else silence + sample
    return bytes(out)
