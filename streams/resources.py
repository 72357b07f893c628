"""What a worker process holds open: database, object store, outbox relay, ClickHouse, Ray (Serve handles) and the
ASR pipeline."""

from __future__ import annotations

import asyncio
import functools
import logging

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from inference.config import InferenceConfig
from inference.diarization.stage import DiarizationStage
from inference.pipeline import TranscriptionPipeline
from inference.runtime import RayRuntime
from jobs.billing import JobBilling
from jobs.effects import JobEffects
from metering.clickhouse import ClickHouseClients
from metering.quota import QuotaService
from metering.runtime import open_clickhouse
from store.db import create_engine, create_sessionmaker, migrate
from store.objects import open_object_store
from store.outbox import OutboxRelay
from streams import topics
from streams.analysis_stage import AnalysisStage, ClickHouseCallFacts, analyzer_config, load_analyzer
from streams.fetch import FetchSettings
from streams.listening_copy import ListeningCopies
from streams.metrics import observe_committed
from streams.orchestrator import Orchestrator
from streams.publisher import KafkaPublisher
from streams.settings import WorkerSettings

log = logging.getLogger(__name__)


# WorkerSettings names its inference knobs as InferenceConfig does, except this one (the env name says which batch).
# The config is the settings' values of those names: a new knob is a field in each class and no line here.
_RENAMED = {"asr_batch_size": "batch_size"}


def inference_config(settings: WorkerSettings) -> InferenceConfig:
    """The one settings → InferenceConfig path. A setting left None (cache dir, segmentation step, Ray address...)
    keeps InferenceConfig's default."""
    names = set(InferenceConfig.model_fields)
    values = {_RENAMED.get(k, k): v for k, v in settings.model_dump().items() if _RENAMED.get(k, k) in names}
    return InferenceConfig.model_validate({k: v for k, v in values.items() if v is not None})


class WorkerResources:
    def __init__(self, settings: WorkerSettings) -> None:
        self.settings = settings
        self.engine: AsyncEngine | None = None
        self.sessions: async_sessionmaker[AsyncSession] | None = None
        self.objects = open_object_store(settings)
        self.publisher = KafkaPublisher(settings.kafka_bootstrap, client_id=f"parlance-worker-{settings.worker_id}")
        config = inference_config(settings)
        self.runtime = RayRuntime(config)
        self.pipeline = TranscriptionPipeline(self.runtime, config)
        # The Serve applications are deployed (or found running) on the first job that needs each one.
        self.diarization = DiarizationStage(self.runtime, config)
        self.relay: OutboxRelay | None = None
        self.orchestrator: Orchestrator | None = None
        self.effects: JobEffects | None = None
        self.listening_copies: ListeningCopies | None = None
        # Under `parlance up` the embedded API uses these same clients: one process, one chDB directory.
        self.clickhouse: ClickHouseClients | None = None
        self.quota: QuotaService | None = None

    async def start(self) -> None:
        s = self.settings
        url = s.resolved_database_url()
        await migrate(url)
        self.engine = create_engine(url)
        self.sessions = create_sessionmaker(self.engine)
        self.clickhouse = await asyncio.to_thread(
            open_clickhouse, s.resolved_clickhouse_url(), s.data_dir, s.clickhouse_database
        )
        self.quota = QuotaService(self.clickhouse)
        await topics.ensure_topics(s.kafka_bootstrap, s.kafka_topic_prefix, s.topic_replication_factor)
        await self.publisher.start()
        self.relay = OutboxRelay(self.sessions, self.publisher.send)
        self.relay.start()
        self.runtime.start()  # Ray + Serve (on this thread: ray.init wants it); applications come with the first job
        # The worker's one JobEffects: the orchestrator and the reaper record every transition through it.
        self.effects = JobEffects(
            events_topic=topics.topic_name(topics.JOBS_EVENTS, s.kafka_topic_prefix),
            billing=JobBilling(self.quota, topics.topic_name(topics.USAGE, s.kafka_topic_prefix)),
            webhooks_topic=topics.topic_name(topics.WEBHOOKS, s.kafka_topic_prefix),
            public_url=s.public_url,
            relay=self.relay,
            observers=(observe_committed,),
        )
        self.listening_copies = ListeningCopies(self.objects, self.sessions, s.listening_copy_retention_days)
        self.orchestrator = Orchestrator(
            self.sessions,
            self.objects,
            self.pipeline,
            effects=self.effects,
            owner=s.worker_id,
            lease_s=s.job_lease_s,
            diarizer=self.diarization,
            media_fetch=FetchSettings.from_settings(s),
            analysis=AnalysisStage(
                load=functools.partial(load_analyzer, analyzer_config(s)), call_facts=ClickHouseCallFacts(self.clickhouse)
            ),
            listening_copies=self.listening_copies,
        )
        log.info("worker %s ready", s.worker_id)

    async def stop(self) -> None:
        await self.pipeline.close()
        self.diarization.stop()
        self.runtime.stop()
        if self.relay is not None:
            await self.relay.stop()
        await self.publisher.stop()
        if self.engine is not None:
            await self.engine.dispose()
        if self.clickhouse is not None:
            self.clickhouse.close()
