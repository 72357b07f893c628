"""The metering sink: buffer usage events → write them to ClickHouse with a dedup key → only then commit.

The order is the whole point (OpenMeter's sink does the same): an offset is committed only for events that
are in ClickHouse, so a crash loses nothing, and a redelivered event is dropped by its event_id, so a crash
never counts anything twice. `UsageSink` is plain asyncio, independent of Faust; `attach_usage_sink` wires it
to a Faust agent with manual acks.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from metering.clickhouse import ClickHouseClients
from metering.events import UsageDecodeError, UsageRecorded, decode_usage
from metering.usage import batch_token, insert_arrow_block, stored_event_ids, usage_arrow

if TYPE_CHECKING:
    import pyarrow as pa

log = logging.getLogger(__name__)

WriteFn = Callable[[list[UsageRecorded]], Awaitable[int]]
CommitFn = Callable[[list[Any]], Awaitable[None]]


class ClickHouseUsageWriter:
    """Idempotent batch write: drop ids seen in the batch or already stored, insert the rest.

    The existence probe catches redelivery after a crash between insert and commit (the new batch may be cut
    differently, so its token alone would not match); the insert token catches a retried insert whose first
    attempt did land. Both are needed; neither needs a transaction.

    A large batch goes in as blocks of `chunk_rows`, and while one block is being inserted (chDB and the
    ClickHouse HTTP client both release the GIL) the next one is converted to Arrow (which holds it), so the
    two cores work at once (docs/metering.md has the figures). The probe runs once
    for the whole batch before the first block (the blocks are disjoint after the in-batch dedup), so a crash
    between blocks is the ordinary crash-before-commit case: the redelivered batch finds the landed blocks'
    ids and skips them.
    """

    def __init__(self, clients: ClickHouseClients, *, chunk_rows: int = 50_000) -> None:
        if chunk_rows < 1:
            raise ValueError("chunk_rows >= 1")
        self.clients = clients
        self.chunk_rows = chunk_rows
        self._inserter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="usage-insert")

    def new_events(self, events: Sequence[UsageRecorded]) -> list[UsageRecorded]:
        """The batch without in-batch repeats (first copy wins) and without events ClickHouse already holds."""
        ids = [e.event_id for e in events]
        unique: Sequence[UsageRecorded] = events
        if len(set(ids)) != len(ids):  # rare (a redelivery inside one batch)
            unique = list({e.event_id: e for e in reversed(events)}.values())[::-1]
        times = [e.occurred_at for e in unique]
        stored = stored_event_ids(self.clients.get(), min(times), max(times))
        return [e for e in unique if e.event_id not in stored] if stored else list(unique)

    def _insert(self, table: "pa.Table", token: str) -> None:
        insert_arrow_block(self.clients.get(), table, token)

    def write_sync(self, events: Sequence[UsageRecorded]) -> int:
        if not events:
            return 0
        new = self.new_events(events)
        pending: Future[None] | None = None
        try:
            for start in range(0, len(new), self.chunk_rows):
                chunk = new[start : start + self.chunk_rows]
                table, token = usage_arrow(chunk), batch_token([e.event_id for e in chunk])
                if pending is not None:
                    pending.result()  # one block in flight: blocks land in order, errors surface here
                pending = self._inserter.submit(self._insert, table, token)
        finally:
            if pending is not None:
                pending.result()
        return len(new)

    def close(self) -> None:
        self._inserter.shutdown(wait=True)

    async def __call__(self, events: list[UsageRecorded]) -> int:
        return await asyncio.to_thread(self.write_sync, events)


class UsageSink:
    """Batches events; flushes at `max_events` or when the oldest buffered event is `max_wait_ms` old.

    `commit(offsets)` gets the offsets (any tokens the caller passed to `add`) of a flushed batch and is called
    only after `write` returned. If `write` raises, the batch stays buffered and nothing is committed; the
    next flush retries it.
    """

    def __init__(
        self,
        write: WriteFn,
        commit: CommitFn,
        *,
        max_events: int = 1000,
        max_wait_ms: float = 500.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_events < 1 or max_wait_ms <= 0:
            raise ValueError("max_events >= 1 and max_wait_ms > 0")
        self._write = write
        self._commit = commit
        self.max_events = max_events
        self.max_wait_s = max_wait_ms / 1000.0
        self._clock = clock
        self._events: list[UsageRecorded] = []
        self._offsets: list[Any] = []
        self._first_at: float | None = None
        self._lock = asyncio.Lock()
        self.written = 0  # events newly stored (duplicates excluded), for metrics and tests

    def __len__(self) -> int:
        return len(self._events)

    def due(self) -> bool:
        if not self._events:
            return False
        return len(self._events) >= self.max_events or (
            self._first_at is not None and self._clock() - self._first_at >= self.max_wait_s
        )

    async def add(self, event: UsageRecorded, offset: Any = None) -> int:
        """Buffer one event; flush if that made the batch full or old. Returns events written by a flush."""
        if self._first_at is None:
            self._first_at = self._clock()
        self._events.append(event)
        self._offsets.append(offset)
        return await self.flush() if self.due() else 0

    async def flush(self) -> int:
        async with self._lock:
            if not self._events:
                return 0
            events, offsets = list(self._events), list(self._offsets)
            written = await self._write(events)  # raises → buffer kept, nothing committed
            # Events added while we awaited the write stay buffered for the next batch.
            del self._events[: len(events)]
            del self._offsets[: len(offsets)]
            self._first_at = self._clock() if self._events else None
            self.written += written
            await self._commit(offsets)
            return written

    async def run_timer(self, retry_s: float = 1.0) -> None:
        """Flush on age until cancelled; a failed write is logged and retried (backpressure, never a skip)."""
        while True:
            wait = self.max_wait_s
            if self._first_at is not None:
                wait = max(0.0, self._first_at + self.max_wait_s - self._clock())
            await asyncio.sleep(min(wait, self.max_wait_s) or 0.001)
            if self.due():
                try:
                    await self.flush()
                except Exception:  # noqa: BLE001 - keep the batch, retry later
                    log.exception("usage batch write failed; retrying in %.1fs", retry_s)
                    await asyncio.sleep(retry_s)


def attach_usage_sink(
    app: Any,
    topic_name: str,
    clients: Callable[[], ClickHouseClients],
    *,
    max_events: int = 1000,
    max_wait_ms: float = 500.0,
    partitions: int = 6,
    on_undecodable: Callable[[bytes | None, bytes, str], Awaitable[None]] | None = None,
) -> Any:
    """Register the `metering_usage_sink` agent on a Faust app; returns the agent.

    `clients` is called lazily (resources open in `on_start`, after agents are declared). Acks are manual
    (`stream.noack()`): an event is acked only after its batch is in ClickHouse, and Faust commits acked
    offsets. `on_undecodable(key, value, reason)` receives bad messages (e.g. the DLQ sender); they are acked.
    """
    topic = app.topic(topic_name, key_serializer="raw", value_serializer="raw", partitions=partitions)

    @app.agent(topic, name="metering_usage_sink")
    async def metering_usage_sink(stream: Any) -> None:
        manual = stream.noack()

        async def ack(events: list[Any]) -> None:
            for event in events:
                await manual.ack(event)

        sink = UsageSink(_retrying(ClickHouseUsageWriter(clients())), ack, max_events=max_events, max_wait_ms=max_wait_ms)
        timer = asyncio.ensure_future(sink.run_timer())
        try:
            async for event in manual.events():
                try:
                    usage = decode_usage(event.value)
                except UsageDecodeError as exc:
                    log.error("undecodable usage event (key=%r): %s", event.key, exc)
                    if on_undecodable is not None:
                        await on_undecodable(event.key, event.value, f"decode: {exc}")
                    await manual.ack(event)
                    continue
                await sink.add(usage, event)
        finally:
            timer.cancel()

    return metering_usage_sink


def _retrying(write: WriteFn, first_delay_s: float = 0.5, max_delay_s: float = 30.0) -> WriteFn:
    """Retry a failed batch write forever with backoff: skipping it would lose usage, crashing the agent would
    not help (the batch comes back anyway). Cancellation (shutdown) leaves the batch unacked for redelivery."""

    async def write_until_done(events: list[UsageRecorded]) -> int:
        delay = first_delay_s
        while True:
            try:
                return await write(events)
            except Exception:  # noqa: BLE001
                log.exception("usage batch of %d events failed; retrying in %.1fs", len(events), delay)
                await asyncio.sleep(delay)
                delay = min(max_delay_s, delay * 2)

    return write_until_done
