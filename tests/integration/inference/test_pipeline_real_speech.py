"""The real pipeline (Ray actors, tiny.en, Silero VAD) on real and synthetic speech.

WER bounds were measured on this machine (2 cores, int8) and given margin; see the constants.
"""

from __future__ import annotations

import asyncio

import re
import subprocess
import wave
from pathlib import Path

import jiwer
import numpy as np
import pytest

from inference.config import InferenceConfig
from inference.decode import decode_media
from inference.errors import MediaDecodeError
from inference.pipeline import TranscriptionPipeline
from inference.runtime import RayRuntime
from schemas.options import JobOptions
from schemas.result import Transcript

pytestmark = pytest.mark.slow

# Measured (tiny.en, int8): pipeline vs plain faster-whisper on sample.wav 0.00 (identical text); espeak-ng
# passage 0.245 (digits "6"/"5" for "six"/"five" count as errors).
PARITY_WER_MAX = 0.10
ESPEAK_WER_MAX = 0.40

ESPEAK_TEXT = (
    "Please call Stella. Ask her to bring these things with her from the store. "
    "Six spoons of fresh snow peas, five thick slabs of blue cheese, and maybe a snack for her brother Bob. "
    "We also need a small plastic snake and a big toy frog for the kids."
)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s']", " ", text.lower())).strip()


def wer(reference: str, hypothesis: str) -> float:
    return float(jiwer.wer(normalise(reference), normalise(hypothesis)))


def plain_faster_whisper(path: Path) -> str:
    """The library alone, as the reference the platform must not degrade."""
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    from inference.models import resolve_model

    model = WhisperModel(resolve_model("tiny.en", Path("/nonexistent")), device="cpu", compute_type="int8", cpu_threads=1)
    segments, _ = BatchedInferencePipeline(model).transcribe(str(path), batch_size=8, vad_filter=True)
    return " ".join(s.text for s in segments)


def assert_well_formed(transcript: Transcript) -> None:
    """Global, ordered timestamps inside the media; every word inside its segment's time span."""
    assert [s.id for s in transcript.segments] == list(range(len(transcript.segments)))
    starts = [s.start for s in transcript.segments]
    assert starts == sorted(starts)
    for seg in transcript.segments:
        assert 0 <= seg.start <= seg.end <= transcript.duration
    word_starts = [w.start for w in transcript.words]
    assert word_starts == sorted(word_starts)
    for word in transcript.words:
        assert 0 <= word.start <= word.end <= transcript.duration
        assert any(s.start - 0.5 <= word.start and word.end <= s.end + 0.5 for s in transcript.segments), word


def write_wav(path: Path, audio: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture
def pipeline(ray_runtime: RayRuntime, inference_config: InferenceConfig) -> TranscriptionPipeline:
    return TranscriptionPipeline(ray_runtime, inference_config)


async def test_sample_matches_plain_faster_whisper(pipeline: TranscriptionPipeline, sample_wav: Path) -> None:
    progress: list[tuple[int, int]] = []

    async def on_progress(done: int, total: int) -> None:
        progress.append((done, total))

    prepared = await pipeline.prepare(sample_wav)
    transcript = await pipeline.transcribe(prepared, JobOptions(), on_progress)
    assert transcript.language == "en" and transcript.model == "tiny.en"
    assert transcript.duration == pytest.approx(30.0, abs=0.01)
    assert "new jersey" in normalise(transcript.text) and "chicago" in normalise(transcript.text)
    assert wer(plain_faster_whisper(sample_wav), transcript.text) <= PARITY_WER_MAX
    assert_well_formed(transcript)
    n = len(prepared.clips)
    assert n >= 1 and progress[-1] == (n, n)


async def test_long_file_offsets_are_global(pipeline: TranscriptionPipeline, sample_wav: Path, tmp_path: Path) -> None:
    """Four copies back to back: several batches across actors, and each copy's words land in its own 30 s."""
    audio = np.tile(decode_media(sample_wav), 4)
    transcript = await pipeline.transcribe(await pipeline.prepare(write_wav(tmp_path / "x4.wav", audio)), JobOptions())
    assert_well_formed(transcript)
    assert normalise(transcript.text).count("chicago") >= 4
    for copy in range(4):
        in_copy = [w for w in transcript.words if copy * 30 <= w.start < (copy + 1) * 30]
        assert len(in_copy) > 40, f"copy {copy} has {len(in_copy)} words"
        assert in_copy[0].start >= copy * 30 + 6.0, "speech starts ~6.4 s into each copy"


async def test_espeak_speech_wer(pipeline: TranscriptionPipeline, espeak: str, tmp_path: Path) -> None:
    path = tmp_path / "tts.wav"
    subprocess.run([espeak, "-v", "en-us", "-s", "150", "-w", str(path), ESPEAK_TEXT], check=True)
    transcript = await pipeline.transcribe(await pipeline.prepare(path), JobOptions(language="en"))
    assert wer(ESPEAK_TEXT, transcript.text) <= ESPEAK_WER_MAX, transcript.text
    assert_well_formed(transcript)


async def test_silence_is_an_empty_transcript(pipeline: TranscriptionPipeline, tmp_path: Path) -> None:
    path = write_wav(tmp_path / "silence.wav", np.zeros(16_000 * 8, dtype=np.float32))
    progress: list[tuple[int, int]] = []

    async def on_progress(done: int, total: int) -> None:
        progress.append((done, total))

    transcript = await pipeline.transcribe(await pipeline.prepare(path), JobOptions(), on_progress)
    assert transcript.text == "" and transcript.segments == [] and transcript.words == []
    assert transcript.duration == pytest.approx(8.0) and progress == [(0, 0)]


async def test_corrupt_input_is_a_decode_error(pipeline: TranscriptionPipeline, tmp_path: Path) -> None:
    path = tmp_path / "broken.mp3"
    path.write_bytes(b"ID3" + bytes(range(256)) * 20)
    with pytest.raises(MediaDecodeError) as info:
        await pipeline.prepare(path)
    assert info.value.code == "media_decode_error"


async def test_multilingual_base_detects_english(pipeline: TranscriptionPipeline, sample_wav: Path) -> None:
    transcript = await pipeline.transcribe(await pipeline.prepare(sample_wav), JobOptions(model="base"))
    assert transcript.language == "en" and transcript.model == "base"
    assert transcript.language_probability is not None and transcript.language_probability > 0.5
    assert "chicago" in normalise(transcript.text)


async def test_a_crashed_replica_is_replaced_and_jobs_go_on(
    pipeline: TranscriptionPipeline, ray_runtime: RayRuntime, sample_wav: Path
) -> None:
    """A replica process that dies (OOM, a lost node) is Serve's to replace: the worker keeps its handle and
    the next job completes on the replacement, with no health pings of our own."""
    import os
    import signal

    from ray import serve

    prepared = await pipeline.prepare(sample_wav)
    handle = await ray_runtime.asr("tiny.en")
    victim = (await handle.describe.remote())["pid"]
    os.kill(victim, signal.SIGKILL)
    app = "parlance-asr-tiny.en"
    for _ in range(600):
        await asyncio.sleep(0.2)
        status = serve.status().applications[app].deployments["Asr"]
        if str(status.status).endswith("HEALTHY") and status.replica_states.get("RUNNING", 0) == 2:
            pids = {(await handle.describe.remote())["pid"] for _ in range(6)}
            if victim not in pids:
                break
    else:
        raise AssertionError("Serve did not replace the killed replica within 120 s")
    transcript = await pipeline.transcribe(prepared, JobOptions())
    assert "chicago" in normalise(transcript.text)


VOCAB_TEXT = (
    "Hello, this is Marta from Quvexa support. Your Quvexa router will be replaced by our partner Brightlink "
    "tomorrow. Thanks for choosing Quvexa."
)


async def test_custom_vocabulary_fixes_made_up_names(pipeline: TranscriptionPipeline, espeak: str, tmp_path: Path) -> None:
    """Measured with tiny.en: without hints "Quimaxa" / "right link", with them "Quvexa" x3 and "Brightlink"."""
    path = tmp_path / "names.wav"
    subprocess.run([espeak, "-v", "en-us", "-s", "150", "-w", str(path), VOCAB_TEXT], check=True)
    prepared = await pipeline.prepare(path)
    plain = normalise((await pipeline.transcribe(prepared, JobOptions(language="en"))).text)
    hinted = normalise((await pipeline.transcribe(prepared, JobOptions(language="en", vocabulary=["Quvexa", "Brightlink"]))).text)
    assert hinted.count("quvexa") + hinted.count("brightlink") > plain.count("quvexa") + plain.count("brightlink"), (plain, hinted)
    assert hinted.count("quvexa") >= 2 and "brightlink" in hinted, hinted
