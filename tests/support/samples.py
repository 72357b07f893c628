"""Real speech for tests: pyannote.audio's shipped two-speaker call (sample.wav) and its time-aligned
transcript (sample.stm).

Until diarization lands, pyannote.audio is not a runtime dependency, so the files are read from its wheel
(fetched once from PyPI into the cache, no install). Once pyannote.audio is installed the installed copy wins.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

PYANNOTE_WHEEL_VERSION = "4.0.7"  # the first 4.x wheel that ships sample.stm next to sample.wav


def cache_dir() -> Path:
    return Path(os.environ.get("PARLANCE_CACHE_DIR", Path.home() / ".cache" / "parlance")) / "samples"


@dataclass(frozen=True)
class StmLine:
    speaker: str
    start: float
    end: float
    text: str


def _installed_sample_dir() -> Path | None:
    spec = importlib.util.find_spec("pyannote.audio") if importlib.util.find_spec("pyannote") else None
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "sample"
    return folder if (folder / "sample.stm").is_file() else None


def _wheel_sample_dir() -> Path:
    target = cache_dir() / f"pyannote-sample-{PYANNOTE_WHEEL_VERSION}"
    if (target / "sample.wav").is_file() and (target / "sample.stm").is_file():
        return target
    wheels = cache_dir() / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    wheel = next(wheels.glob(f"pyannote_audio-{PYANNOTE_WHEEL_VERSION}-*.whl"), None)
    if wheel is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", f"pyannote.audio=={PYANNOTE_WHEEL_VERSION}", "-d", str(wheels)],
            check=True,
        )
        wheel = next(wheels.glob(f"pyannote_audio-{PYANNOTE_WHEEL_VERSION}-*.whl"))
    tmp = target.with_suffix(".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as zf:
        for name in ("sample.wav", "sample.stm", "sample.rttm"):
            (tmp / name).write_bytes(zf.read(f"pyannote/audio/sample/{name}"))
    tmp.replace(target)
    return target


def sample_dir() -> Path:
    return _installed_sample_dir() or _wheel_sample_dir()


def sample_wav() -> Path:
    return sample_dir() / "sample.wav"


def sample_stm() -> list[StmLine]:
    lines = []
    for raw in (sample_dir() / "sample.stm").read_text().splitlines():
        parts = raw.split(maxsplit=5)
        if len(parts) == 6:
            lines.append(StmLine(speaker=parts[2], start=float(parts[3]), end=float(parts[4]), text=parts[5]))
    return lines


def reference_text() -> str:
    return " ".join(line.text for line in sample_stm())
