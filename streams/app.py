"""The Faust worker app: consumes job events and hands them to the orchestrator."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from faust.serializers import codecs
from faust.types import StreamT

from metering.clickhouse import ClickHouseClients
from metering.sink import attach_usage_sink
from schemas.codec import register_codec
from schemas.events import JobEvent
from streams import topics
from store.sweep import sweep_orphans
from streams.kafka_transport import RewindingApp
from streams.reaper import JobReaper, ReaperPolicy
from streams.renders import attach_render_agent
from streams.resources import WorkerResources
from streams.settings import WorkerSettings
from streams.webhooks import WebhookDispatcher, attach_webhook_dispatcher

log = logging.getLogger(__name__)


class Companion(Protocol):
    """Something that lives as long as the worker in the same process (e.g. the API under `parlance up`)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class WorkerApp(RewindingApp):
    """A Faust app that opens the worker's resources before its agents start and closes them after."""

    def __init__(self, settings: WorkerSettings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.parlance_settings = settings
        self.resources = WorkerResources(settings)
        self.companions: list[Companion] = []
        self.webhooks: WebhookDispatcher | None = None
        self.reaper: JobReaper | None = None

    async def on_start(self) -> None:
        await super().on_start()
        await self.resources.start()
        s = self.parlance_settings
        assert self.resources.sessions is not None and self.resources.effects is not None
        self.webhooks = WebhookDispatcher(
            self.resources.sessions,
            timeout_s=s.webhook_timeout_s,
            max_retries=s.webhook_max_retries,
            backoff_s=s.webhook_backoff_s,
            allow_private_urls=s.allow_private_urls,
        )
        self.reaper = JobReaper(
            self.resources.sessions,
            self.resources.effects,
            ReaperPolicy(max_attempts=s.job_max_attempts, queued_grace_s=s.queued_grace_s, pending_ttl_s=s.upload_url_ttl_s),
        )
        for companion in self.companions:
            await companion.start()

    async def on_stop(self) -> None:
        for companion in reversed(self.companions):
            await companion.stop()
        await super().on_stop()  # stops consuming first, so no event arrives after resources close
        if self.webhooks is not None:
            await self.webhooks.close()
        await self.resources.stop()


def create_app(settings: WorkerSettings) -> WorkerApp:
    codec_name = register_codec()
    app = WorkerApp(
        settings,
        id=settings.consumer_group(),
        broker=f"kafka://{settings.kafka_bootstrap}",
        # Topics are created by streams.topics with explicit partitions and configs, never by Faust.
        topic_allow_declare=False,
        topic_disable_leader=True,
        web_enabled=False,
        consumer_auto_offset_reset="earliest",
        # A job can take minutes; Faust keeps polling (heartbeats) while agents work, this bounds a stuck one.
        broker_max_poll_interval=3600.0,
        # A dead worker's partitions move within seconds; with a stable instance id a restarted worker gets its
        # own back without any rebalance. Jobs in flight need no protection from either: see streams/reaper.py.
        broker_session_timeout=settings.kafka_session_timeout_s,
        broker_heartbeat_interval=settings.kafka_heartbeat_interval_s,
        consumer_group_instance_id=settings.worker_instance_id,
        # After a rebalance, a partition with nothing committed is rewound (streams/kafka_transport.py), which
        # asks its leader for the first offset. When the leader has moved (a broker restarted, then Kafka's
        # preferred-leader election moved partitions back to it), the old leader answers NOT_LEADER, and
        # aiokafka 0.14 retries the same broker every 100 ms without re-reading metadata
        # (Fetcher._update_fetch_positions); meanwhile it fetches nothing from that broker, jobs included. Only
        # the periodic metadata refresh ends it: aiokafka's default 5 min stalled every job on that broker in the
        # chaos suite. This bounds the stall to the refresh interval.
        consumer_metadata_max_age_ms=int(settings.kafka_metadata_max_age_s * 1000),
        # A rebalance does not wait for running jobs (they take minutes): claims and leases make a redelivered
        # job.queued harmless, so the revoked worker keeps running its job and the new owner ignores it.
        stream_wait_empty=False,
        datadir=str(settings.data_dir / "faust"),
    )
    prefix = settings.kafka_topic_prefix
    # Raw bytes in, decoded by our registered codec inside the agent: Faust raises decode errors inside the
    # agent's stream (crashing it), and one bad message must go to the DLQ while the agent keeps running.
    jobs_topic = app.topic(
        topics.topic_name(topics.JOBS_EVENTS, prefix),
        key_serializer="raw",
        value_serializer="raw",
        partitions=next(t.partitions for t in topics.TOPICS if t.name == topics.JOBS_EVENTS),
    )
    dlq_topic = app.topic(topics.topic_name(topics.DLQ, prefix), key_serializer="raw", value_serializer="raw")
    event_codec = codecs.get_codec(codec_name)

    usage_topic_name = topics.topic_name(topics.USAGE, prefix)

    async def send_to_dlq(source: str, key: bytes | None, value: bytes, reason: str) -> None:
        headers = [("x-parlance-error", reason[:1000].encode()), ("x-parlance-source", source.encode())]
        await dlq_topic.send(key=key, value=value, headers=headers)

    async def to_dlq(key: bytes | None, value: bytes, reason: str) -> None:
        await send_to_dlq(jobs_topic.get_topic_name(), key, value, reason)

    async def usage_to_dlq(key: bytes | None, value: bytes, reason: str) -> None:
        await send_to_dlq(usage_topic_name, key, value, reason)

    def clickhouse() -> ClickHouseClients:
        assert app.resources.clickhouse is not None, "resources start before agents"
        return app.resources.clickhouse

    # buffer → ClickHouse (dedup by event id) → then ack: see metering/sink.py.
    attach_usage_sink(
        app,
        usage_topic_name,
        clickhouse,
        max_events=settings.usage_batch_max_events,
        max_wait_ms=settings.usage_batch_max_wait_ms,
        partitions=next(t.partitions for t in topics.TOPICS if t.name == topics.USAGE),
        on_undecodable=usage_to_dlq,
    )

    webhooks_topic_name = topics.topic_name(topics.WEBHOOKS, prefix)

    async def webhooks_to_dlq(key: bytes | None, value: bytes, reason: str) -> None:
        await send_to_dlq(webhooks_topic_name, key, value, reason)

    def dispatcher() -> WebhookDispatcher:
        assert app.webhooks is not None, "resources start before agents"
        return app.webhooks

    # Signed POSTs with retries; a delivery row per (event, endpoint): see streams/webhooks.py.
    attach_webhook_dispatcher(
        app,
        webhooks_topic_name,
        dispatcher,
        partitions=next(t.partitions for t in topics.TOPICS if t.name == topics.WEBHOOKS),
        concurrency=settings.webhook_concurrency,
        on_undecodable=webhooks_to_dlq,
    )

    attach_render_agent(app, prefix, send_to_dlq)  # quote clips and cards: streams/renders.py

    @app.timer(interval=settings.reaper_interval_s)
    async def reap_stranded_jobs() -> None:
        # Every worker sweeps (no leader needed): see streams/reaper.py for why concurrent sweeps are safe.
        reaper = app.reaper
        if reaper is not None:
            try:
                await reaper.sweep()
            except Exception:  # noqa: BLE001 - a database hiccup: the next tick tries again
                log.exception("reaper sweep failed")
        copies = app.resources.listening_copies
        if copies is not None:
            try:
                await copies.sweep_expired()  # acts at most once an hour (streams/listening_copy.py)
            except Exception:  # noqa: BLE001 - the next tick tries again
                log.exception("listening copy sweep failed")

    @app.timer(interval=settings.orphan_sweep_interval_s, on_leader=True)
    async def sweep_orphaned_objects() -> None:
        # Listing the store costs a request per 1000 objects: one worker (the group's leader) sweeps, hourly.
        sessions = app.resources.sessions
        if sessions is not None:
            try:
                await sweep_orphans(sessions, app.resources.objects)
            except Exception:  # noqa: BLE001 - the store or the database was away: the next tick tries again
                log.exception("orphan sweep failed")

    @app.agent(jobs_topic, concurrency=settings.max_concurrent_jobs)
    async def orchestrate(stream: StreamT[bytes]) -> None:
        async for message_key, raw in stream.items():
            try:
                event: JobEvent = event_codec.loads(raw)
            except Exception as exc:  # noqa: BLE001 - undecodable: keep it with the reason, move on
                log.error("undecodable event (key=%r): %s", message_key, exc)
                await to_dlq(message_key, raw, f"decode: {exc}")
                continue
            orchestrator = app.resources.orchestrator
            assert orchestrator is not None, "resources start before agents"
            try:
                await orchestrator.handle(event)
            except Exception as exc:  # noqa: BLE001 - one bad event must not stop the agent
                log.exception("event %s (%s) failed; sent to the DLQ", event.event_id, event.type)
                await to_dlq(message_key, raw, f"handle: {exc!r}")

    return app
