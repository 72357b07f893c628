"""Faust's aiokafka transport with one fix: a rebalance rewinds partitions that have nothing committed yet
(and Faust's livelock check leaves alone a partition whose rewind has not landed yet).

Why it is needed. When a rebalance interrupts a fetch, Faust drops the records it had fetched but not yet
handed to an agent, and counts on seeking every assigned partition back to its committed offset to fetch them
again. aiokafka's `seek_to_committed` leaves a partition where it is when its committed offset is None or 0
(aio-libs/aiokafka#1003, open), so on a partition the group never committed on, the dropped records were
skipped for good. The chaos suite caught it: a worker was killed before it committed anything on one usage
partition, three usage events landed there, and the worker that took the partition over started at offset 3,
so three completed jobs were never metered.

The fix seeks such partitions to their beginning, which is what the consumer's `auto_offset_reset="earliest"`
means for a partition without a committed offset. Records the consumer had already handed over before the
rebalance come again; every consumer here is idempotent by event id, which is the at-least-once contract
Kafka gives anyway. Hand-written because it is a one-method subclass of the library's own classes, not a
replacement for them.
"""

from __future__ import annotations

from collections.abc import Mapping

import faust
from aiokafka import AIOKafkaConsumer, TopicPartition
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP, TransportT


async def seek_to_committed_or_beginning(consumer: AIOKafkaConsumer) -> dict[TopicPartition, int | None]:
    """Seek every assigned partition to its committed offset, and to its first offset where none (or 0) is
    committed; returns the committed offsets as aiokafka's `seek_to_committed` does."""
    committed: dict[TopicPartition, int | None] = await consumer.seek_to_committed()
    uncommitted = [tp for tp, offset in committed.items() if not offset]
    if uncommitted:
        await consumer.seek_to_beginning(*uncommitted)
    return committed


class RewindingConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    async def seek_to_committed(self) -> Mapping[TP, int]:
        return await self.call_thread(seek_to_committed_or_beginning, self._ensure_consumer())

    def verify_event_path(self, now: float, tp: TP) -> None:
        """Faust's livelock check, skipped for a partition that has no position yet.

        A partition sent back to its beginning has no position until aiokafka's fetcher has asked a broker for
        that offset, which takes a while when a broker was just killed. Faust's check reads `position`, which
        aiokafka asserts is set: the AssertionError crashed a worker in the chaos suite (3 brokers, one
        restarted) and left its jobs to the reaper with no worker alive. The check only logs slow streams, so
        skipping a partition for one round loses nothing."""
        state = self._ensure_consumer()._fetcher._subscriptions.subscription.assignment.state_value(
            TopicPartition(tp.topic, tp.partition))
        if state is not None and not state.has_valid_position:
            return None
        return super().verify_event_path(now, tp)


class RewindingConsumer(faust_aiokafka.Consumer):
    def _new_consumer_thread(self) -> faust_aiokafka.AIOKafkaConsumerThread:
        return RewindingConsumerThread(self, loop=self.loop, beacon=self.beacon)


class RewindingTransport(faust_aiokafka.Transport):
    """The `kafka://` transport, with `RewindingConsumer` as its consumer."""

    Consumer = RewindingConsumer


class RewindingApp(faust.App):
    """A Faust app whose consumer uses `RewindingTransport` (its producer keeps Faust's own transport)."""

    def _new_transport(self) -> TransportT:
        return RewindingTransport(self.conf.broker_consumer, self)
