"""A worker's collaborators for tests that drive the orchestrator or the reaper on a real database: the real
JobEffects (state machine, outbox, quota on the ledger alone, webhook requests) with a relay that counts its
wake-ups, and an Orchestrator built with every collaborator passed explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.billing import JobBilling
from jobs.effects import JobEffects
from metering.facts import CallFact
from metering.quota import QuotaService
from store.objects import LocalObjectStore, ObjectStore
from streams.analysis_stage import AnalysisStage
from streams.fetch import FetchSettings
from streams.listening_copy import ListeningCopies
from streams.metrics import observe_committed
from streams.orchestrator import Orchestrator

USAGE_TOPIC, WEBHOOKS_TOPIC = "usage", "hooks"
FETCH = FetchSettings(max_bytes=10 * 1024 * 1024, timeout_s=10.0, allow_private=True)


class KeptCallFacts:
    """Call facts kept in memory (the ClickHouse sink is tested with a real ClickHouse in tests/integration/analysis)."""

    def __init__(self) -> None:
        self.facts: list[CallFact] = []

    async def insert(self, facts: list[CallFact]) -> None:
        self.facts.extend(facts)


def _no_analyzer() -> Any:
    raise AssertionError("this test runs no call analysis; pass analysis=AnalysisStage(...) to run one")


class CountingRelay:
    """The outbox relay as JobEffects sees it: counts the wake-ups (nothing publishes in these tests)."""

    def __init__(self) -> None:
        self.kicks = 0

    def kick(self) -> None:
        self.kicks += 1


def job_effects(
    topic: str, *, relay: CountingRelay | None = None, public_url: str | None = None,
    webhooks_topic: str = WEBHOOKS_TOPIC,
) -> JobEffects:
    return JobEffects(
        events_topic=topic,
        billing=JobBilling(QuotaService(None), USAGE_TOPIC),  # QuotaService(None): the ledger alone, no ClickHouse
        webhooks_topic=webhooks_topic,
        public_url=public_url,
        relay=relay or CountingRelay(),
        observers=(observe_committed,),  # the worker's stage-duration histogram
    )


def orchestrator(
    sessions: async_sessionmaker[AsyncSession],
    objects: ObjectStore | Path,
    pipeline: Any,
    *,
    topic: str,
    owner: str = "w1",
    lease_s: float = 60,
    effects: JobEffects | None = None,
    **overrides: Any,
) -> Orchestrator:
    """`objects` a store, or a directory for a LocalObjectStore; `overrides`: diarizer, media_fetch, analysis,
    listening_copies, cancel_poll_s (default: no diarizer, FETCH, an AnalysisStage that must not be asked, no
    listening copies)."""
    store = LocalObjectStore(objects) if isinstance(objects, Path) else objects
    collaborators: dict[str, Any] = {
        "diarizer": None,
        "media_fetch": FETCH,
        "analysis": AnalysisStage(load=_no_analyzer, call_facts=KeptCallFacts()),
        "listening_copies": ListeningCopies(store, sessions, retention_days=0),
        **overrides,
    }
    return Orchestrator(
        sessions, store, pipeline, effects=effects or job_effects(topic), owner=owner, lease_s=lease_s, **collaborators
    )
