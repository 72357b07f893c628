"""The `analyzing` stage in the orchestrator: the real Analyzer (offline models), a real job store (SQLite) and
real ClickHouse (chDB) for the call facts. The ASR is scripted here (a diarized support call with planted
personal data) so the checks can name exact values; tests/e2e/test_call_analysis.py runs the same on audio.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from metering.analytics import call_analytics
from metering.clickhouse import ClickHouseClients
from schemas.events import JobCreated, JobCreatedPayload, JobQueued, decode_event
from schemas.options import JobOptions
from schemas.result import Segment, Transcript, Word
from store.jobs import get_job
from store.keys import get_or_create_account
from jobs.lifecycle import record
from store.models import Job, OutboxEvent
from streams.analysis_stage import AnalysisStage, ClickHouseCallFacts
from tests.integration import workers
from tests.integration.helpers import database

TOPIC = "jobs"
PHONE = "415 555 0132"
EMAIL = "dana.reyes@example.com"
CARD = "4111 1111 1111 1111"

CALL = [
    ("Speaker 1", "Thank you for calling Northwind Internet, my name is Alex, how can I help you today?"),
    ("Speaker 2", "Hi Alex, this is Dana Reyes. My internet keeps dropping every evening and I need it fixed."),
    ("Speaker 1", "I am sorry to hear that. Can I have a phone number and email on the account?"),
    ("Speaker 2", f"Sure, the phone is {PHONE} and the email is {EMAIL}."),
    ("Speaker 1", "Thanks. I see a fault on your line. I will send a technician tomorrow morning to replace the modem."),
    ("Speaker 2", f"Great. Do you need my card {CARD} for the visit?"),
    ("Speaker 1", "No charge for this visit. The technician will call you before arriving. Anything else?"),
    ("Speaker 2", "No, that solves it. Thank you so much for your help, Alex."),
]


class ScriptedCall:
    """Stands in for ASR + diarization: the call above with word timings and speaker labels."""

    async def prepare(self, media_path: Path) -> str:
        return "prepared"

    async def transcribe(self, prepared: object, options: JobOptions, on_progress: Any) -> Transcript:
        await on_progress(1, 1)
        words, segments, t = [], [], 0.0
        for i, (speaker, text) in enumerate(CALL):
            start = t
            for token in text.split():
                words.append(Word(word=" " + token, start=round(t, 2), end=round(t + 0.3, 2), probability=0.95, speaker=speaker))
                t += 0.35
            segments.append(Segment(id=i, start=round(start, 2), end=round(t, 2), text=" " + text, speaker=speaker))
            t += 0.8
        return Transcript(language="en", duration=round(t, 2), model="scripted", text=" ".join(x for _, x in CALL),
                          segments=segments, words=words)


async def _job(sessions: async_sessionmaker[AsyncSession], options: dict[str, Any]) -> Job:
    async with sessions.begin() as session:
        account = await get_or_create_account(session, f"acct-{uuid.uuid4().hex[:8]}")
        job = Job(id=str(uuid.uuid4()), account_id=account.id, status="pending", options=options, media_key="media/x/source")
        session.add(job)
        created = JobCreated(job_id=job.id, account_id=account.id, payload=JobCreatedPayload(
            media_key=job.media_key, filename="call.wav", content_type="audio/wav", size_bytes=1, options=JobOptions.model_validate(options)))
        record(session, job, [created, JobQueued(job_id=job.id, account_id=account.id)], TOPIC)
    return job


async def _run(sqlite_url: str, tmp_path: Path, options: dict[str, Any], stage: AnalysisStage) -> tuple[Job, dict[str, Any], list[str]]:
    async with database(sqlite_url) as sessions:
        job = await _job(sessions, options)
        orchestrator = workers.orchestrator(sessions, tmp_path, ScriptedCall(), topic=TOPIC, analysis=stage)
        await orchestrator.handle(JobQueued(job_id=job.id, account_id=job.account_id))
        async with sessions() as session:
            row = await get_job(session, job.id)
            rows = (await session.execute(select(OutboxEvent).where(OutboxEvent.key == job.id).order_by(OutboxEvent.id))).scalars()
            stages = [f"{e.type}:{e.payload.stage.value}" for e in map(lambda r: decode_event(r.value), rows) if e.type.startswith("job.stage")]  # type: ignore[union-attr]
    assert row is not None and row.status == "completed", (row.status if row else None, row.error_message if row else None)
    return row, json.loads((tmp_path / "results" / job.id / "transcript.json").read_text()), stages


async def test_pro_analysis_with_redaction_is_stored_redacted_and_counted(
    sqlite_url: str, tmp_path: Path, analyzer: Any, ch: ClickHouseClients
) -> None:
    stage = AnalysisStage(load=lambda: analyzer, call_facts=ClickHouseCallFacts(ch))
    row, doc, stages = await _run(sqlite_url, tmp_path, {"analysis": "pro", "redact_pii": True}, stage)

    assert "job.stage_started:analyzing" in stages and "job.stage_completed:analyzing" in stages
    stored = json.dumps(doc)
    for value in (PHONE, EMAIL, CARD, "4111", "Reyes"):
        assert value not in stored, f"{value!r} reached the stored result"
    assert doc["pii_redacted"] is True
    assert "[PHONE_NUMBER]" in doc["text"] and "[EMAIL]" in doc["text"] and "[CREDIT_CARD]" in doc["text"]
    assert any(w["word"].strip().startswith("[") for w in doc["words"]), "redacted words keep their timings"
    ai = doc["ai_analysis"]
    assert ai["level"] == "pro" and ai["speaker_roles"] == {"Speaker 1": "Agent", "Speaker 2": "Customer"}
    assert ai["transcript_cleaned"].startswith("Agent:")
    assert ai["call_type"] == "support" and ai["call_outcome"] == "resolved"
    # types only, never values; contact details count too (given on a recorded line)
    assert ai["compliance"]["sensitive_data_shared"] == ["CREDIT_CARD", "EMAIL", "PHONE_NUMBER"]
    assert ai["customer"] == {"name": "[PERSON]", "company": None, "email": "[EMAIL]", "phone": "[PHONE_NUMBER]"}
    assert "internet keeps dropping" in ai["key_issues"] and not any("person" in k or "[" in k for k in ai["key_issues"])
    assert ai["action_items"] == ["I will send a technician tomorrow morning to replace the modem.",
                                  "The technician will call you before arriving."]
    assert ai["agent"]["name"] == "[PERSON]" and "[PERSON] (customer) called" in ai["call_summary"]
    assert ai["sentiment"]["customer_sentiment"] in ("positive", "neutral", "mixed")

    report = await ch.run(lambda c: call_analytics(
        c, start=datetime.now(timezone.utc) - timedelta(hours=1), end=datetime.now(timezone.utc) + timedelta(hours=1),
        account_id=row.account_id))
    assert report.calls == 1 and [g.key for g in report.by_call_type] == ["support"]
    assert [g.key for g in report.by_outcome] == ["resolved"]


async def test_lite_request_naming_pro_fields_is_upgraded_and_says_so(sqlite_url: str, tmp_path: Path, analyzer: Any) -> None:
    stage = AnalysisStage(load=lambda: analyzer, call_facts=workers.KeptCallFacts())
    _, doc, _ = await _run(sqlite_url, tmp_path, {"analysis": "lite", "analysis_fields": ["call_type"]}, stage)
    assert doc["ai_analysis"]["level"] == "pro" and doc["ai_analysis"]["call_type"] == "support"
    assert any("upgraded from lite to pro" in w for w in doc["warnings"])
    assert doc["pii_redacted"] is False and PHONE in doc["text"]  # no redaction unless asked


async def test_analysis_failure_keeps_the_transcript_but_redaction_failure_fails_the_job(sqlite_url: str, tmp_path: Path) -> None:
    def broken() -> Any:
        raise RuntimeError(f"model exploded near {PHONE}")

    _, doc, _ = await _run(sqlite_url, tmp_path / "a", {"analysis": "pro"}, AnalysisStage(load=broken, call_facts=workers.KeptCallFacts()))
    assert doc["ai_analysis"] is None and any("analysis failed" in w for w in doc["warnings"])

    async with database(sqlite_url) as sessions:
        job = await _job(sessions, {"redact_pii": True})
        orchestrator = workers.orchestrator(sessions, tmp_path / "b", ScriptedCall(), topic=TOPIC, analysis=AnalysisStage(load=broken, call_facts=workers.KeptCallFacts()))
        await orchestrator.handle(JobQueued(job_id=job.id, account_id=job.account_id))
        async with sessions() as session:
            row = await get_job(session, job.id)
    assert row is not None and (row.status, row.error_code) == ("failed", "analysis_error")
    assert PHONE not in (row.error_message or "")
    assert not (tmp_path / "b" / "results" / job.id / "transcript.json").exists()
