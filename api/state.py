"""What the API process holds open, created in the lifespan and reached through dependencies."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from typing import TYPE_CHECKING

from api.captions.quota import CaptionRunQuota
from api.settings import ApiSettings
from jobs.effects import JobEffects
from metering.clickhouse import ClickHouseClients
from metering.quota import QuotaService
from store.objects import ObjectStore
from store.outbox import OutboxRelay
from streams.publisher import KafkaPublisher

if TYPE_CHECKING:
    from api.ratelimit import RateLimiter


@dataclass
class ApiState:
    settings: ApiSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    objects: ObjectStore
    publisher: KafkaPublisher
    relay: OutboxRelay
    events_topic: str
    clickhouse: ClickHouseClients
    quota: QuotaService
    caption_runs: CaptionRunQuota  # CaptionPass's daily conversions per account (api/captions/quota.py)
    jobs: JobEffects  # records job events with their effects (jobs/effects.py); the API's one instance
    webhooks_topic: str = ""
    limiter: "RateLimiter | None" = None
