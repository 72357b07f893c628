"""TranscriptionPipeline.transcribe without Ray: a fake deployment handle stands in for the ASR application so
dispatch, progress, merge order and error mapping are checked in milliseconds (the real Serve application runs
in tests/integration/inference)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from inference.chunking import Clip
from inference.config import InferenceConfig
from inference.errors import LanguageNotSupportedError, ModelNotAllowedError, TranscriptionError
from inference.pipeline import PreparedAudio, TranscriptionPipeline, asr_hints
from inference.serving.asr_app import ClipRequest
from schemas.options import JobOptions


class _Response:
    """What `DeploymentHandle.<method>.remote()` returns: awaitable, cancellable."""

    def __init__(self, coro: Any) -> None:
        self._task = asyncio.ensure_future(coro)
        self.cancelled = False

    def __await__(self) -> Any:
        return self._task.__await__()

    def cancel(self) -> None:
        self.cancelled = True
        self._task.cancel()


class _Method:
    def __init__(self, fn: Any) -> None:
        self._fn = fn

    def remote(self, *args: Any) -> _Response:
        return _Response(self._fn(*args))


class FakeHandle:
    """Answers each clip with one segment of two words, clips of odd index later so they finish out of order."""

    def __init__(self, fail: Exception | None = None, delay: float = 0.0) -> None:
        self.fail, self.delay = fail, delay
        self.requests: list[ClipRequest] = []
        self.transcribe = _Method(self._transcribe)
        self.detect_language = _Method(self._detect)

    async def _transcribe(self, request: ClipRequest) -> list[dict]:
        await asyncio.sleep(self.delay * (int(request.start_s / 10) % 2))
        if self.fail:
            raise self.fail
        self.requests.append(request)
        start, end = request.start_s, request.end_s
        mid = (start + end) / 2
        words = [
            {"word": " hi", "start": start, "end": mid, "probability": 0.9},
            {"word": " there", "start": mid, "end": end, "probability": 0.8},
        ]
        return [{"start": start, "end": end, "text": f" clip at {start:g}", "words": words}]

    async def _detect(self, audio: Any, start: float) -> tuple[str, float]:
        return "de", 0.97


class FakeRuntime:
    def __init__(self, handle: FakeHandle) -> None:
        self.handle = handle
        self.models: list[str] = []

    async def asr(self, model: str) -> FakeHandle:
        self.models.append(model)
        return self.handle


def _prepared(n: int) -> PreparedAudio:
    return PreparedAudio(audio_ref=None, duration=n * 10.0, clips=[Clip(i * 10.0, i * 10.0 + 8) for i in range(n)])


async def test_all_clips_merged_in_time_order_with_progress() -> None:
    handle = FakeHandle(delay=0.02)
    pipeline = TranscriptionPipeline(FakeRuntime(handle), InferenceConfig(batch_size=3))  # type: ignore[arg-type]
    seen: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        seen.append((done, total))

    result = await pipeline.transcribe(_prepared(10), JobOptions(), progress)
    assert [s.id for s in result.segments] == list(range(10))
    assert [s.start for s in result.segments] == [i * 10.0 for i in range(10)]
    assert len(result.words) == 20 and result.words[0].word == "hi"
    assert result.text.startswith("clip at 0 clip at 10")
    assert result.language == "en" and result.model == "tiny.en" and result.duration == 100.0
    assert seen[-1] == (10, 10) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(handle.requests) == 10 and {r.language for r in handle.requests} == {"en"}


async def test_zero_clips_is_an_empty_transcript() -> None:
    pipeline = TranscriptionPipeline(FakeRuntime(FakeHandle()), InferenceConfig())  # type: ignore[arg-type]
    seen: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        seen.append((done, total))

    result = await pipeline.transcribe(_prepared(0), JobOptions(), progress)
    assert result.text == "" and result.segments == [] and result.words == []
    assert seen == [(0, 0)]


async def test_multilingual_model_detects_language_once() -> None:
    pipeline = TranscriptionPipeline(FakeRuntime(FakeHandle()), InferenceConfig())  # type: ignore[arg-type]
    result = await pipeline.transcribe(_prepared(2), JobOptions(model="base"))
    assert result.language == "de" and result.language_probability == pytest.approx(0.97)


async def test_replica_failure_becomes_transcription_error() -> None:
    from ray.exceptions import RayActorError

    pipeline = TranscriptionPipeline(FakeRuntime(FakeHandle(fail=RayActorError())), InferenceConfig())  # type: ignore[arg-type]
    with pytest.raises(TranscriptionError) as info:
        await pipeline.transcribe(_prepared(3), JobOptions())
    assert info.value.code == "transcription_error"


async def test_a_canceled_job_cancels_its_requests() -> None:
    """A canceled job's clips must leave the shared replicas' queues, not keep other jobs waiting."""
    handle = FakeHandle(delay=10.0)
    sent: list[_Response] = []
    original = handle.transcribe.remote

    def remote(*args: Any) -> _Response:
        sent.append(original(*args))
        return sent[-1]

    handle.transcribe.remote = remote  # type: ignore[method-assign]
    pipeline = TranscriptionPipeline(FakeRuntime(handle), InferenceConfig())  # type: ignore[arg-type]
    job = asyncio.create_task(pipeline.transcribe(_prepared(4), JobOptions()))
    await asyncio.sleep(0.05)
    job.cancel()
    with pytest.raises(asyncio.CancelledError):
        await job
    slow = [r for r in sent if not r._task.done() or r.cancelled]
    assert slow and all(r.cancelled for r in slow)


async def test_a_long_job_keeps_a_bounded_window_in_flight() -> None:
    handle = FakeHandle()
    in_flight, peak = 0, 0
    original = handle._transcribe

    async def counting(request: ClipRequest) -> list[dict]:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.001)
        try:
            return await original(request)
        finally:
            in_flight -= 1

    handle.transcribe = _Method(counting)
    cfg = InferenceConfig(asr_max_batch_clips=2)
    pipeline = TranscriptionPipeline(FakeRuntime(handle), cfg)  # type: ignore[arg-type]
    result = await pipeline.transcribe(_prepared(50), JobOptions())
    assert len(result.segments) == 50 and 1 < peak <= 8


async def test_refusals() -> None:
    pipeline = TranscriptionPipeline(FakeRuntime(FakeHandle()), InferenceConfig(allowed_models=["tiny.en"]))  # type: ignore[arg-type]
    with pytest.raises(ModelNotAllowedError):
        await pipeline.transcribe(_prepared(1), JobOptions(model="base"))
    with pytest.raises(LanguageNotSupportedError):
        await pipeline.transcribe(_prepared(1), JobOptions(language="fr"))


async def test_custom_vocabulary_reaches_every_clip_as_hotwords() -> None:
    handle = FakeHandle()
    pipeline = TranscriptionPipeline(FakeRuntime(handle), InferenceConfig(batch_size=2))  # type: ignore[arg-type]
    await pipeline.transcribe(_prepared(5), JobOptions(vocabulary=["Parlance", "Kubernetes", "Parlance"]))
    assert len(handle.requests) == 5
    assert {r.hotwords for r in handle.requests} == {"Parlance, Kubernetes"}
    await pipeline.transcribe(_prepared(1), JobOptions())
    assert handle.requests[-1].hotwords is None


def test_asr_hints_are_bounded() -> None:
    assert asr_hints(None) == {} and asr_hints([" "]) == {}
    hints = asr_hints([f"term{i:03d}-" + "x" * 90 for i in range(100)])["hotwords"]
    assert len(hints) <= 800 and hints.startswith("term000-")


async def test_each_clip_request_carries_its_vad_regions_for_the_guard() -> None:
    """The replica's coverage check needs the clip's speech regions; a clip sent without them is unguarded."""
    handle = FakeHandle()
    pipeline = TranscriptionPipeline(FakeRuntime(handle), InferenceConfig())  # type: ignore[arg-type]
    speech = ((0.5, 3.0), (4.0, 7.5))
    prepared = PreparedAudio(audio_ref=None, duration=10.0, clips=[Clip(0.5, 7.5, speech)])
    await pipeline.transcribe(prepared, JobOptions())
    assert [r.speech for r in handle.requests] == [speech]
