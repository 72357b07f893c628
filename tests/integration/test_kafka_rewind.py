"""The rewind after a rebalance, on the real broker: a partition with nothing committed goes back to its start.

This is what lost three usage events in the chaos suite (streams/kafka_transport.py has the story): Faust
drops records fetched across a rebalance and seeks back to the committed offsets, and aiokafka alone does not
move a partition that has no committed offset.
"""

from __future__ import annotations

import asyncio
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.structs import OffsetAndMetadata

from streams.kafka_transport import seek_to_committed_or_beginning
from tests.support.kafka_janitor import scratch_prefix


async def _topic_with(bootstrap: str, values: list[bytes]) -> str:
    topic = f"{scratch_prefix('test')}rewind"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value, partition=0)
    finally:
        await producer.stop()
    return topic


async def _read_all(consumer: AIOKafkaConsumer, tp: TopicPartition, count: int) -> list[bytes]:
    values: list[bytes] = []
    for _ in range(50):
        batch = await consumer.getmany(tp, timeout_ms=200)
        values += [record.value for record in batch.get(tp, [])]
        if len(values) >= count:
            break
    return values


async def _scenario(bootstrap: str, commit_at: int | None) -> tuple[int, int, int]:
    """Read all three records, then seek: returns (position after reading, after the library's seek to
    committed, after ours)."""
    values = [b"usage-0", b"usage-1", b"usage-2"]
    topic = await _topic_with(bootstrap, values)
    tp = TopicPartition(topic, 0)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=f"rewind-{uuid.uuid4().hex[:8]}",
        enable_auto_commit=False, auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        consumer.assign([tp])
        if commit_at is not None:
            await consumer.commit({tp: OffsetAndMetadata(commit_at, "")})
            # The first position may have been reset to the earliest offset before the commit landed: start
            # reading at the commit explicitly, so the test does not race the consumer's own start.
            consumer.seek(tp, commit_at)
        assert await _read_all(consumer, tp, 3 - (commit_at or 0)) == values[commit_at or 0 :]
        read = await consumer.position(tp)
        await consumer.seek_to_committed()
        library = await consumer.position(tp)
        await seek_to_committed_or_beginning(consumer)
        ours = await consumer.position(tp)
        again = await _read_all(consumer, tp, 3 - (commit_at or 0))
        assert again == values[commit_at or 0 :], "the records dropped across the rebalance come again"
        return read, library, ours
    finally:
        await consumer.stop()


def test_partition_never_committed_is_rewound_to_its_start(kafka_bootstrap: str) -> None:
    read, library, ours = asyncio.run(_scenario(kafka_bootstrap, commit_at=None))
    assert read == 3
    assert library == 3, "aiokafka left it at 3 (aiokafka#1003); if it now rewinds, the fix can go"
    assert ours == 0


def test_partition_committed_at_zero_is_rewound_to_its_start(kafka_bootstrap: str) -> None:
    read, _library, ours = asyncio.run(_scenario(kafka_bootstrap, commit_at=0))
    assert (read, ours) == (3, 0)


def test_partition_with_a_commit_goes_back_to_it(kafka_bootstrap: str) -> None:
    read, library, ours = asyncio.run(_scenario(kafka_bootstrap, commit_at=2))
    assert (read, library, ours) == (3, 2, 2)
