"""What a worker process holds open: database, object store, outbox relay, ClickHouse, Ray (Serve handles) and the
ASR pipeline."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from inference.config import InferenceConfig
from inference.diarization.stage import DiarizationStage
from inference.pipeline import TranscriptionPipeline
from inference.runtime import RayRuntime
from metering.clickhouse import ClickHouseClients
from metering.quota import QuotaService
from metering.runtime import open_clickhouse
from store.db import create_engine, create_sessionmaker, migrate
from store.objects import open_object_store
from store.outbox import OutboxRelay
from streams import topics
from streams.analysis_stage import AnalysisStage, analyzer_config
from streams.billing import JobMetering
from streams.fetch import FetchSettings
from streams.orchestrator import Orchestrator
from streams.publisher import KafkaPublisher
from streams.settings import WorkerSettings

log = logging.getLogger(__name__)


def inference_config(settings: WorkerSettings) -> InferenceConfig:
    extra: dict[str, object] = {"model_cache_dir": settings.model_cache_dir} if settings.model_cache_dir else {}
    if settings.diarization_segmentation_step is not None:
        extra["diarization_segmentation_step"] = settings.diarization_segmentation_step
    return InferenceConfig(
        asr_model=settings.asr_model,
        allowed_models=settings.allowed_models,
        device=settings.device,  # type: ignore[arg-type]  # validated by InferenceConfig
        compute_type=settings.compute_type,
        num_asr_actors=settings.num_asr_actors,
        asr_max_replicas=settings.asr_max_replicas,
        asr_threads_per_actor=settings.asr_threads_per_actor,
        asr_cpus_per_replica=settings.asr_cpus_per_replica,
        gpus_per_actor=settings.gpus_per_actor,
        batch_size=settings.asr_batch_size,
        asr_max_batch_clips=settings.asr_max_batch_clips,
        asr_batch_wait_s=settings.asr_batch_wait_s,
        ray_address=settings.ray_address,
        ray_num_cpus=settings.ray_num_cpus,
        ray_object_store_bytes=settings.ray_object_store_bytes,
        diarization_model=settings.diarization_model,
        diarization_token=settings.diarization_token,
        diarization_device=settings.diarization_device,  # type: ignore[arg-type]  # validated by InferenceConfig
        num_diarization_actors=settings.num_diarization_actors,
        diarization_threads_per_actor=settings.diarization_threads_per_actor,
        gpus_per_diarization_actor=settings.gpus_per_diarization_actor,
        **extra,
    )


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
        self.orchestrator = Orchestrator(
            self.sessions,
            self.objects,
            self.pipeline,
            events_topic=topics.topic_name(topics.JOBS_EVENTS, s.kafka_topic_prefix),
            owner=s.worker_id,
            lease_s=s.job_lease_s,
            on_commit=self.relay.kick,
            metering=JobMetering(self.quota, topics.topic_name(topics.USAGE, s.kafka_topic_prefix)),
            diarizer=self.diarization,
            media_fetch=FetchSettings.from_settings(s),
            analysis=AnalysisStage(analyzer_config(s), self.clickhouse),
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
