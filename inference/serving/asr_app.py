"""The ASR Serve application: one per model, replicas shared by every worker, clips of many jobs per batch.

A caller sends one `ClipRequest` per clip through a deployment handle; `@serve.batch` gathers up to
`max_batch_clips` requests from any jobs (waiting at most `batch_wait_s` for the batch to fill) and
`AsrWorker.transcribe_mixed` decodes them, grouped by options so each job keeps its language and hotwords.
The audio itself never travels with a request: each job's samples are `ray.put` once by its worker, and the
request carries the reference (inside a dataclass, so Serve hands it over unresolved); the replica reads the
samples from the node's object store, zero-copy.

RayService (docs/inference.md): `import_path: inference.serving.asr_app:build`, `args` = `AsrAppArgs`.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict
from ray import serve

from inference.asr import AsrWorker, MixedClip, SegmentDict
from inference.decode import SAMPLE_RATE


@dataclass(frozen=True, slots=True)
class ClipRequest:
    """One clip of one job: the job's audio (an ObjectRef), the clip's span in seconds and the job's options."""

    audio: Any
    start_s: float
    end_s: float
    language: str
    hotwords: str | None = None
    speech: tuple[tuple[float, float], ...] = ()  # the clip's VAD regions (job time), for the quality guard


@serve.deployment(name="Asr")
class AsrReplica:
    """Loads the model once (constructor); `transcribe` is the batched entry point, `describe` says what it
    loaded (workers compare it with their settings before reusing a running application)."""

    def __init__(
        self,
        model_name: str,
        cache_dir: str,
        device: str,
        compute_type: str,
        cpu_threads: int,
        batch_size: int,
        beam_size: int,
        max_batch_clips: int,
        batch_wait_s: float,
    ) -> None:
        self.engine = AsrWorker(model_name, cache_dir, device, compute_type, cpu_threads)
        self.batch_size = batch_size
        self.beam_size = beam_size
        self.transcribe.set_max_batch_size(max_batch_clips)
        self.transcribe.set_batch_wait_timeout_s(batch_wait_s)
        self.args = {
            "model_name": model_name, "cache_dir": cache_dir, "device": device, "compute_type": compute_type,
            "cpu_threads": cpu_threads, "batch_size": batch_size, "beam_size": beam_size,
            "max_batch_clips": max_batch_clips, "batch_wait_s": batch_wait_s,
        }

    def describe(self) -> dict[str, Any]:
        return {**self.args, "pid": os.getpid()}

    async def detect_language(self, audio: Any, start_s: float) -> tuple[str, float]:
        """Language of the 30 s from `start_s`; one request per job that names no language (not batched)."""
        samples = await _resolve(audio)
        return await asyncio.to_thread(self.engine.detect_language, samples, start_s)

    @serve.batch(max_batch_size=8, batch_wait_timeout_s=0.05)
    async def transcribe(self, requests: list[ClipRequest]) -> list[list[SegmentDict]]:
        """Segments of each request's clip, in its job's time. Decoding runs in a thread so the replica's loop
        keeps gathering the next batch meanwhile (one batch decodes at a time: max_concurrent_batches=1)."""
        arrays: dict[Any, np.ndarray] = {}
        for request in requests:
            if request.audio not in arrays:
                arrays[request.audio] = await _resolve(request.audio)
        clips = []
        for request in requests:
            audio = arrays[request.audio]
            first, last = int(request.start_s * SAMPLE_RATE), int(request.end_s * SAMPLE_RATE)
            clips.append(MixedClip(audio[first:last], request.start_s, request.language, request.hotwords, request.speech))
        return await asyncio.to_thread(self.engine.transcribe_mixed, clips, self.batch_size, self.beam_size)


async def _resolve(audio: Any) -> np.ndarray:
    import ray

    if isinstance(audio, ray.ObjectRef):
        return await audio
    return np.asarray(audio, dtype=np.float32)


class AsrAppArgs(BaseModel):
    """Arguments of `build` (RayService `args`): the replica constructor's, see `specs.asr_init_args`."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    model_name: str = "tiny.en"
    cache_dir: str = os.path.expanduser("~/.cache/parlance/models")
    device: str = "cpu"
    compute_type: str = "int8"
    cpu_threads: int = 0
    batch_size: int = 8
    beam_size: int = 5
    max_batch_clips: int = 8
    batch_wait_s: float = 0.05


def build(args: AsrAppArgs) -> Any:
    """Application builder for declarative deployments (`serve run` / RayService `import_path`)."""
    return AsrReplica.bind(**args.model_dump())
