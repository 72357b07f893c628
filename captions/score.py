"""The QA score, 0–100.

    cue penalty  = min(1, Σ weight(severity) over the cue's diagnostics)     error 1.0, warn 0.34, info 0.1
    file points  = Σ over diagnostics with no cue: error 10, warn 3, info 1
    qa_score     = round(100 × (1 − mean cue penalty) − file points), clamped to 0–100
    (0 when the input is empty or holds no cues)

Why this shape: it reads as "the share of clean cues", so a 10,000-cue file with ten long lines still scores
~100 while a file where every cue overlaps scores 0; three readability warnings on one cue cost as much as one
error; file-wide problems (encoding, a missing header) cost a fixed amount whatever the length.
"""

from __future__ import annotations

from collections import defaultdict

from captions.report import Diagnostic

WEIGHTS = {"error": 1.0, "warn": 0.34, "info": 0.1}
FILE_POINTS = {"error": 10, "warn": 3, "info": 1}
FATAL = {"empty_input", "no_cues"}


def qa_score(diagnostics: list[Diagnostic], cue_count: int) -> int:
    if cue_count == 0 or any(d.code in FATAL for d in diagnostics):
        return 0
    per_cue: dict[int, float] = defaultdict(float)
    file_points = 0
    for d in diagnostics:
        if d.cue_index is None:
            file_points += FILE_POINTS[d.severity]
        else:
            per_cue[d.cue_index] += WEIGHTS[d.severity]
    penalty = sum(min(1.0, p) for p in per_cue.values()) / cue_count
    return max(0, min(100, round(100 * (1 - penalty) - file_points)))
