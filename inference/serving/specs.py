"""What the Serve applications look like for a given `InferenceConfig`: names, versions, replica options.

Pure functions (no Ray import), so the GPU layouts are checked by unit tests on a machine without a GPU and
the same numbers reach `serve.run` (the worker) and a RayService manifest (docs/inference.md).

Sizing is decided once, by whichever process deploys an application, from the cluster it sees; every other
worker only takes a handle. That is the fix for issue 14: before, each worker sized its own pool to the whole
cluster, so two workers on two CPUs each held one of their two actors and waited forever for the second.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from inference.config import InferenceConfig

ASR_DEPLOYMENT = "Asr"
DIARIZATION_DEPLOYMENT = "Diarizer"
DIARIZATION_APP = "parlance-diarization"
ASR_APP_PREFIX = "parlance-asr-"
# Requests a replica may hold: a full batch being decoded plus the next one gathering behind it.
ASR_ONGOING_PER_BATCH = 2


@dataclass(frozen=True, slots=True)
class AsrLayout:
    """Replica count (or autoscaling bounds) and CTranslate2 threads per replica."""

    min_replicas: int
    max_replicas: int
    threads: int

    @property
    def autoscaling(self) -> bool:
        return self.max_replicas > self.min_replicas


def asr_layout(cfg: InferenceConfig, cluster_cpus: float, cluster_gpus: float) -> AsrLayout:
    """Replicas for one ASR application, decided by the deployer from the cluster it joined or started.

    GPU: one replica per `gpus_per_actor` share of the cluster's GPUs (0.25 -> four per GPU), 2 CPU threads
    each (feature extraction). CPU: one single-threaded replica per core up to 4 cores, then 2 threads per
    replica so a big box doesn't hold one model copy per core. Measured on the 2-core dev box (tiny.en int8,
    batch 8, beam 5): 2 x 1 thread was 0.95 x plain faster-whisper on a 10-min file, 1 x 2 threads 1.01 x;
    two processes decoding different batches beat CTranslate2's intra-op threading on 2 cores.
    `asr_max_replicas` > the minimum turns on Serve autoscaling between the two.
    """
    if cfg.gpus_per_actor > 0:
        threads = cfg.asr_threads_per_actor or 2
        replicas = cfg.num_asr_actors or max(1, int(cluster_gpus // cfg.gpus_per_actor))
    else:
        cpus = max(1, int(cluster_cpus))
        threads = cfg.asr_threads_per_actor or (1 if cpus <= 4 else 2)
        replicas = cfg.num_asr_actors or max(1, cpus // threads)
    if cfg.asr_max_replicas:
        low = cfg.num_asr_actors or 1
        return AsrLayout(low, max(low, cfg.asr_max_replicas), threads)
    return AsrLayout(replicas, replicas, threads)


def asr_device(cfg: InferenceConfig) -> tuple[str, str]:
    """(device, compute_type) the replica loads with: float16 replaces int8 on CUDA (int8 is the CPU default)."""
    device = cfg.device
    if device == "auto":
        device = "cuda" if cfg.gpus_per_actor > 0 else "cpu"
    compute = cfg.compute_type
    if device == "cuda" and compute == "int8":
        compute = "float16"
    return device, compute


def asr_app_name(model: str) -> str:
    """One application per model: a readable slug, plus a digest when the slug had to drop characters
    (two model directories must never share an application)."""
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", model).strip("-").lower()[:40] or "model"
    if slug != model.lower():
        slug = f"{slug}-{hashlib.sha256(model.encode()).hexdigest()[:8]}"
    return ASR_APP_PREFIX + slug


def asr_init_args(cfg: InferenceConfig, model: str, threads: int) -> dict[str, Any]:
    """The replica constructor's arguments (plain data: they travel to the cluster and into a manifest)."""
    device, compute = asr_device(cfg)
    return {
        "model_name": model,
        "cache_dir": str(cfg.model_cache_dir),
        "device": device,
        "compute_type": compute,
        "cpu_threads": threads,
        "batch_size": cfg.batch_size,
        "beam_size": cfg.beam_size,
        "max_batch_clips": cfg.asr_max_batch_clips,
        "batch_wait_s": cfg.asr_batch_wait_s,
    }


def asr_deployment_options(cfg: InferenceConfig, model: str, layout: AsrLayout) -> dict[str, Any]:
    """`Deployment.options(...)` for one model: resources, and replicas or autoscaling bounds.

    Serve versions deployments itself (code + config; Ray 2.60 removed `version=`): deploying the same
    options and arguments again keeps the running replicas, other arguments roll them gracefully.
    """
    actor: dict[str, Any] = {"num_cpus": cfg.asr_cpus_per_replica}
    if cfg.gpus_per_actor > 0:
        actor["num_gpus"] = cfg.gpus_per_actor
    options: dict[str, Any] = {
        "name": ASR_DEPLOYMENT,
        "ray_actor_options": actor,
        "max_ongoing_requests": cfg.asr_max_batch_clips * ASR_ONGOING_PER_BATCH,
    }
    if layout.autoscaling:
        options["autoscaling_config"] = {
            "min_replicas": layout.min_replicas,
            "max_replicas": layout.max_replicas,
            "initial_replicas": layout.min_replicas,
            "target_ongoing_requests": cfg.asr_max_batch_clips,
        }
    else:
        options["num_replicas"] = layout.min_replicas
    return options


def diarization_init_args(cfg: InferenceConfig, node_cpus: int) -> dict[str, Any]:
    """`DiarizerSettings` as a dict; on CPU with no thread count, torch takes half a node's cores."""
    from inference.diarization.diarizer import DiarizerSettings

    settings = DiarizerSettings.from_inference_config(cfg)
    if settings.threads == 0 and settings.device == "cpu":
        settings = settings.model_copy(update={"threads": max(1, node_cpus // 2)})
    return settings.model_dump()


def diarization_deployment_options(cfg: InferenceConfig) -> dict[str, Any]:
    """One request at a time per replica (a pyannote pipeline is not re-entrant); Serve queues the rest
    at the callers' routers and hands them to whichever replica frees up first."""
    actor: dict[str, Any] = {"num_cpus": cfg.diarization_threads_per_actor}
    if cfg.gpus_per_diarization_actor > 0:
        actor["num_gpus"] = cfg.gpus_per_diarization_actor
    return {
        "name": DIARIZATION_DEPLOYMENT,
        "ray_actor_options": actor,
        "num_replicas": cfg.num_diarization_actors,
        "max_ongoing_requests": 1,
    }

