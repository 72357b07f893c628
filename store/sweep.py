"""The orphan sweep: objects that no job will ever read again, which the normal paths could not delete.

The normal paths delete as they go (docs/design.md, "Object store"): a completed or canceled job's media, a
refused upload, a deleted job's media and results. What they cannot catch is a crash between a row and its
object (media stored, then the process dies before the job row commits), a second PUT to a presigned upload
URL after the upload was accepted, or an upload to a job that expired. This sweep lists the store, asks the
job store about the jobs the keys name, and deletes:

- any object under `media/<job>/` or `results/<job>/` whose job does not exist;
- media of a completed or canceled job (its transcript exists or it will never run);
- media of any other non-pending job that is not the job's own `media_key` (strays; a failed job keeps its
  media for a retry).

Objects younger than `min_age` are left alone: the multipart upload path stores the media *before* the job row
commits. Listing costs one request per 1000 objects on S3, so run it hourly, not per job:
`python -m store.sweep` (a Kubernetes CronJob, or a worker's timer).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schemas.events import JobStatus
from schemas.settings import CommonSettings
from store.db import create_engine, create_sessionmaker
from store.models import Job
from store.objects import open_object_store
from store.objects.base import ObjectInfo, ObjectStore

log = logging.getLogger(__name__)

PREFIXES = ("media", "results")
_DONE = {JobStatus.completed, JobStatus.canceled}
_BATCH = 500


@dataclass
class SweepReport:
    listed: int = 0
    deleted: list[str] = field(default_factory=list)


def _orphan(info: ObjectInfo, job: Job | None) -> bool:
    if job is None:
        return True
    if not info.key.startswith("media/") or job.status == JobStatus.pending:
        return False  # results live until their job is deleted; a pending job's upload is on its way
    return job.status in _DONE or info.key != job.media_key


async def _judge(
    sessions: async_sessionmaker[AsyncSession], objects: ObjectStore, batch: list[ObjectInfo], report: SweepReport
) -> None:
    ids = {info.key.split("/")[1] for info in batch}
    async with sessions() as session:
        jobs = {job.id: job for job in (await session.execute(select(Job).where(Job.id.in_(ids)))).scalars()}
    for info in batch:
        if _orphan(info, jobs.get(info.key.split("/")[1])):
            await objects.delete(info.key)
            report.deleted.append(info.key)


async def sweep_orphans(
    sessions: async_sessionmaker[AsyncSession],
    objects: ObjectStore,
    *,
    min_age: timedelta = timedelta(hours=1),
    now: datetime | None = None,
) -> SweepReport:
    cutoff = (now or datetime.now(timezone.utc)) - min_age
    report = SweepReport()
    for prefix in PREFIXES:
        batch: list[ObjectInfo] = []
        async for info in objects.list(prefix):
            report.listed += 1
            if info.modified <= cutoff and info.key.count("/") >= 2:
                batch.append(info)
            if len(batch) >= _BATCH:
                await _judge(sessions, objects, batch, report)
                batch = []
        if batch:
            await _judge(sessions, objects, batch, report)
    if report.deleted:
        log.info("orphan sweep: %d objects listed, %d deleted", report.listed, len(report.deleted))
    return report


async def _main() -> None:
    settings = CommonSettings()
    engine = create_engine(settings.resolved_database_url())
    try:
        report = await sweep_orphans(create_sessionmaker(engine), open_object_store(settings))
    finally:
        await engine.dispose()
    print(f"listed {report.listed} objects, deleted {len(report.deleted)} orphans")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(_main())
