"""One diarization interface over pyannote.audio 4 pipelines: the project's offline pipeline or any pyannote
pipeline (a Hub id such as `pyannote/speaker-diarization-community-1` with a token, or a local directory).

`Diarizer` takes 16 kHz mono float32 numpy audio (the project decodes with PyAV; pyannote's own file reading
through torchcodec is never used) and returns plain turn dicts, so it serves the Ray actor, scripts and tests.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any, TypedDict

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from inference.decode import SAMPLE_RATE
from inference.diarization.offline import OfflinePipelineConfig
from inference.diarization.progress import ProgressHook

log = logging.getLogger(__name__)

OFFLINE = "offline"
# Below this, pyannote's 10 s windows see too little speech to embed: such input yields no turns (see tests).
MIN_AUDIO_S = 0.1


class Turn(TypedDict):
    start: float
    end: float
    speaker: str


class DiarizerSettings(BaseModel):
    """What the diarizer needs from `InferenceConfig` (built by `from_inference_config`)."""

    model_config = ConfigDict(extra="forbid")

    model: str = OFFLINE
    token: str | None = Field(default=None, repr=False)
    device: str = "cpu"
    segmentation_step: float = 0.1
    batch_size: int = 16
    threads: int = 0

    @classmethod
    def from_inference_config(cls, cfg: Any) -> DiarizerSettings:
        device = cfg.diarization_device
        if device == "auto":
            device = "cuda" if cfg.gpus_per_diarization_actor > 0 else "cpu"
        return cls(
            model=cfg.diarization_model,
            token=cfg.diarization_token,
            device=device,
            segmentation_step=cfg.diarization_segmentation_step,
            batch_size=cfg.diarization_batch_size,
            threads=cfg.diarization_threads_per_actor,
        )


class Diarizer:
    """Loads the pipeline once; `diarize` may be called for many recordings (one at a time)."""

    def __init__(self, settings: DiarizerSettings | None = None) -> None:
        from inference.diarization.quiet import import_pyannote

        import_pyannote()
        import torch

        self.settings = settings or DiarizerSettings()
        if self.settings.threads > 0:
            torch.set_num_threads(self.settings.threads)
        self.device = torch.device(self.settings.device)
        if self.settings.model == OFFLINE:
            from inference.diarization.offline import build_offline_pipeline

            config = OfflinePipelineConfig(
                segmentation_step=self.settings.segmentation_step, batch_size=self.settings.batch_size
            )
            self.pipeline = build_offline_pipeline(config, device=self.settings.device)
        else:
            self.pipeline = _load_pretrained(self.settings.model, self.settings.token, self.device)
            for attr in ("segmentation_batch_size", "embedding_batch_size"):
                if hasattr(self.pipeline, attr):
                    setattr(self.pipeline, attr, self.settings.batch_size)
        self._vad: Any = None

    def diarize(
        self,
        audio: np.ndarray,
        num_speakers: int | None = None,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
        on_progress: Callable[[float], None] | None = None,
    ) -> list[Turn]:
        """Speaker turns (seconds, overlapping speech kept as overlapping turns) of 16 kHz mono audio."""
        import torch

        hook = ProgressHook(on_progress)
        samples = np.ascontiguousarray(audio, dtype=np.float32).reshape(-1)
        if samples.shape[0] < MIN_AUDIO_S * SAMPLE_RATE or not np.any(samples):
            hook.finish()
            return []
        file = {"waveform": torch.from_numpy(samples)[None], "sample_rate": SAMPLE_RATE, "uri": "audio"}
        output = self.pipeline(
            file, num_speakers=num_speakers, min_speakers=min_speakers, max_speakers=max_speakers, hook=hook
        )
        annotation = getattr(output, "speaker_diarization", output)
        hook.finish()
        return _turns(annotation, samples.shape[0] / SAMPLE_RATE)

    def diarize_channels(
        self, channels: np.ndarray, on_progress: Callable[[float], None] | None = None
    ) -> list[Turn]:
        """One party per channel (stereo call recordings): speech activity of each channel is that party's.

        Runs only the segmentation model per channel (pyannote's VoiceActivityDetection), no clustering.
        Cross-talk bleeding into the other channel at low level is below the model's speech threshold in
        practice; where both channels speak at once the turns overlap, as they do in the call.
        """
        import torch

        data = np.atleast_2d(np.asarray(channels, dtype=np.float32))
        turns: list[Turn] = []
        vad = self._voice_activity()
        for index, signal in enumerate(data):
            if signal.shape[0] >= MIN_AUDIO_S * SAMPLE_RATE and np.any(signal):
                file = {"waveform": torch.from_numpy(np.ascontiguousarray(signal))[None], "sample_rate": SAMPLE_RATE}
                speech = vad(file)
                for segment in speech.get_timeline().support():
                    turns.append(
                        {"start": round(segment.start, 3), "end": round(segment.end, 3), "speaker": f"channel_{index + 1}"}
                    )
            if on_progress is not None:
                on_progress((index + 1) / len(data))
        return sorted(turns, key=lambda t: (t["start"], t["end"], t["speaker"]))

    def _voice_activity(self) -> Any:
        if self._vad is None:
            from pyannote.audio.pipelines import VoiceActivityDetection

            model = self.pipeline._segmentation.model
            vad = VoiceActivityDetection(segmentation=model)
            vad.instantiate({"min_duration_on": 0.0, "min_duration_off": 0.0})
            self._vad = vad
        return self._vad


def _load_pretrained(model: str, token: str | None, device: Any) -> Any:
    """A pyannote pipeline from a Hub id or a local directory; refuses to run if it cannot be loaded."""
    from pyannote.audio import Pipeline

    if os.path.isdir(model):
        pipeline = Pipeline.from_pretrained(model)
    else:
        pipeline = Pipeline.from_pretrained(model, token=token)
    if pipeline is None:
        raise RuntimeError(f"pyannote could not load the diarization pipeline {model!r} (token or access missing?)")
    return pipeline.to(device)


def _turns(annotation: Any, duration: float) -> list[Turn]:
    turns: list[Turn] = []
    for segment, _track, label in annotation.itertracks(yield_label=True):
        start, end = max(0.0, float(segment.start)), min(duration, float(segment.end))
        if end > start:
            turns.append({"start": round(start, 3), "end": round(end, 3), "speaker": str(label)})
    return sorted(turns, key=lambda t: (t["start"], t["end"], t["speaker"]))
