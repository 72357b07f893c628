"""DiarizationStage: the pipeline in the shared Serve application, loaded once, progress streamed from pyannote's
hook, errors coded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pyannote.audio", reason="diarization needs torch + pyannote.audio (docs/diarization.md)")

from inference.config import InferenceConfig
from inference.decode import decode_media
from inference.diarization.stage import DiarizationStage
from inference.errors import DiarizationError
from inference.runtime import RayRuntime


@pytest.fixture(scope="session")
def stage() -> Iterator[DiarizationStage]:
    """Session-wide: with tests/integration/inference in the same run, both use one Ray and one Serve."""
    cfg = InferenceConfig(ray_num_cpus=2, ray_object_store_bytes=256 * 1024 * 1024)
    runtime = RayRuntime(cfg)
    runtime.start()
    stage = DiarizationStage(runtime, cfg)
    yield stage
    stage.stop()
    runtime.stop()


async def test_actor_diarizes_with_progress_and_reuses_pipeline(stage: DiarizationStage, sample_wav: Path) -> None:
    import ray

    ref = ray.put(decode_media(sample_wav))
    seen: list[float] = []

    async def progress(fraction: float) -> None:
        seen.append(fraction)

    turns = await stage.run(ref, {"enabled": True}, progress)
    assert {t["speaker"] for t in turns} == {"SPEAKER_00", "SPEAKER_01"}
    assert all(isinstance(t["start"], float) for t in turns)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 2
    handle = await stage.runtime.diarizer()
    pid = (await handle.describe.remote())["pid"]
    again = await stage.run(ref, {"enabled": True, "num_speakers": 2})
    assert len({t["speaker"] for t in again}) == 2
    assert (await handle.describe.remote())["pid"] == pid  # same replica, pipeline loaded once


async def test_failures_become_diarization_error(stage: DiarizationStage) -> None:
    import ray

    with pytest.raises(DiarizationError) as caught:
        await stage.run(ray.put("not audio"), {"enabled": True})
    assert caught.value.code == "diarization_error"
