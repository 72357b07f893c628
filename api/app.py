"""FastAPI app factory. Engines, the Kafka producer, the outbox relay and ClickHouse live in the lifespan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import health
from api.account.endpoints import router as account_router
from api.analytics.endpoints import router as analytics_router
from api.billing.endpoints import router as billing_router
from api.captions.endpoints import router as captions_router
from api.captions.quota import CaptionRunQuota
from api.quotes.endpoints import router as quotes_router
from api.quotes.renders import router as renders_router
from api.quotes.theme import router as theme_router
from api.console import install_console
from api.errors import ERROR_RESPONSES, install_error_handlers
from api.jobs.endpoints import router as jobs_router
from api.jobs.uploads import router as uploads_router
from api.jobs.exports import router as exports_router
from api.jobs.speakers import router as speakers_router
from api.keys.endpoints import router as keys_router
from api.logs import configure_logging, install_request_context
from api.metrics import install_metrics
from api.ratelimit import RateLimiter, install_rate_limit_headers
from api.webhooks.endpoints import router as webhooks_router
from api.settings import ApiSettings
from api.state import ApiState
from jobs.billing import JobBilling
from jobs.effects import JobEffects
from metering.clickhouse import ClickHouseClients
from metering.quota import QuotaService
from metering.runtime import open_clickhouse
from store.db import create_engine, create_sessionmaker, migrate
from store.objects import open_object_store
from store.outbox import OutboxRelay
from streams import topics
from streams.publisher import KafkaPublisher

log = logging.getLogger(__name__)


def create_app(
    settings: ApiSettings | None = None, *, clickhouse: Callable[[], ClickHouseClients | None] | None = None
) -> FastAPI:
    """`clickhouse`: clients owned by someone else in this process (the worker under `parlance up`), asked for
    at startup; the API then neither opens nor closes them. Without it the API opens its own."""
    settings = settings or ApiSettings()
    configure_logging(settings.log_format, settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_format, settings.log_level)  # again: uvicorn set up its loggers meanwhile
        url = settings.resolved_database_url()
        await migrate(url)
        engine = create_engine(url)
        sessions = create_sessionmaker(engine)
        shared = clickhouse() if clickhouse is not None else None
        if shared is None:
            try:
                ch = await asyncio.to_thread(
                    open_clickhouse, settings.resolved_clickhouse_url(), settings.data_dir, settings.clickhouse_database
                )
            except BaseException:
                await engine.dispose()
                raise
        else:
            ch = shared
        try:
            await topics.ensure_topics(
                settings.kafka_bootstrap, settings.kafka_topic_prefix, settings.topic_replication_factor
            )
        except Exception:  # noqa: BLE001 - jobs are still accepted; events wait in the outbox
            log.warning("Kafka unreachable at startup; events will be published once it is back", exc_info=True)
        publisher = KafkaPublisher(settings.kafka_bootstrap, client_id="parlance-api")
        relay = OutboxRelay(sessions, publisher.send)
        relay.start()
        quota = QuotaService(ch)
        webhooks_topic = topics.topic_name(topics.WEBHOOKS, settings.kafka_topic_prefix)
        job_effects = JobEffects(
            events_topic=topics.topic_name(topics.JOBS_EVENTS, settings.kafka_topic_prefix),
            billing=JobBilling(quota, topics.topic_name(topics.USAGE, settings.kafka_topic_prefix)),
            webhooks_topic=webhooks_topic,
            public_url=settings.public_url,
            relay=relay,
            observers=(),  # stage durations are the worker's
        )
        app.state.parlance = ApiState(
            settings=settings,
            engine=engine,
            sessions=sessions,
            objects=open_object_store(settings),
            publisher=publisher,
            relay=relay,
            events_topic=topics.topic_name(topics.JOBS_EVENTS, settings.kafka_topic_prefix),
            clickhouse=ch,
            quota=quota,
            caption_runs=CaptionRunQuota(settings.rate_limit_storage_url),
            jobs=job_effects,
            webhooks_topic=webhooks_topic,
            limiter=RateLimiter.from_settings(settings) if settings.rate_limit_enabled else None,
        )
        try:
            yield
        finally:
            await relay.stop()
            await publisher.stop()
            await engine.dispose()
            if shared is None:
                ch.close()

    app = FastAPI(
        title="Parlance",
        version="0.1.0",
        description="Speech-to-text jobs: upload media, follow the job, fetch the transcript.",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
    )
    install_error_handlers(app)
    install_rate_limit_headers(app)
    if settings.metrics_enabled:
        install_metrics(app)
    install_console(app)  # /console: the web console (its own security headers, session cookie)
    install_request_context(app)  # last added = outermost: every log line of the request carries its id
    app.include_router(jobs_router, prefix="/v1")
    app.include_router(uploads_router, prefix="/v1")
    app.include_router(exports_router, prefix="/v1")
    app.include_router(speakers_router, prefix="/v1")
    app.include_router(captions_router, prefix="/v1")
    app.include_router(quotes_router, prefix="/v1")
    app.include_router(renders_router, prefix="/v1")
    app.include_router(theme_router, prefix="/v1")
    app.include_router(billing_router, prefix="/v1")
    app.include_router(account_router, prefix="/v1")
    app.include_router(analytics_router, prefix="/v1")
    app.include_router(webhooks_router, prefix="/v1")
    app.include_router(keys_router, prefix="/v1")
    app.include_router(health.router)
    return app
