"""Row and event are written together; the relay publishes to the real broker, also after a crash."""

from __future__ import annotations

from sqlalchemy import func, select

from store.models import OutboxEvent
from store.outbox import OutboxRelay
from streams import topics
from streams.publisher import KafkaPublisher
from tests.integration.helpers import database, new_queued_job, read_events


async def test_events_committed_before_a_crash_are_published_by_the_next_relay(
    db_url: str, kafka_bootstrap: str, topic_prefix: str
) -> None:
    await topics.ensure_topics(kafka_bootstrap, topic_prefix)
    topic = topics.topic_name(topics.JOBS_EVENTS, topic_prefix)
    async with database(db_url) as sessions:
        # The "API" commits row + events and dies before publishing: nothing reached Kafka yet.
        job = await new_queued_job(sessions, topic)
        async with sessions() as session:
            pending = await session.scalar(select(func.count()).where(OutboxEvent.published_at.is_(None)))
        assert pending == 2

        # A new process starts its relay: the sweep publishes what the dead one left.
        publisher = KafkaPublisher(kafka_bootstrap, client_id="test")
        relay = OutboxRelay(sessions, publisher.send)
        try:
            assert await relay.flush() == 2
            assert await relay.flush() == 0  # published rows are not sent again
        finally:
            await publisher.stop()

    events = await read_events(kafka_bootstrap, topic, expect=2)
    assert [e.type for e in events] == ["job.created", "job.queued"]
    assert {e.job_id for e in events} == {job.id}


async def test_topics_are_created_with_explicit_partitions(kafka_bootstrap: str, topic_prefix: str) -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    created = await topics.ensure_topics(kafka_bootstrap, topic_prefix)
    assert len(created) == len(topics.TOPICS)
    assert await topics.ensure_topics(kafka_bootstrap, topic_prefix) == []  # idempotent
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics([topics.topic_name(t.name, topic_prefix) for t in topics.TOPICS])
        partitions = {d["topic"]: len(d["partitions"]) for d in described}
    finally:
        await admin.close()
    assert partitions == {topics.topic_name(t.name, topic_prefix): t.partitions for t in topics.TOPICS}
