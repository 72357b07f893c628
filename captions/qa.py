"""Diagnostics: what is wrong with a list of cues under a preset. Pure: it never changes the cues.

Severity says what breaks: `error` for things that break playback or lose text on some players (overlaps,
unreadable timings, a WebVTT file without its header, undecodable bytes), `warn` for readability rules of the
preset (line length, line count, reading speed, display time), `info` for cosmetic changes (styling the
preset drops).
"""

from __future__ import annotations

from captions.ir import Cue, has_markup, strip_non_vtt_markup
from captions.presets import Preset
from captions.report import Diagnostic


def reading_chars(cue: Cue, visible: str | None = None) -> int:
    """Characters a viewer reads: visible text, spaces included, line breaks not (the usual CPS convention)."""
    visible = cue.visible if visible is None else visible
    return len(visible) - visible.count("\n")


def unsupported_markup(text: str, preset: Preset) -> bool:
    if not has_markup(text):
        return False
    if not preset.allow_styling:
        return True
    return strip_non_vtt_markup(text) != text


def _diag(**fields: object) -> Diagnostic:
    return Diagnostic(**fields)  # type: ignore[arg-type]


def check(cues: list[Cue], preset: Preset) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    prev: Cue | None = None
    max_line = preset.max_chars_per_line
    for i, c in enumerate(cues):
        idx = c.origin if c.origin is not None else i
        where = {"cue_index": idx, "line": c.source_line}
        visible = c.visible
        if not visible.strip():
            out.append(_diag(code="empty_cue", severity="warn", message="cue has no text", **where))
        dur = c.end_ms - c.start_ms
        if c.start_ms < 0 or dur <= 0:
            out.append(_diag(code="invalid_timestamp", severity="error", message=f"cue ends ({c.end_ms} ms) at or before it starts ({c.start_ms} ms)", **where))
        if prev is not None and c.start_ms < prev.end_ms:
            out.append(_diag(code="overlapping_cues", severity="error", message=f"cue starts {prev.end_ms - c.start_ms} ms before the previous cue ends", **where))
        lines = [ln for ln in visible.split("\n") if ln.strip()]
        if len(lines) > preset.max_lines:
            out.append(_diag(code="too_many_lines", severity="warn", message=f"{len(lines)} lines; {preset.name} allows {preset.max_lines}", **where))
        longest = max((len(ln) for ln in lines), default=0)
        if longest > max_line:
            out.append(_diag(code="line_too_long", severity="warn", message=f"a line has {longest} characters; {preset.name} allows {max_line}", **where))
        if dur > 0:
            if dur < preset.min_duration_ms:
                out.append(_diag(code="cue_too_short", severity="warn", message=f"shown for {dur} ms; {preset.name} needs at least {preset.min_duration_ms} ms", **where))
            elif dur > preset.max_duration_ms:
                out.append(_diag(code="cue_too_long", severity="warn", message=f"shown for {dur} ms; {preset.name} allows at most {preset.max_duration_ms} ms", **where))
            cps = reading_chars(c, visible) * 1000 / dur
            if cps > preset.max_cps + 0.05:
                out.append(_diag(code="reading_speed_high", severity="warn", message=f"{cps:.1f} characters per second; {preset.name} allows {preset.max_cps:g}", **where))
        if unsupported_markup(c.text, preset):
            out.append(_diag(code="strip_styling", severity="info", message=f"styling markup that {preset.name} does not support", **where))
        prev = c
    return out
