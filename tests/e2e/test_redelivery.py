"""Redelivery and garbage on the real broker, against the running worker."""

from __future__ import annotations

import asyncio
import time

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import TopicPartition

from streams import topics
from tests.e2e.conftest import Stack, wait_for_job
from tests.integration.helpers import read_events
from tests.support.samples import sample_wav


async def _produce(bootstrap: str, topic: str, key: bytes, value: bytes) -> tuple[int, int]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        meta = await producer.send_and_wait(topic, value=value, key=key)
        return meta.partition, meta.offset
    finally:
        await producer.stop()


async def _wait_consumed(bootstrap: str, group: str, topic: str, partition: int, offset: int, timeout_s: float = 60) -> None:
    """Wait until the worker's consumer group committed past `offset` (it has handled that message)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            offsets = await admin.list_consumer_group_offsets(group)
            committed = offsets.get(TopicPartition(topic, partition))
            if committed is not None and committed.offset > offset:
                return
            await asyncio.sleep(0.5)
        raise AssertionError(f"worker did not consume {topic}[{partition}]@{offset} in {timeout_s}s")
    finally:
        await admin.close()


def _count(events: list, job_id: str, type_: str) -> int:
    return sum(1 for e in events if e.job_id == job_id and e.type == type_)


async def test_redelivered_queued_event_does_not_run_the_job_again(stack: Stack) -> None:
    key = stack.new_key()
    with stack.client(key) as client, sample_wav().open("rb") as fh:
        job_id = client.post("/v1/jobs", files={"file": ("sample.wav", fh, "audio/wav")}).json()["data"]["id"]
        job, _ = await asyncio.to_thread(wait_for_job, client, job_id)
    assert job["status"] == "completed"

    topic = topics.topic_name(topics.JOBS_EVENTS, stack.topic_prefix)
    history = await read_events(stack.kafka_bootstrap, topic, expect=10_000, timeout_s=5)
    original = next(e for e in history if e.job_id == job_id and e.type == "job.queued")
    # Kafka redelivers the very same bytes (same event id) after a rebalance or a crash before commit.
    partition, offset = await _produce(stack.kafka_bootstrap, topic, job_id.encode(), original.model_dump_json().encode())
    await _wait_consumed(stack.kafka_bootstrap, stack.env["PARLANCE_FAUST_APP_ID"], topic, partition, offset)

    after = await read_events(stack.kafka_bootstrap, topic, expect=10_000, timeout_s=5)
    assert _count(after, job_id, "job.stage_started") == _count(history, job_id, "job.stage_started") == 2
    assert _count(after, job_id, "job.completed") == 1
    with stack.client(key) as client:
        assert client.get(f"/v1/jobs/{job_id}").json()["data"]["status"] == "completed"


async def test_undecodable_event_goes_to_the_dlq_and_the_worker_keeps_going(stack: Stack) -> None:
    topic = topics.topic_name(topics.JOBS_EVENTS, stack.topic_prefix)
    dlq = topics.topic_name(topics.DLQ, stack.topic_prefix)
    partition, offset = await _produce(stack.kafka_bootstrap, topic, b"junk-key", b"\x00not an event")
    await _wait_consumed(stack.kafka_bootstrap, stack.env["PARLANCE_FAUST_APP_ID"], topic, partition, offset)

    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(dlq, bootstrap_servers=stack.kafka_bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    junk: list = []
    try:
        deadline = time.monotonic() + 20
        while not junk and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=1000)
            junk += [m for ms in batch.values() for m in ms if m.key == b"junk-key"]
    finally:
        await consumer.stop()
    assert junk and junk[0].value == b"\x00not an event"
    assert dict(junk[0].headers)["x-parlance-error"]

    key = stack.new_key()
    with stack.client(key) as client, sample_wav().open("rb") as fh:
        job_id = client.post("/v1/jobs", files={"file": ("sample.wav", fh, "audio/wav")}).json()["data"]["id"]
        job, _ = await asyncio.to_thread(wait_for_job, client, job_id)
    assert job["status"] == "completed"
