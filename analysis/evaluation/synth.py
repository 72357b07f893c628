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
# Mono recordings need voices further apart: speaker clustering heard the two VOICES above as one speaker
# when they were mixed to one channel. (espeak-ng voice+variant, pitch 0-99)
MONO_VOICES = (("en-us+m3", 25), ("en-gb+f4", 80))
PAUSE_S = 0.7


def espeak_path() -> str | None:
    return shutil.which("espeak-ng")


Voices = tuple[tuple[str, int], tuple[str, int]]


def synth_call(turns: list[tuple[int, str]], out: Path, speed_wpm: int = 150, stereo: bool = False,
               voices: Voices | None = None) -> Path:
    """`turns` are (party index, text); writes 16-bit WAV at espeak-ng's own rate and returns `out`."""
    synthesise(turns, out, speed_wpm, stereo, voices)
    return out


def synthesise(turns: list[tuple[int, str]], out: Path, speed_wpm: int = 150, stereo: bool = False,
               voices: Voices | None = None) -> list[tuple[float, float]]:
    """Writes the call to `out`; returns each turn's (start, end) in seconds, the reference for speaker roles.

    `voices`: (voice, pitch) per party; default VOICES at espeak's default pitch."""
    espeak = espeak_path()
    if espeak is None:
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng)")
    frames: list[bytes] = []
    times: list[tuple[float, float]] = []
    rate, t = 0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (party, text) in enumerate(turns):
            part = Path(tmp) / f"{i}.wav"
            voice = ["-v", voices[party][0], "-p", str(voices[party][1])] if voices else ["-v", VOICES[party]]
            subprocess.run([espeak, *voice, "-s", str(speed_wpm), "-w", str(part), text], check=True)
            with wave.open(str(part), "rb") as w:
                rate = w.getframerate()
                mono = w.readframes(w.getnframes())
            frames.append(_place(mono, party) if stereo else mono)
            frames.append(b"\0\0" * int(rate * PAUSE_S) * (2 if stereo else 1))
            length = len(mono) / 2 / rate
            times.append((round(t, 3), round(t + length, 3)))
            t += length + int(rate * PAUSE_S) / rate
    with wave.open(str(out), "wb") as w:
        w.setnchannels(2 if stereo else 1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(frames))
    return times


def _place(mono: bytes, channel: int) -> bytes:
    """16-bit mono samples on one channel of an interleaved stereo stream, silence on the other."""
    silence = b"\0\0"
    out = bytearray()
    for i in range(0, len(mono), 2):
        sample = mono[i : i + 2]
        out += sample + silence if channel == 0 else silence + sample
    return bytes(out)
