"""A Kafka producer for outbox relays (API and worker), with durable settings.

It connects lazily and reconnects after failures: the API must keep accepting jobs while the broker is
down (events wait in the outbox), so a missing broker is never a startup error.
"""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaProducer


class KafkaPublisher:
    def __init__(self, bootstrap: str, client_id: str) -> None:
        self._bootstrap = bootstrap
        self._client_id = client_id
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()

    async def _ensure(self) -> AIOKafkaProducer:
        async with self._lock:
            if self._producer is None:
                producer = AIOKafkaProducer(
                    bootstrap_servers=self._bootstrap,
                    client_id=self._client_id,
                    acks="all",
                    enable_idempotence=True,  # broker-side dedup of the producer's own retries
                    linger_ms=5,
                    request_timeout_ms=15000,
                )
                try:
                    await producer.start()
                except BaseException:
                    await producer.stop()
                    raise
                self._producer = producer
            return self._producer

    async def start(self) -> None:
        await self._ensure()

    async def stop(self) -> None:
        async with self._lock:
            if self._producer is not None:
                await self._producer.stop()
                self._producer = None

    async def send(self, topic: str, key: str, value: bytes) -> None:
        producer = await self._ensure()
        await producer.send_and_wait(topic, value=value, key=key.encode())

    async def ping(self, topic: str, timeout_s: float = 3.0) -> bool:
        """True when the broker answers and knows the topic (readiness)."""
        try:
            producer = await asyncio.wait_for(self._ensure(), timeout_s)
            partitions = await asyncio.wait_for(producer.partitions_for(topic), timeout_s)
            return bool(partitions)
        except Exception:  # noqa: BLE001 - readiness reports, never raises
            return False
