"""Recording a job's events with their effects: the one way a job's status changes.

`JobEffects.record(session, job, events)` applies the events to the locked row through the state machine
(jobs/lifecycle.py) and, in the caller's transaction, writes what each transition implies:

- every event: its outbox row on the jobs topic;
- job.completed: the reservation settled, the job's cost, a `usage.recorded` event (jobs/billing.py);
- job.failed, job.canceled: the reservation released;
- job.completed, job.failed, job.canceled: webhook deliveries requested (rows + `webhook.requested` messages);
- once the transaction commits (never after a rollback): the outbox relay is woken and the observers
  (the worker's stage-duration histogram) see the events.

A rejected transition raises InvalidTransition before anything is written. One `JobEffects` is built per
process (the API's lifespan, the worker's resources) with its collaborators; the API's use cases
(jobs/usecases.py), the orchestrator and the reaper all record through it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from jobs.billing import JobBilling
from jobs.lifecycle import record as project
from schemas.events import JobEvent
from store.models import Job
from webhooks.deliveries import request_deliveries

CommitObserver = Callable[[Sequence[JobEvent]], None]

# session.info key: events recorded in the session's current transaction, handed over after its commit.
_PENDING = "parlance.jobs.committed"


class Relay(Protocol):
    """What the effects need of the outbox relay (store.outbox.OutboxRelay)."""

    def kick(self) -> None: ...


class JobEffects:
    def __init__(
        self,
        *,
        events_topic: str,
        billing: JobBilling,
        webhooks_topic: str,
        public_url: str | None,
        relay: Relay,
        observers: Sequence[CommitObserver],
    ) -> None:
        self.events_topic = events_topic
        self.billing = billing
        self.webhooks_topic = webhooks_topic
        self.public_url = public_url  # the base of the result and export links in webhook payloads
        self._relay = relay
        self._observers = tuple(observers)

    async def record(self, session: AsyncSession, job: Job, events: list[JobEvent]) -> None:
        """Apply `events` to the locked `job` and write their effects in the caller's transaction."""
        project(session, job, events, self.events_topic)
        await self.billing.after_events(session, job, events)
        await request_deliveries(session, job, events, self.webhooks_topic, self.public_url)
        self._hand_over_on_commit(session, events)

    def _hand_over_on_commit(self, session: AsyncSession, events: list[JobEvent]) -> None:
        """Hand `events` to `_committed` once the session's transaction commits; drop them on a rollback."""
        sync = session.sync_session
        pending = sync.info.get(_PENDING)
        if pending is None:
            pending = sync.info[_PENDING] = _Pending(self, sync)
        pending.events.extend(events)

    def _committed(self, events: Sequence[JobEvent]) -> None:
        """Wake the outbox relay (it publishes the events now rather than at its next sweep) and tell the
        observers. Called by `record`'s commit hook, so never before the events are durable."""
        self._relay.kick()
        for observe in self._observers:
            observe(events)


class _Pending:
    """The events recorded in one session's current transaction, until it commits (handed to the effects) or
    rolls back (dropped). Hooked on the session itself, so no caller has to remember to wake the relay; the
    hooks stay for the session's life (listeners cannot be removed while SQLAlchemy runs them)."""

    def __init__(self, effects: JobEffects, sync: Session) -> None:
        self.effects = effects
        self.events: list[JobEvent] = []
        sa_event.listen(sync, "after_commit", self.commit)
        sa_event.listen(sync, "after_rollback", self.rollback)

    def commit(self, sync: Session) -> None:
        events, self.events = self.events, []
        if events:
            self.effects._committed(events)

    def rollback(self, sync: Session) -> None:
        self.events = []
