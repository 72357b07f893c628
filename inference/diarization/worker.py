"""The diarization engine: loads the pipeline once, diarizes whole recordings for many jobs.

A plain class (no Ray, no Serve) like `inference.asr.AsrWorker`, so it runs in-process in tests; the Serve
replica (`inference/serving/diarization_app.py`) holds one and streams `progress(request_id)` to the caller
while `diarize` runs in a thread. It returns plain lists of dicts.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from inference.diarization.diarizer import Diarizer, DiarizerSettings, Turn


class DiarizationWorker:
    def __init__(self, settings: dict[str, Any]) -> None:
        self.diarizer = Diarizer(DiarizerSettings.model_validate(settings))
        self._progress: dict[str, float] = {}
        self._lock = threading.Lock()

    def diarize(self, audio: np.ndarray, options: dict[str, Any] | None = None, request_id: str = "") -> list[Turn]:
        """`audio`: 16 kHz float32, mono (N,) or one row per channel (C, N) for `mode="channel"`.

        `options` is `schemas.options.DiarizationOptions` as a dict (num_speakers, min_speakers, max_speakers,
        mode); speaker labels in the result are the pipeline's own (merge renames them).
        """
        opts = dict(options or {})
        self._set(request_id, 0.0)
        try:
            def report(fraction: float) -> None:
                self._set(request_id, fraction)

            if opts.get("mode") == "channel":
                channels = audio if np.ndim(audio) == 2 else np.asarray(audio)[None]
                return self.diarizer.diarize_channels(channels, on_progress=report)
            mono = audio.mean(axis=0) if np.ndim(audio) == 2 else audio
            return self.diarizer.diarize(
                mono,
                num_speakers=opts.get("num_speakers"),
                min_speakers=opts.get("min_speakers"),
                max_speakers=opts.get("max_speakers"),
                on_progress=report,
            )
        finally:
            with self._lock:
                self._progress.pop(request_id, None)

    def progress(self, request_id: str) -> float | None:
        """0..1 for a running request; None when unknown or finished."""
        with self._lock:
            return self._progress.get(request_id)

    def _set(self, request_id: str, fraction: float) -> None:
        with self._lock:
            self._progress[request_id] = fraction
