"""The offline pipeline on real and synthetic speech, scored with pyannote.metrics (DER, collar 0.25 s)."""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("pyannote.audio", reason="diarization needs torch + pyannote.audio (docs/diarization.md)")
from tests.integration.diarization.synthetic_conversations import Conversation, der

from inference.decode import SAMPLE_RATE
from inference.diarization.files import diarize_file
from inference.speakers import merge_speakers
from schemas.result import Segment, Transcript, Word

# Measured on this machine (docs/diarization.md): sample.wav 1.3 %, two voices 0.8 %, three voices 8.1 %.
SAMPLE_DER_BOUND = 0.05
TWO_DER_BOUND = 0.05
THREE_DER_BOUND = 0.15


def speakers(turns: list[dict[str, Any]]) -> set[str]:
    return {t["speaker"] for t in turns}


def test_sample_call_der_and_speaker_count(diarizer: Any, sample_wav: Path, sample_reference: Any) -> None:
    turns = diarize_file(sample_wav, diarizer=diarizer)
    assert len(speakers(turns)) == 2
    assert der(sample_reference, turns) <= SAMPLE_DER_BOUND


def test_two_synthetic_speakers(diarizer: Any, two_speakers: Conversation) -> None:
    turns = diarize_file(two_speakers.path, diarizer=diarizer)
    assert len(speakers(turns)) == 2
    assert der(two_speakers.reference(), turns) <= TWO_DER_BOUND


def test_three_synthetic_speakers(diarizer: Any, three_speakers: Conversation) -> None:
    turns = diarize_file(three_speakers.path, diarizer=diarizer)
    assert len(speakers(turns)) == 3
    assert der(three_speakers.reference(), turns) <= THREE_DER_BOUND


def test_speaker_bounds_are_applied(diarizer: Any, two_speakers: Conversation) -> None:
    assert len(speakers(diarizer.diarize(two_speakers.audio, num_speakers=1))) == 1
    assert len(speakers(diarizer.diarize(two_speakers.audio, max_speakers=1))) == 1


@pytest.mark.parametrize("seconds", [0.0, 0.05, 0.5, 3.0])
def test_silence_and_sub_second_input(diarizer: Any, seconds: float) -> None:
    assert diarizer.diarize(np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)) == []


@pytest.mark.parametrize("seconds", [0.05, 0.3, 0.9])
def test_sub_second_speech_gives_at_most_one_speaker(diarizer: Any, two_speakers: Conversation, seconds: float) -> None:
    start = int(two_speakers.turns[0][0] * SAMPLE_RATE)
    clip = two_speakers.audio[start : start + int(seconds * SAMPLE_RATE)]
    assert len(speakers(diarizer.diarize(clip))) <= 1


def test_channel_mode_one_party_per_channel(diarizer: Any, two_speakers: Conversation, tmp_path: Path) -> None:
    left, right = np.zeros_like(two_speakers.audio), np.zeros_like(two_speakers.audio)
    for start, end, speaker in two_speakers.turns:
        a, b = int(start * SAMPLE_RATE), int(end * SAMPLE_RATE)
        (left if speaker == 0 else right)[a:b] = two_speakers.audio[a:b]
    path = tmp_path / "call.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((np.stack([left, right], axis=1) * 32767).astype("<i2").tobytes())
    turns = diarize_file(path, {"enabled": True, "mode": "channel"}, diarizer=diarizer)
    assert speakers(turns) == {"channel_1", "channel_2"}
    reference = two_speakers.reference().rename_labels({"spk0": "channel_1", "spk1": "channel_2"})
    assert der(reference, turns) <= TWO_DER_BOUND


def test_merge_on_real_turns(diarizer: Any, two_speakers: Conversation) -> None:
    """Words placed inside the known turns come back with the speaker of their turn, segments split."""
    turns = diarizer.diarize(two_speakers.audio)
    words = [
        Word(word=f"w{k}", start=(s + e) / 2 - 0.1, end=(s + e) / 2 + 0.1, probability=1.0)
        for k, (s, e, _spk) in enumerate(two_speakers.turns)
    ]
    end = two_speakers.turns[-1][1]
    doc = Transcript(language="en", duration=end, model="t", text="", words=words,
                     segments=[Segment(id=0, start=0.0, end=end, text=" ".join(w.word for w in words))])
    merged = merge_speakers(doc, turns)
    assert [w.speaker for w in merged.words] == ["Speaker 1", "Speaker 2"] * 4
    assert len(merged.segments) == 8 and [s.speaker for s in merged.segments] == ["Speaker 1", "Speaker 2"] * 4
    assert [s.word_count for s in merged.speakers or []] == [4, 4]


def test_telemetry_is_off(diarizer: Any) -> None:
    from inference.diarization.quiet import telemetry_enabled

    assert telemetry_enabled() is False
