"""The orphan sweep on both object stores, against a real job store: what no job will read again goes, what a
job still needs (a failed job's media, a pending job's upload, results, anything fresh) stays."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from store.models import Job
from store.objects import ObjectStore
from store.sweep import sweep_orphans
from tests.integration.helpers import database, new_queued_job


async def test_sweep_deletes_only_what_no_job_needs(object_store: ObjectStore, sqlite_url: str) -> None:
    async with database(sqlite_url) as sessions:
        queued = await new_queued_job(sessions, "t", media_key=None)
        done = await new_queued_job(sessions, "t", media_key=None)
        failed = await new_queued_job(sessions, "t", media_key=None)
        pending = await new_queued_job(sessions, "t", media_key=None)
        values = {
            queued.id: {"status": "queued", "media_key": f"media/{queued.id}/source"},
            done.id: {"status": "completed", "media_key": f"media/{done.id}/source"},
            failed.id: {"status": "failed", "media_key": f"media/{failed.id}/source"},
            pending.id: {"status": "pending", "media_key": None},
        }
        async with sessions.begin() as session:
            for job_id, row in values.items():
                await session.execute(update(Job).where(Job.id == job_id).values(**row))
        gone = str(uuid.uuid4())
        keep = [
            f"media/{queued.id}/source",
            f"media/{failed.id}/source",  # a retry reads it
            f"media/{pending.id}/upload",  # the client's upload, before POST .../uploaded
            f"results/{done.id}/transcript.json",
            f"results/{done.id}/listening.ogg",
        ]
        orphans = [
            f"media/{gone}/source",  # stored, then the API died before the row committed
            f"results/{gone}/transcript.json",  # the job was deleted by hand
            f"media/{done.id}/source",  # completion crashed before its delete
            f"media/{failed.id}/upload",  # a second PUT after the upload was accepted
        ]
        for key in keep + orphans:
            await object_store.put_bytes(key, b"x")

        fresh = await sweep_orphans(sessions, object_store)  # everything is younger than an hour
        assert fresh.deleted == [] and fresh.listed == len(keep + orphans)

        later = datetime.now(timezone.utc) + timedelta(hours=2)
        report = await sweep_orphans(sessions, object_store, now=later)
        assert sorted(report.deleted) == sorted(orphans)
        left = sorted([i.key for p in ("media", "results") async for i in object_store.list(p)])
        assert left == sorted(keep)
