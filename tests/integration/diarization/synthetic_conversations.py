"""Synthetic conversations with known turns (espeak-ng + sox) and DER scoring with pyannote.metrics."""

from __future__ import annotations

import shutil
import subprocess
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from inference.decode import SAMPLE_RATE, decode_media

# espeak's English variants are too alike for a speaker-embedding model (measured: two of three merge);
# a German voice reading English is the distinct third speaker.
VOICES = [("en-us+m3", 20, -400), ("en-gb+f2", 70, 300), ("de+m2", 50, 0)]
LINES = [
    "Thanks for calling, how can I help you today?",
    "Hi, I would like to check the status of my order please.",
    "Sure, could you read me the order number from your email?",
    "It is four five seven two nine, placed last Tuesday.",
    "I see it here, it left our warehouse yesterday afternoon.",
    "Great, and when should I expect the delivery to arrive?",
    "It should reach you by Friday, before noon at the latest.",
    "Perfect, that works for me, thank you so much.",
]


@dataclass(frozen=True)
class Conversation:
    path: Path
    audio: np.ndarray
    turns: list[tuple[float, float, int]]  # start, end, speaker index

    def reference(self) -> Any:
        from pyannote.core import Annotation, Segment

        ref = Annotation()
        for start, end, speaker in self.turns:
            ref[Segment(start, end)] = f"spk{speaker}"
        return ref


def _tools() -> tuple[str, str]:
    espeak, sox = shutil.which("espeak-ng"), shutil.which("sox")
    if espeak is None or sox is None:
        pytest.skip("espeak-ng and sox are needed for synthetic conversations (scripts/system-deps.sh)")
    return espeak, sox


def synthesize(folder: Path, name: str, order: Sequence[int], gap_s: float = 0.6) -> Conversation:
    espeak, sox = _tools()
    parts: list[np.ndarray] = []
    turns: list[tuple[float, float, int]] = []
    cursor = 0.5
    parts.append(np.zeros(int(0.5 * SAMPLE_RATE), dtype=np.float32))
    for k, speaker in enumerate(order):
        voice, pitch, cents = VOICES[speaker]
        raw, shifted = folder / f"{name}-{k}.wav", folder / f"{name}-{k}-16k.wav"
        subprocess.run([espeak, "-v", voice, "-p", str(pitch), "-s", "165", "-w", str(raw), LINES[k % len(LINES)]], check=True)
        subprocess.run([sox, str(raw), "-r", str(SAMPLE_RATE), "-c", "1", str(shifted), "pitch", str(cents)], check=True)
        audio = decode_media(shifted)
        loud = np.nonzero(np.abs(audio) > 0.02)[0]
        audio = audio[loud[0] : loud[-1] + 1] * 0.8 / max(1e-3, float(np.abs(audio).max()))
        turns.append((round(cursor, 3), round(cursor + audio.shape[0] / SAMPLE_RATE, 3), speaker))
        parts += [audio.astype(np.float32), np.zeros(int(gap_s * SAMPLE_RATE), dtype=np.float32)]
        cursor += audio.shape[0] / SAMPLE_RATE + gap_s
    signal = np.concatenate(parts)
    path = folder / f"{name}.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((np.clip(signal, -1, 1) * 32767).astype("<i2").tobytes())
    return Conversation(path=path, audio=signal, turns=turns)


def hypothesis(turns: Sequence[dict[str, Any]]) -> Any:
    from pyannote.core import Annotation, Segment

    hyp = Annotation()
    for i, t in enumerate(turns):
        hyp[Segment(t["start"], t["end"]), i] = t["speaker"]
    return hyp


def der(reference: Any, turns: Sequence[dict[str, Any]]) -> float:
    from pyannote.metrics.diarization import DiarizationErrorRate

    return float(DiarizationErrorRate(collar=0.25)(reference, hypothesis(turns)))
