"""The QA engine entry point: bytes in, report (with the fixed captions rendered) out."""

from __future__ import annotations

from captions.fixes import apply_fixes
from captions.ir import CaptionDoc
from captions.parse import parse_bytes
from captions.presets import Preset, get_preset
from captions.qa import check
from captions.render import render
from captions.report import CaptionReport
from captions.score import qa_score


def process_captions(data: bytes, preset: str | Preset, *, fix: bool = True, speaker_labels: bool = True) -> CaptionReport:
    """Parse (any supported format), diagnose under `preset`, fix (unless `fix=False`) and render in the
    preset's output format. Raises CaptionParseError when the input cannot be read at all."""
    rules = preset if isinstance(preset, Preset) else get_preset(preset)
    parsed = parse_bytes(data)
    cues = parsed.doc.cues
    diagnostics = parsed.diagnostics + check(cues, rules)
    score = qa_score(diagnostics, len(cues))
    fixes = list(parsed.fixes)
    if fix:
        out_cues, applied = apply_fixes(cues, rules)
        fixes += applied
        remaining = check(out_cues, rules)
        if not out_cues:
            remaining = [d for d in parsed.diagnostics if d.code in ("empty_input", "no_cues")]
    else:
        out_cues, remaining = cues, diagnostics
    out_doc = CaptionDoc(out_cues, parsed.doc.language, parsed.doc.title)
    output = render(out_doc, rules.output_format, speaker_labels=speaker_labels, preset=rules.name)
    assert isinstance(output, str)  # every preset renders a text format
    return CaptionReport(
        input_format=parsed.format,
        output_format=rules.output_format,
        preset=rules.name,
        diagnostics=diagnostics,
        fixes=fixes,
        remaining_diagnostics=remaining,
        qa_score=score,
        output_qa_score=qa_score(remaining, len(out_cues)),
        cue_count=len(out_cues),
        total_duration_ms=(out_cues[-1].end_ms - out_cues[0].start_ms) if out_cues else 0,
        output=output,
    )
