"""Import pyannote.audio with its telemetry off.

pyannote.audio 4 sends OpenTelemetry spans (model init, pipeline init, seconds of audio processed) to
otel.pyannote.ai unless `PYANNOTE_METRICS_ENABLED` is false. The variable is read at every pipeline call, and
the package writes its own default into the environment at import if none is set, so it is forced off here
before any import, and again through the library's switch after it (without touching its config file).
"""

from __future__ import annotations

import os
from typing import Any

TELEMETRY_ENV = "PYANNOTE_METRICS_ENABLED"


def telemetry_env() -> dict[str, str]:
    """For Ray workers' runtime_env: the off switch must be set in the actor process too."""
    return {TELEMETRY_ENV: "false"}


def import_pyannote() -> Any:
    """`pyannote.audio`, imported with telemetry off."""
    os.environ[TELEMETRY_ENV] = "false"
    import pyannote.audio
    from pyannote.audio.telemetry import set_telemetry_metrics

    set_telemetry_metrics(False)
    return pyannote.audio


def telemetry_enabled() -> bool:
    from pyannote.audio.telemetry.metrics import is_metrics_enabled

    return bool(is_metrics_enabled())
