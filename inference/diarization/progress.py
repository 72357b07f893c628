"""pyannote's pipeline hook -> one progress number.

pyannote calls `hook(step_name, artifact, file=..., total=..., completed=...)` after each step and, for the
two slow steps, after every batch. Each step owns a share of the bar (measured on CPU: embeddings dominate);
the adapter turns the calls into a monotonic 0..1 fraction and hands it to one callback.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

# step -> (start, end) share of the diarization stage
STEP_SPANS: dict[str, tuple[float, float]] = {
    "segmentation": (0.0, 0.3),
    "speaker_counting": (0.3, 0.32),
    "embeddings": (0.32, 0.95),
    "discrete_diarization": (0.95, 1.0),
}


class ProgressHook:
    """Callable with pyannote's hook signature; `fraction` is safe to read from another thread."""

    def __init__(self, on_progress: Callable[[float], None] | None = None) -> None:
        self._on_progress = on_progress
        self._lock = threading.Lock()
        self._fraction = 0.0

    @property
    def fraction(self) -> float:
        with self._lock:
            return self._fraction

    def __call__(
        self,
        step_name: str,
        step_artifact: Any = None,
        file: Any = None,
        total: int | None = None,
        completed: int | None = None,
    ) -> None:
        span = STEP_SPANS.get(step_name)
        if span is None:
            return
        start, end = span
        if total and completed is not None:
            value = start + (end - start) * min(1.0, completed / total)
        else:
            value = end  # a step without counts reports once, when it is done
        self._advance(value)

    def finish(self) -> None:
        self._advance(1.0)

    def _advance(self, value: float) -> None:
        with self._lock:
            if value <= self._fraction:
                return
            self._fraction = value
        if self._on_progress is not None:
            self._on_progress(value)
