"""What every caption reader returns, shared by the dispatcher (`captions.parse`) and the readers that live in
their own modules (`captions.ttml`, `captions.jsonir`), so none of them imports another."""

from __future__ import annotations

from dataclasses import dataclass, field

from captions.ir import CaptionDoc
from captions.report import Diagnostic, Fix
from captions.timestamps import fmt_vtt


@dataclass
class Parsed:
    doc: CaptionDoc
    format: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)


def settle_untimed(out: Parsed) -> None:
    """Give cues whose timing was unreadable the gap between their neighbours, so their text is not lost."""
    cues = out.doc.cues
    for k, cue in enumerate(cues):
        if cue.start_ms >= 0:
            continue
        start = max(0, cues[k - 1].end_ms) if k > 0 else 0
        nxt = next((c.start_ms for c in cues[k + 1 :] if c.start_ms >= 0), -1)
        cue.start_ms, cue.end_ms = start, (nxt if nxt > start else start + 2000)
        out.fixes.append(Fix(code="normalise_timestamp", message="timed a cue with an unreadable timing line from its neighbours", cue_index=k, after=f"{fmt_vtt(cue.start_ms)} --> {fmt_vtt(cue.end_ms)}"))
