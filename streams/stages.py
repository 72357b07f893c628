"""What a stage hook may ask of the orchestrator (streams/sandbox.py, the diarization run): the narrow
interface, so hooks import this module and never the orchestrator (no import circle, no reach into its
privates)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from schemas.events import JobEvent
from store.models import Job
from store.objects import ObjectStore

BuildEvents = Callable[[Job], list[JobEvent]]


class LeaseLost(Exception):
    """This worker no longer owns the job (taken over, canceled or finished elsewhere)."""


def result_key(job_id: str) -> str:
    return f"results/{job_id}/transcript.json"


class JobControl(Protocol):
    """The orchestrator as a stage sees it (streams.orchestrator.Orchestrator implements it)."""

    @property
    def objects(self) -> ObjectStore: ...

    async def transition(self, job_id: str, build: BuildEvents) -> None:
        """Record `build(job)`'s events with their effects if this worker still owns the job; else LeaseLost."""
        ...

    def lease_keeper(self, job_id: str, *, watch_cancel: bool = True) -> AbstractAsyncContextManager[None]:
        """Renew the job's lease while the block runs."""
        ...

    async def park(self, job_id: str) -> None:
        """Hold the claimed job without a lease expiry (it waits for a cancel)."""
        ...

    def spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        """Run `coro` beside the job slots; it must handle its own errors."""
        ...
