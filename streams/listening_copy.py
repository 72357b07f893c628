"""A small listening copy of a finished job's audio, for the console's transcript player.

The source media is deleted once a job completes (docs/api.md promises it), but a reviewer wants to hear the
call while reading its transcript. So, just before the source goes, the worker encodes a mono Opus/Ogg copy at
~24 kbit/s (a 30-minute call is ~5 MB, speech stays perfectly intelligible) and keeps it for
`PARLANCE_LISTENING_COPY_RETENTION_DAYS` (default 7; 0 keeps none).

The key is derived from the job id only and lives under the job's `results/<job>/` prefix, so deleting a job
(which removes that prefix) deletes its listening copy with no extra code; `sweep_expired` removes copies older
than the retention. A copy that cannot be made is logged and skipped: it is a convenience, never a reason to
fail a job whose transcript is already stored.
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schemas.events import JobStatus
from store.models import Job

if TYPE_CHECKING:
    from store.objects import ObjectStore

log = logging.getLogger(__name__)

SAMPLE_RATE = 24_000  # Opus "super-wideband": all of speech's useful band, half the bits of 48 kHz
BIT_RATE = 24_000
CONTENT_TYPE = "audio/ogg"


def listening_key(job_id: str) -> str:
    """Under the job's results prefix: job deletion (`delete_prefix('results/<job>')`) takes it along."""
    return f"results/{job_id}/listening.ogg"


def encode_opus(media: Path, max_seconds: float | None = None) -> bytes:
    """Decode any audio/video PyAV reads and return mono Opus in Ogg at BIT_RATE. CPU-bound: run in a thread."""
    import av  # heavy, worker-only

    out_buf = io.BytesIO()
    with av.open(str(media)) as src, av.open(out_buf, mode="w", format="ogg") as dst:
        if not src.streams.audio:
            raise ValueError("no audio stream")
        stream = dst.add_stream("libopus", rate=SAMPLE_RATE)
        stream.bit_rate = BIT_RATE
        stream.layout = "mono"
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        for frame in src.decode(src.streams.audio[0]):
            if max_seconds is not None and frame.time is not None and frame.time > max_seconds:
                break
            for resampled in resampler.resample(frame):
                for packet in stream.encode(resampled):
                    dst.mux(packet)
        for resampled in resampler.resample(None):
            for packet in stream.encode(resampled):
                dst.mux(packet)
        for packet in stream.encode(None):
            dst.mux(packet)
    return out_buf.getvalue()


class ListeningCopies:
    """Writes a job's listening copy and sweeps expired ones. One per worker (built in streams/app.py)."""

    def __init__(
        self,
        objects: "ObjectStore",
        sessions: async_sessionmaker[AsyncSession],
        retention_days: float,
        *,
        sweep_every_s: float = 3600.0,
        sweep_window: timedelta = timedelta(days=2),
    ) -> None:
        self._objects = objects
        self._sessions = sessions
        self.retention_days = retention_days
        # The sweep asks the job store (no object listing needed, which S3 charges for): completed jobs whose
        # copy's retention ended within `sweep_window`, at most once per `sweep_every_s`. A worker down for
        # longer than the window leaves older copies behind until their job is deleted.
        self._sweep_every_s = sweep_every_s
        self._sweep_window = sweep_window
        self._last_sweep = float("-inf")

    @property
    def enabled(self) -> bool:
        return self.retention_days > 0

    async def write(self, job_id: str, media_key: str | None) -> None:
        """Encode the job's source media into its listening copy; never raises (a convenience copy must never
        fail a job)."""
        if not self.enabled or media_key is None:
            return
        try:
            if not await self._objects.exists(media_key):
                return
            async with self._objects.local_copy(media_key) as media:  # the file itself locally, a scratch copy on S3
                await self.write_file(job_id, media)
        except Exception as exc:  # noqa: BLE001 - see the docstring
            log.warning("job %s: no listening copy (%s: %s)", job_id, type(exc).__name__, exc)

    async def write_file(self, job_id: str, media: Path) -> None:
        """The same from a local file the caller holds (the worker's decoding copy: S3 media is not fetched
        twice); never raises."""
        if not self.enabled:
            return
        try:
            t0 = time.monotonic()
            data = await asyncio.to_thread(encode_opus, media)
            await self._objects.put_bytes(listening_key(job_id), data)
            log.info("job %s: listening copy kept (%d bytes, %.2f s)", job_id, len(data), time.monotonic() - t0)
        except Exception as exc:  # noqa: BLE001 - see write()
            log.warning("job %s: no listening copy (%s: %s)", job_id, type(exc).__name__, exc)

    async def sweep_expired(self, now: datetime | None = None, *, force: bool = False) -> int:
        """Delete listening copies of jobs completed more than the retention ago; returns how many were tried.

        Called from the reaper's timer on every worker; it acts at most once per `sweep_every_s` (deleting an
        absent object is a no-op, so two workers sweeping the same jobs is harmless)."""
        if not self.enabled:
            return 0
        mono = time.monotonic()
        if not force and mono - self._last_sweep < self._sweep_every_s:
            return 0
        self._last_sweep = mono
        cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=self.retention_days)
        async with self._sessions() as session:
            rows = await session.execute(
                select(Job.id).where(
                    Job.status == JobStatus.completed,
                    Job.completed_at < cutoff,
                    Job.completed_at >= cutoff - self._sweep_window,
                )
            )
            job_ids = list(rows.scalars())
        for job_id in job_ids:
            await self._objects.delete(listening_key(job_id))
        if job_ids:
            log.info("listening copies past %g days swept: %d jobs", self.retention_days, len(job_ids))
        return len(job_ids)
