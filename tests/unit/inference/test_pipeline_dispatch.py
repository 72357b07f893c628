"""TranscriptionPipeline.transcribe without Ray: fake actors stand in for Ray handles so dispatch, progress,
merge order and error mapping are checked in milliseconds (the real actors run in tests/integration)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from inference.chunking import Clip
from inference.config import InferenceConfig
from inference.errors import LanguageNotSupportedError, ModelNotAllowedError, TranscriptionError
from inference.pipeline import PreparedAudio, TranscriptionPipeline, _split_batches, asr_hints
from inference.runtime import ActorLayout, auto_layout
from schemas.options import JobOptions


class _Method:
    def __init__(self, fn: Any) -> None:
        self._fn = fn

    def remote(self, *args: Any) -> Any:
        return self._fn(*args)


class FakeActor:
    """Answers each clip with one segment of two words, after a delay so batches finish out of order."""

    def __init__(self, name: str, fail: Exception | None = None, delay: float = 0.0) -> None:
        self.name, self.fail, self.delay = name, fail, delay
        self.batches: list[list[dict[str, float]]] = []
        self.options: list[dict] = []
        self.transcribe_clips = _Method(self._transcribe)
        self.detect_language = _Method(self._detect)

    async def _transcribe(self, audio: Any, clips: list[dict[str, float]], language: str, opts: dict) -> list[dict]:
        await asyncio.sleep(self.delay)
        if self.fail:
            raise self.fail
        self.batches.append(clips)
        self.options.append(opts)
        out = []
        for c in clips:
            mid = (c["start"] + c["end"]) / 2
            words = [
                {"word": " hi", "start": c["start"], "end": mid, "probability": 0.9},
                {"word": " there", "start": mid, "end": c["end"], "probability": 0.8},
            ]
            out.append({"start": c["start"], "end": c["end"], "text": f" clip at {c['start']:g}", "words": words})
        return out

    async def _detect(self, audio: Any, start: float) -> tuple[str, float]:
        return "de", 0.97


class FakeRuntime:
    def __init__(self, actors: list[FakeActor]) -> None:
        self._actors = actors
        self.discarded: list[FakeActor] = []

    async def actors(self, model: str) -> list[FakeActor]:
        return list(self._actors)

    @asynccontextmanager
    async def using(self, model: str) -> AsyncIterator[list[FakeActor]]:
        yield list(self._actors)

    def discard(self, model: str, actor: FakeActor) -> None:
        self.discarded.append(actor)


def _prepared(n: int) -> PreparedAudio:
    return PreparedAudio(audio_ref=None, duration=n * 10.0, clips=[Clip(i * 10.0, i * 10.0 + 8) for i in range(n)])


async def test_all_clips_merged_in_time_order_with_progress() -> None:
    actors = [FakeActor("a", delay=0.02), FakeActor("b", delay=0.0)]
    pipeline = TranscriptionPipeline(FakeRuntime(actors), InferenceConfig(batch_size=3))  # type: ignore[arg-type]
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
    assert all(actor.batches for actor in actors), "both actors got work"


async def test_zero_clips_is_an_empty_transcript() -> None:
    pipeline = TranscriptionPipeline(FakeRuntime([FakeActor("a")]), InferenceConfig())  # type: ignore[arg-type]
    seen: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        seen.append((done, total))

    result = await pipeline.transcribe(_prepared(0), JobOptions(), progress)
    assert result.text == "" and result.segments == [] and result.words == []
    assert seen == [(0, 0)]


async def test_multilingual_model_detects_language_once() -> None:
    pipeline = TranscriptionPipeline(FakeRuntime([FakeActor("a")]), InferenceConfig())  # type: ignore[arg-type]
    result = await pipeline.transcribe(_prepared(2), JobOptions(model="base"))
    assert result.language == "de" and result.language_probability == pytest.approx(0.97)


async def test_actor_failure_becomes_transcription_error() -> None:
    from ray.exceptions import RayActorError

    dead = FakeActor("dead", fail=RayActorError())
    runtime = FakeRuntime([dead])
    pipeline = TranscriptionPipeline(runtime, InferenceConfig())  # type: ignore[arg-type]
    with pytest.raises(TranscriptionError) as info:
        await pipeline.transcribe(_prepared(3), JobOptions())
    assert info.value.code == "transcription_error"
    assert runtime.discarded == [dead], "a dead actor is replaced for the next job"


async def test_refusals() -> None:
    pipeline = TranscriptionPipeline(FakeRuntime([]), InferenceConfig(allowed_models=["tiny.en"]))  # type: ignore[arg-type]
    with pytest.raises(ModelNotAllowedError):
        await pipeline.transcribe(_prepared(1), JobOptions(model="base"))
    with pytest.raises(LanguageNotSupportedError):
        await pipeline.transcribe(_prepared(1), JobOptions(language="fr"))


@pytest.mark.parametrize(
    ("clips", "batch_size", "actors", "sizes"),
    [(20, 8, 1, [7, 7, 6]), (20, 8, 2, [5, 5, 5, 5]), (3, 8, 2, [2, 1]), (1, 8, 4, [1]), (16, 8, 1, [8, 8])],
)
def test_split_batches(clips: int, batch_size: int, actors: int, sizes: list[int]) -> None:
    plan = [Clip(float(i), i + 0.5) for i in range(clips)]
    batches = _split_batches(plan, batch_size, actors)
    assert [len(b) for b in batches] == sizes
    assert [c for b in batches for c in b] == plan


def test_auto_layout() -> None:
    cfg = InferenceConfig()
    assert auto_layout(cfg, cluster_cpus=2, cluster_gpus=0) == ActorLayout(2, 1)
    assert auto_layout(cfg, cluster_cpus=16, cluster_gpus=0).num_actors >= 2
    gpu = InferenceConfig(gpus_per_actor=0.5, device="cuda")
    assert auto_layout(gpu, cluster_cpus=16, cluster_gpus=2).num_actors == 4
    fixed = InferenceConfig(num_asr_actors=3, asr_threads_per_actor=2)
    assert auto_layout(fixed, cluster_cpus=2, cluster_gpus=0) == ActorLayout(3, 2)


async def test_custom_vocabulary_reaches_every_batch_as_hotwords() -> None:
    actor = FakeActor("a")
    pipeline = TranscriptionPipeline(FakeRuntime([actor]), InferenceConfig(batch_size=2))  # type: ignore[arg-type]
    await pipeline.transcribe(_prepared(5), JobOptions(vocabulary=["Parlance", "Kubernetes", "Parlance"]))
    assert len(actor.options) > 1
    assert {o["hotwords"] for o in actor.options} == {"Parlance, Kubernetes"}
    await pipeline.transcribe(_prepared(1), JobOptions())
    assert "hotwords" not in actor.options[-1]


def test_asr_hints_are_bounded() -> None:
    assert asr_hints(None) == {} and asr_hints([" "]) == {}
    hints = asr_hints([f"term{i:03d}-" + "x" * 90 for i in range(100)])["hotwords"]
    assert len(hints) <= 800 and hints.startswith("term000-")
