"""A stereo call in `channel` diarization mode through the real job path: the Serve ASR application (tiny.en,
each channel's clips in the same batches), the diarization application's channel mode, and the merge.

The call is espeak-ng speech, one party per channel, with what real call recorders add: each party bleeds into
the other's channel 20 dB down, and at the end both talk at once. Every turn must come back once, with its
party's speaker: not doubled by the bleed, and both parties' words present where they overlap.
"""

from __future__ import annotations

import re
import shutil
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pyannote.audio", reason="channel diarization needs torch + pyannote.audio (docs/diarization.md)")

from analysis.evaluation.synth import synthesise
from inference.config import InferenceConfig
from inference.diarization.stage import DiarizationStage
from inference.pipeline import TranscriptionPipeline
from inference.runtime import RayRuntime
from inference.speakers import merge_speakers
from schemas.options import JobOptions
from schemas.result import Transcript

pytestmark = pytest.mark.slow

if shutil.which("espeak-ng") is None:
    pytest.skip("espeak-ng synthesises the call (scripts/system-deps.sh)", allow_module_level=True)

TURNS = [
    (0, "Good morning, thank you for calling the garden centre."),
    (1, "Hello, I would like to order seven yellow tulips."),
    (0, "Certainly. What is your postcode please?"),
    (1, "It is the little cottage behind the church."),
]
# Said at the same time at the end (party 1 starts 0.3 s after party 0): both must be in the transcript.
OVERLAP = [(0, "Your order ships on Friday morning."), (1, "Wonderful, many thanks.")]
BLEED = 0.1  # -20 dB
# Share of a turn's words that must come back with its speaker (tiny.en mishears some espeak words).
TURN_RECALL_MIN = 0.6


def read(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768
        return data.reshape(-1, w.getnchannels()).T, w.getframerate()


def stereo_call(tmp: Path) -> tuple[Path, list[tuple[int, str, float, float]]]:
    """The call's WAV and its turns as (party, text, start, end)."""
    times = synthesise(TURNS, tmp / "call.wav", stereo=True)
    call, rate = read(tmp / "call.wav")
    parts = []
    for party, text in OVERLAP:
        synthesise([(party, text)], tmp / f"overlap{party}.wav")
        parts.append(read(tmp / f"overlap{party}.wav")[0][0])
    start = call.shape[1]
    lag = int(0.3 * rate)
    length = max(parts[0].size, lag + parts[1].size) + rate
    tail = np.zeros((2, length), dtype=np.float32)
    tail[0, : parts[0].size] = parts[0]
    tail[1, lag : lag + parts[1].size] = parts[1]
    clean = np.concatenate([call, tail], axis=1)
    bled = clean + BLEED * clean[::-1]
    with wave.open(str(tmp / "stereo.wav"), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(bled.T, -1, 1) * 32767).astype("<i2").tobytes())
    turns = [(p, text, a, b) for (p, text), (a, b) in zip(TURNS, times)]
    t0 = start / rate
    turns.append((0, OVERLAP[0][1], t0, t0 + parts[0].size / rate))
    turns.append((1, OVERLAP[1][1], t0 + lag / rate, t0 + (lag + parts[1].size) / rate))
    return tmp / "stereo.wav", turns


def words_of(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower()).split()


@pytest.fixture(scope="module")
def runtime() -> Iterator[RayRuntime]:
    cfg = InferenceConfig(ray_num_cpus=2, ray_object_store_bytes=256 * 1024 * 1024)
    runtime = RayRuntime(cfg)
    runtime.start()
    yield runtime
    runtime.stop()


async def transcribe(runtime: RayRuntime, path: Path, mode: str) -> Transcript:
    """What the orchestrator does for a diarized job: ASR and diarization of the same prepared audio, merged."""
    options = JobOptions.model_validate({"model": "tiny.en", "language": "en", "diarization": {"enabled": True, "mode": mode}})
    pipeline = TranscriptionPipeline(runtime, runtime.cfg)
    prepared = await pipeline.prepare(path)
    transcript = await pipeline.transcribe(prepared, options)
    turns = await DiarizationStage(runtime, runtime.cfg).run_for_job(prepared.audio_ref, path, options.diarization.model_dump())
    return merge_speakers(transcript, turns)


async def test_every_turn_of_a_stereo_call_comes_back_once_with_its_party(runtime: RayRuntime, tmp_path: Path) -> None:
    path, turns = stereo_call(tmp_path)
    merged = await transcribe(runtime, path, "channel")
    for segment in merged.segments:
        print(f"{segment.start:6.2f}-{segment.end:6.2f} {segment.speaker}: {segment.text}")  # shown with -s or on failure
    party_label = {s.source: s.label for s in merged.speakers or []}
    assert set(party_label) == {"channel_1", "channel_2"}
    label = [party_label["channel_1"], party_label["channel_2"]]
    said = [(re.sub(r"[^\w]", "", w.word.lower()), w.start, w.end, w.speaker) for w in merged.words]
    for party, text, start, end in turns:
        inside = [(token, speaker) for token, a, b, speaker in said if a < end + 0.3 and b > start - 0.3]
        expected = words_of(text)
        own = [token for token, speaker in inside if speaker == label[party]]
        found = sum(1 for token in expected if token in own)
        assert found >= TURN_RECALL_MIN * len(expected), (text, own)
        # Not doubled: the other party says none of this turn's words (the bleed on its channel was dropped).
        doubled = [token for token, speaker in inside if speaker == label[1 - party] and token in expected]
        assert not doubled, (text, doubled, inside)
        # Once: no word of the turn comes back twice from its own speaker.
        repeats = [token for token in set(own) if token in expected and own.count(token) > expected.count(token)]
        assert not repeats, (text, own)
    # Words are in time order, and every segment has one of the two parties.
    assert [w.start for w in merged.words] == sorted(w.start for w in merged.words)
    assert {s.speaker for s in merged.segments} == set(label)
