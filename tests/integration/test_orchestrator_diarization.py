"""The diarizing stage in the orchestrator: merge on success, diarization_error on failure, or completion
without speakers when the job allows it. The diarizer here is a fake (the real one is tested in
tests/integration/diarization and end to end in tests/e2e/test_diarization.py)."""

from __future__ import annotations

import json
from types import SimpleNamespace
from pathlib import Path
from typing import Any

from sqlalchemy import update

from inference.errors import DiarizationError
from schemas.events import JobQueued
from store.jobs import get_job
from store.models import Job
from tests.integration import workers
from tests.integration.helpers import database, new_queued_job
from tests.integration.test_orchestrator import TOPIC, CountingPipeline, _event_types


class PreparedPipeline(CountingPipeline):
    async def prepare(self, media_path: Path) -> Any:
        await super().prepare(media_path)
        return SimpleNamespace(audio_ref="audio", duration=2.0, clips=[])


class FakeDiarizer:
    def __init__(self, turns: list[dict[str, Any]] | None = None, fail: bool = False) -> None:
        self.turns = turns or [{"start": 0.0, "end": 1.0, "speaker": "SPEAKER_00"}]
        self.fail = fail

    async def run_for_job(self, mono_ref: Any, media_path: Path, options: dict[str, Any], on_progress: Any = None) -> list[dict[str, Any]]:
        if on_progress is not None:
            await on_progress(0.5)
        if self.fail:
            raise DiarizationError("diarization failed: out of memory")
        return self.turns


async def _run(db_url: str, tmp_path: Path, diarizer: FakeDiarizer, allow_failure: bool = False) -> tuple[Job, list[str], dict]:
    async with database(db_url) as sessions:
        job = await new_queued_job(sessions, TOPIC)
        async with sessions.begin() as session:
            options = {"diarization": {"enabled": True, "allow_failure": allow_failure}}
            await session.execute(update(Job).where(Job.id == job.id).values(options=options))
        orchestrator = workers.orchestrator(sessions, tmp_path, PreparedPipeline(), topic=TOPIC, owner="w", diarizer=diarizer)
        await orchestrator.handle(JobQueued(job_id=job.id, account_id=job.account_id))
        async with sessions() as session:
            row = await get_job(session, job.id)
        assert row is not None
        types = await _event_types(sessions, job.id)
        result_file = tmp_path / "results" / job.id / "transcript.json"
        result = json.loads(result_file.read_text()) if result_file.exists() else {}
        return row, types, result


async def test_speakers_are_merged_into_the_result(db_url: str, tmp_path: Path) -> None:
    row, types, result = await _run(db_url, tmp_path, FakeDiarizer())
    assert row.status == "completed", (row.error_code, row.error_message)
    assert types.count("job.stage_started") == 3  # decoding, transcribing, diarizing
    assert result["words"][0]["speaker"] == "Speaker 1" and result["segments"][0]["speaker"] == "Speaker 1"
    assert [s["label"] for s in result["speakers"]] == ["Speaker 1"]


async def test_diarization_failure_fails_the_job_with_its_code(db_url: str, tmp_path: Path) -> None:
    row, types, _ = await _run(db_url, tmp_path, FakeDiarizer(fail=True))
    assert (row.status, row.error_code) == ("failed", "diarization_error")
    assert "out of memory" in (row.error_message or "")


async def test_allowed_failure_completes_without_speakers_and_says_so(db_url: str, tmp_path: Path) -> None:
    row, _, result = await _run(db_url, tmp_path, FakeDiarizer(fail=True), allow_failure=True)
    assert row.status == "completed"
    assert result["speakers"] is None and result["warnings"] and "diariz" in result["warnings"][0]
