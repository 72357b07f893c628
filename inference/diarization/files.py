"""`diarize_file`: one call for scripts, tests and the benchmark (in-process, no Ray)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schemas.options import DiarizationOptions

from inference.decode import decode_media
from inference.diarization.channels import decode_channels
from inference.diarization.diarizer import Diarizer, DiarizerSettings, Turn


def diarize_file(
    path: Path | str,
    options: DiarizationOptions | dict[str, Any] | None = None,
    diarizer: Diarizer | None = None,
    settings: DiarizerSettings | None = None,
) -> list[Turn]:
    """Turns of the recording at `path`. Pass `diarizer` to reuse a loaded pipeline across files."""
    opts = options if isinstance(options, DiarizationOptions) else DiarizationOptions.model_validate(options or {})
    engine = diarizer or Diarizer(settings)
    if opts.mode == "channel":
        return engine.diarize_channels(decode_channels(path))
    return engine.diarize(
        decode_media(path),
        num_speakers=opts.num_speakers,
        min_speakers=opts.min_speakers,
        max_speakers=opts.max_speakers,
    )
