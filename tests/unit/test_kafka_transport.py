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
