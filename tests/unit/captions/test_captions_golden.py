"""Golden files per preset: the QA engine's output for one messy input, and the export of one transcript.

Regenerate after an intended change with `PARLANCE_UPDATE_GOLDEN=1 pytest tests/unit/captions` and review
the diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from captions import PRESETS, process_captions, render_transcript
from tests.unit.captions.conftest import make_transcript

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PARLANCE_UPDATE_GOLDEN") == "1"


def _compare(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"missing golden file {path}; run with PARLANCE_UPDATE_GOLDEN=1 to create it")
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_qa_output_matches_golden(preset: str) -> None:
    report = process_captions((GOLDEN / "input.srt").read_bytes(), preset)
    assert report.remaining_diagnostics == [] or all(d.severity != "error" for d in report.remaining_diagnostics)
    _compare(f"qa_{preset}.{PRESETS[preset].output_format}", report.output)


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_export_matches_golden(preset: str) -> None:
    transcript = make_transcript(speakers=["SPEAKER_00", "SPEAKER_01"], turn_every=20)
    out = render_transcript(transcript, PRESETS[preset].output_format, preset)
    assert isinstance(out, str)
    _compare(f"export_{preset}.{PRESETS[preset].output_format}", out)
