"""The `analyzing` stage: call analysis and PII redaction of a finished transcript, and its row of call facts.

The `Analyzer` (spaCy + Presidio, sentence embeddings, VADER) takes 20-40 s and ~1.2 GB to load, so it is built
once per worker, on the first job that needs it (a worker that never sees such a job never pays for it), and
runs in a thread: it is CPU work that would otherwise stall the event loop and the job's lease renewals.

Nothing here logs transcript text or exception messages (either could carry the personal data being removed).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Protocol

from inference.errors import InferenceError
from metering.clickhouse import ClickHouseClients
from metering.facts import CallFact, insert_call_facts
from schemas.options import JobOptions
from schemas.result import Transcript

if TYPE_CHECKING:
    from analysis.analyzer import Analyzer, AnalyzerConfig
    from analysis.schema import AiAnalysis
    from streams.settings import WorkerSettings

log = logging.getLogger(__name__)


class AnalysisError(InferenceError):
    """Redaction was asked for and could not be done: the job fails rather than store the original text."""

    code = "analysis_error"


@dataclass
class Analyzed:
    transcript: Transcript  # redacted when asked: the only version that is ever stored
    analysis: "AiAnalysis | None"


class CallFacts(Protocol):
    """Where an analysed call's row of facts goes (ClickHouse's `call_facts` in a worker)."""

    async def insert(self, facts: list[CallFact]) -> None: ...


class ClickHouseCallFacts:
    def __init__(self, clickhouse: ClickHouseClients) -> None:
        self._clickhouse = clickhouse

    async def insert(self, facts: list[CallFact]) -> None:
        await self._clickhouse.run(lambda client: insert_call_facts(client, facts))


class AnalysisStage:
    def __init__(self, *, load: Callable[[], "Analyzer"], call_facts: CallFacts) -> None:
        self._load = load  # builds the Analyzer (in a thread, on the first job asking for analysis)
        self._call_facts = call_facts
        self._analyzer: Analyzer | None = None
        self._lock = asyncio.Lock()

    async def analyzer(self) -> "Analyzer":
        async with self._lock:
            if self._analyzer is None:
                log.info("loading the call-analysis models (once per worker)")
                self._analyzer = await asyncio.to_thread(self._load)
        return self._analyzer

    async def run(self, transcript: Transcript, options: JobOptions) -> Analyzed:
        """Analyse and/or redact. A failed analysis without redaction leaves the transcript as it was, with a
        warning; a failed redaction raises AnalysisError (the unredacted text must not be stored)."""
        try:
            analyzer = await self.analyzer()
            return await asyncio.to_thread(_analyse, analyzer, transcript, options)
        except Exception as exc:  # noqa: BLE001 - mapped below; the message may quote the transcript
            log.error("call analysis failed (%s)", type(exc).__name__)
            if options.redact_pii:
                raise AnalysisError("PII redaction failed; the transcript was not stored") from None
            warning = "call analysis failed and was skipped; the transcript is complete"
            return Analyzed(transcript.model_copy(update={"warnings": [*transcript.warnings, warning]}), None)

    async def record_call_fact(self, job_id: str, account_id: str, analyzed: Analyzed) -> None:
        """One row for the call analytics; a ClickHouse failure is logged and the job goes on (not billing)."""
        if analyzed.analysis is None:
            return
        from analysis.analyzer import Analyzer  # heavy (spaCy, Presidio): only where analysis runs

        t = analyzed.transcript
        fact = Analyzer.call_fact(
            analyzed.analysis,
            job_id=job_id,
            account_id=account_id,
            occurred_at=datetime.now(timezone.utc),
            duration=t.duration,
            language=t.language,
            speakers=len(t.speakers) if t.speakers else None,
        )
        try:
            await self._call_facts.insert([fact])
        except Exception as exc:  # noqa: BLE001 - analytics must not fail a finished job
            log.warning("job %s: call facts not recorded (%s)", job_id, type(exc).__name__)


def analyzer_config(settings: "WorkerSettings") -> "AnalyzerConfig":
    from analysis.analyzer import AnalyzerConfig
    from analysis.llm import LlmSettings

    llm = None
    if settings.analysis_llm_url:
        if not settings.analysis_llm_model:
            raise ValueError("PARLANCE_ANALYSIS_LLM_URL is set without PARLANCE_ANALYSIS_LLM_MODEL")
        llm = LlmSettings(
            base_url=settings.analysis_llm_url,
            model=settings.analysis_llm_model,
            api_key=settings.analysis_llm_api_key,
            timeout_s=settings.analysis_llm_timeout_s,
        )
    return AnalyzerConfig(torch_threads=settings.analysis_torch_threads, classifier=settings.analysis_classifier,
                          llm=llm)


def load_analyzer(config: "AnalyzerConfig") -> "Analyzer":
    from analysis.analyzer import Analyzer  # heavy (spaCy, Presidio, torch): loaded on the first analysed job

    return Analyzer(config)


def _analyse(analyzer: "Analyzer", transcript: Transcript, options: JobOptions) -> Analyzed:
    from analysis.transcript import utterances_from_transcript

    doc = transcript.model_dump(mode="json")
    analysis = None
    if options.analysis is not None or options.analysis_fields:
        analysis = analyzer.analyze(
            utterances_from_transcript(doc),
            options.analysis or "lite",
            transcript.duration,
            transcript.language,
            fields=list(options.analysis_fields or []),
            redact_pii=bool(options.redact_pii),
        )
    if options.redact_pii:
        doc, _types = analyzer.redact_transcript(doc)
        doc["pii_redacted"] = True
    if analysis is not None:
        doc["ai_analysis"] = analysis.model_dump(mode="json")
        doc["warnings"] = [*doc.get("warnings", []), *analysis.warnings]
    return Analyzed(Transcript.model_validate(doc), analysis)
