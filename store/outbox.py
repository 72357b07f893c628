"""Outbox relay: publishes events that were committed together with their row change.

Publishing happens right after commit (the relay is kicked), and a periodic sweep republishes anything a
crashed process left behind. Several processes may run a relay against one database: rows are claimed for a
short time before sending, and consumers are idempotent by event id, so the rare double send is harmless.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store.models import OutboxEvent
from store.types import utcnow

log = logging.getLogger(__name__)

SendFn = Callable[[str, str, bytes], Awaitable[None]]
"""(topic, key, value) -> awaits the broker's acknowledgement."""


def enqueue(session: AsyncSession, *, event_id: str, topic: str, key: str, value: bytes) -> OutboxEvent:
    """Add a non-job event (e.g. usage.recorded) to the outbox in the caller's transaction.

    Job events go through `jobs.effects.JobEffects.record`, which also projects them onto the job row.
    """
    row = OutboxEvent(event_id=event_id, topic=topic, key=key, value=value)
    session.add(row)
    return row


class OutboxRelay:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        send: SendFn,
        *,
        batch_size: int = 200,
        sweep_interval_s: float = 2.0,
        claim_s: float = 30.0,
    ) -> None:
        self._sessions = sessions
        self._send = send
        self._batch_size = batch_size
        self._sweep_interval_s = sweep_interval_s
        self._claim = timedelta(seconds=claim_s)
        self._owner = f"relay-{uuid.uuid4().hex[:12]}"
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def kick(self) -> None:
        """Ask the relay to publish now (called after a commit that added outbox rows)."""
        self._wakeup.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        # Last flush so a clean shutdown leaves nothing behind.
        try:
            await self.flush()
        except Exception:  # noqa: BLE001 - broker may already be gone; the next start sweeps it
            log.warning("outbox: final flush failed; rows stay for the next relay", exc_info=True)

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._wakeup.wait(), timeout=self._sweep_interval_s)
            except asyncio.TimeoutError:
                pass
            self._wakeup.clear()
            try:
                await self.flush()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - keep relaying; rows stay unpublished and are retried
                log.exception("outbox: publish failed, will retry")
                await asyncio.sleep(1.0)

    async def flush(self) -> int:
        """Publish every unpublished row in id order; returns how many were published."""
        total = 0
        while True:
            rows = await self._claim_batch()
            if not rows:
                return total
            published: list[int] = []
            try:
                for row in rows:  # in id order: one job's events keep their order on its partition
                    await self._send(row.topic, row.key, row.value)
                    published.append(row.id)
            finally:
                if published:
                    async with self._sessions.begin() as session:
                        await session.execute(
                            update(OutboxEvent)
                            .where(OutboxEvent.id.in_(published))
                            .values(published_at=utcnow(), claimed_by=None, claimed_until=None)
                        )
            total += len(published)

    async def _claim_batch(self) -> list[OutboxEvent]:
        now = utcnow()
        async with self._sessions.begin() as session:
            candidates = (
                select(OutboxEvent.id)
                .where(OutboxEvent.published_at.is_(None))
                .order_by(OutboxEvent.id)
                .limit(self._batch_size)
            )
            claimable = and_(
                OutboxEvent.published_at.is_(None),
                or_(OutboxEvent.claimed_until.is_(None), OutboxEvent.claimed_until < now),
            )
            await session.execute(
                update(OutboxEvent)
                .where(claimable, OutboxEvent.id.in_(candidates))
                .values(claimed_by=self._owner, claimed_until=now + self._claim)
                .execution_options(synchronize_session=False)
            )
        async with self._sessions() as session:
            result = await session.execute(
                select(OutboxEvent)
                .where(OutboxEvent.claimed_by == self._owner, OutboxEvent.published_at.is_(None))
                .order_by(OutboxEvent.id)
            )
            return list(result.scalars())
