"""The diarization Serve application: pyannote pipelines in replicas shared by every worker of the cluster.

One request is one recording (pyannote's segmentation and embedding steps run over the whole file inside one
replica; their batches are chunks of that file). Replicas take one request at a time (`max_ongoing_requests`
1, specs.py): a pyannote pipeline is not re-entrant, and Serve's routers queue the rest and hand each to the
first free replica, whichever worker sent it. Progress streams back on the same call (a generator response),
so it reaches the caller from whichever replica took the job: `{"progress": f}` items, then `{"turns": [...]}`.

Memory per request is bounded by the file, not by the number of jobs: the waveform plus CAM++ frame features
(docs/diarization.md: ~600 MB for 60 min), one request per replica at a time.

RayService: `import_path: inference.serving.diarization_app:build`, `args` = `DiarizerSettings` fields.
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from ray import serve

from inference.diarization.diarizer import DiarizerSettings
from inference.diarization.worker import DiarizationWorker

POLL_S = 0.5


@dataclass(frozen=True, slots=True)
class DiarizeRequest:
    """16 kHz audio as an ObjectRef (mono, or (channels, samples) for channel mode) and the job's options."""

    audio: Any
    options: dict[str, Any]


@serve.deployment(name="Diarizer")
class DiarizationReplica:
    def __init__(self, **settings: Any) -> None:
        from inference.diarization.quiet import TELEMETRY_ENV

        os.environ[TELEMETRY_ENV] = "false"  # before pyannote is imported in this replica (quiet.py)
        self.worker = DiarizationWorker(settings)
        self.settings = {k: v for k, v in settings.items() if k != "token"}
        self._lock = threading.Lock()  # belt and braces: max_ongoing_requests is 1 already

    def describe(self) -> dict[str, Any]:
        return {**self.settings, "pid": os.getpid()}

    async def diarize(self, request: DiarizeRequest) -> AsyncIterator[dict[str, Any]]:
        """Progress fractions every 0.5 s while pyannote runs, then the turns (plain dicts)."""
        import ray

        audio = request.audio
        if isinstance(audio, ray.ObjectRef):
            audio = await audio
        request_id = uuid.uuid4().hex

        def run() -> list[Any]:
            with self._lock:
                return self.worker.diarize(np.asarray(audio) if not isinstance(audio, np.ndarray) else audio,
                                           request.options, request_id)

        task = asyncio.ensure_future(asyncio.to_thread(run))
        last = -1.0
        while not task.done():
            await asyncio.wait([task], timeout=POLL_S)
            fraction = self.worker.progress(request_id)
            if fraction is not None and fraction > last:
                last = fraction
                yield {"progress": fraction}
        yield {"turns": task.result()}


def build(args: dict[str, Any]) -> Any:
    """Application builder for declarative deployments (`serve run` / RayService `import_path`)."""
    return DiarizationReplica.bind(**DiarizerSettings.model_validate(args).model_dump())
