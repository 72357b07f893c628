"""Every topic Parlance uses: names, keys, partitions and configs in one place.

Topics are created by the project (`ensure_topics`), never by broker auto-create, so partition counts and
retention are deliberate. The API imports only the names from here; it never imports Faust.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

log = logging.getLogger(__name__)

DAY_MS = 24 * 3600 * 1000

JOBS_EVENTS = "parlance.jobs.events"
USAGE = "parlance.usage"
WEBHOOKS = "parlance.webhooks"
DLQ = "parlance.dlq"
RENDERS = "parlance.renders"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    key: str
    partitions: int
    configs: dict[str, str] = field(default_factory=dict)


TOPICS: tuple[TopicSpec, ...] = (
    # 12 partitions: the unit of worker parallelism; one job's events stay ordered in one of them.
    TopicSpec(JOBS_EVENTS, "job_id", 12, {"retention.ms": str(7 * DAY_MS), "cleanup.policy": "delete"}),
    # Usage is the billing record: kept a month so the metering sink can be replayed after an incident.
    TopicSpec(USAGE, "account_id", 6, {"retention.ms": str(30 * DAY_MS), "cleanup.policy": "delete"}),
    TopicSpec(WEBHOOKS, "endpoint_id", 6, {"retention.ms": str(7 * DAY_MS), "cleanup.policy": "delete"}),
    TopicSpec(DLQ, "original key", 3, {"retention.ms": str(30 * DAY_MS), "cleanup.policy": "delete"}),
    # Quote clips and cards (quotes/render.py); keyed by batch id (bulk) or job id. A day: a render older than that
    # is stale (its quote shows `queued` and can be requested again).
    TopicSpec(RENDERS, "batch_id or job_id", 6, {"retention.ms": str(DAY_MS), "cleanup.policy": "delete"}),
)


def topic_name(base: str, prefix: str = "") -> str:
    return f"{prefix}{base}"


async def ensure_topics(bootstrap: str, prefix: str = "", replication_factor: int = 1) -> list[str]:
    """Create any missing topic with its explicit partitions and configs; returns the names created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="parlance-admin")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(
                name=topic_name(spec.name, prefix),
                num_partitions=spec.partitions,
                replication_factor=replication_factor,
                topic_configs={
                    **spec.configs,
                    "min.insync.replicas": str(min(2, replication_factor)),
                },
            )
            for spec in TOPICS
            if topic_name(spec.name, prefix) not in existing
        ]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # another process created them between list and create
            log.info("created topics %s", [t.name for t in missing])
        return [t.name for t in missing]
    finally:
        await admin.close()


async def delete_topics(bootstrap: str, names: list[str], batch: int = 200) -> list[str]:
    """Delete the named topics (in batches, so thousands fit the broker's request timeout); returns them.

    Used by throwaway stacks (tests, benchmarks) to remove what they created: a broker that keeps every
    scratch topic ever made spends minutes loading them at its next start.
    """
    if not names:
        return []
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="parlance-admin", request_timeout_ms=120_000)
    await admin.start()
    try:
        for i in range(0, len(names), batch):
            await admin.delete_topics(names[i : i + batch], timeout_ms=120_000)
        log.info("deleted %d topics", len(names))
        return names
    finally:
        await admin.close()


async def list_topics(bootstrap: str) -> list[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="parlance-admin")
    await admin.start()
    try:
        return sorted(await admin.list_topics())
    finally:
        await admin.close()


def topics_of_prefix(all_topics: list[str], prefix: str) -> list[str]:
    """The topics one stack with this prefix owns: its own (`<prefix>parlance.*`) and the ones Faust made for
    an app id built from the prefix (`parlance-<prefix stem>-__assignor-__leader`, changelogs)."""
    stem = prefix.rstrip(".")
    return [t for t in all_topics if t.startswith(prefix) or (stem and f"-{stem}-" in f"-{t}-" and not t.startswith("__"))]
