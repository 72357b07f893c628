"""The worker's Faust app consumes through the rewinding transport (the broker-side check is
tests/integration/test_kafka_rewind.py)."""

from __future__ import annotations

import asyncio

from streams.app import WorkerApp
from streams.kafka_transport import RewindingApp, RewindingConsumerThread, RewindingTransport


def test_worker_app_consumes_through_the_rewinding_transport() -> None:
    assert issubclass(WorkerApp, RewindingApp)

    async def consumer_thread_type() -> type:
        app = RewindingApp("parlance-unit", broker="kafka://127.0.0.1:1")
        assert isinstance(app.transport, RewindingTransport)
        return type(app.consumer._thread)

    assert asyncio.run(consumer_thread_type()) is RewindingConsumerThread


def test_the_livelock_check_skips_a_partition_not_rewound_yet(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A partition awaiting its reset has no position, which aiokafka asserts on when Faust's check reads it (a
    worker crashed so in the chaos suite); one with a position is checked as before."""
    from types import SimpleNamespace

    from aiokafka import TopicPartition
    from aiokafka.consumer.subscription_state import SubscriptionState
    from faust.transport.drivers import aiokafka as faust_aiokafka
    from faust.types import TP

    checked: list[TP] = []
    monkeypatch.setattr(faust_aiokafka.AIOKafkaConsumerThread, "verify_event_path",
                        lambda self, now, tp: checked.append(tp))

    async def check() -> None:  # aiokafka's partition state makes futures, so it needs a running loop
        subscriptions = SubscriptionState()
        subscriptions.assign_from_user({TopicPartition("t", 0)})
        state = subscriptions.subscription.assignment.state_value(TopicPartition("t", 0))
        thread = object.__new__(RewindingConsumerThread)
        consumer = SimpleNamespace(_fetcher=SimpleNamespace(_subscriptions=subscriptions))
        thread._ensure_consumer = lambda: consumer  # type: ignore[method-assign]
        state.await_reset(1)  # what seek_to_beginning does
        assert thread.verify_event_path(0.0, TP("t", 0)) is None and checked == []
        state.seek(5)
        thread.verify_event_path(0.0, TP("t", 0))
        assert checked == [TP("t", 0)]

    asyncio.run(check())


def test_the_worker_consumer_rereads_partition_leaders_every_few_seconds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """aiokafka re-reads leaders only on its metadata refresh when an offset lookup meets NOT_LEADER, and stops
    fetching from that broker meanwhile (streams/app.py): the worker's refresh is seconds, not Kafka's 5 min."""
    from streams.app import create_app
    from streams.settings import WorkerSettings

    async def consumer_max_age_ms() -> tuple[int, int]:
        app = create_app(WorkerSettings(data_dir=tmp_path, kafka_bootstrap="127.0.0.1:1"))
        consumer = app.consumer._thread._create_worker_consumer(app.transport)
        return app.conf.consumer_metadata_max_age_ms, consumer._client._metadata_max_age_ms

    assert asyncio.run(consumer_max_age_ms()) == (15_000, 15_000)
