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


def check(cues: list[Cue], preset: Preset) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    add = out.append
    name, max_line, max_lines = preset.name, preset.max_chars_per_line, preset.max_lines
    min_dur, max_dur, max_cps = preset.min_duration_ms, preset.max_duration_ms, preset.max_cps + 0.05
    prev_end: int | None = None
    # Diagnostic(code, severity, message, cue_index, line) positionally: this loop runs once per cue, twice
    # per report, and keyword construction was a measurable share of it.
    for i, c in enumerate(cues):
        idx = c.origin if c.origin is not None else i
        line = c.source_line
        visible = c.visible
        start, end = c.start_ms, c.end_ms
        dur = end - start
        if not visible.strip():
            add(Diagnostic("empty_cue", "warn", "cue has no text", idx, line))
        if start < 0 or dur <= 0:
            add(Diagnostic("invalid_timestamp", "error", f"cue ends ({end} ms) at or before it starts ({start} ms)", idx, line))
        if prev_end is not None and start < prev_end:
            add(Diagnostic("overlapping_cues", "error", f"cue starts {prev_end - start} ms before the previous cue ends", idx, line))
        if "\n" in visible:
            lines = [ln for ln in visible.split("\n") if ln.strip()]
            n_lines, longest = len(lines), max(map(len, lines), default=0)
        else:
            n_lines, longest = (1 if visible.strip() else 0), len(visible)
        if n_lines > max_lines:
            add(Diagnostic("too_many_lines", "warn", f"{n_lines} lines; {name} allows {max_lines}", idx, line))
        if longest > max_line:
            add(Diagnostic("line_too_long", "warn", f"a line has {longest} characters; {name} allows {max_line}", idx, line))
        if dur > 0:
            if dur < min_dur:
                add(Diagnostic("cue_too_short", "warn", f"shown for {dur} ms; {name} needs at least {min_dur} ms", idx, line))
            elif dur > max_dur:
                add(Diagnostic("cue_too_long", "warn", f"shown for {dur} ms; {name} allows at most {max_dur} ms", idx, line))
            cps = (len(visible) - visible.count("\n")) * 1000 / dur  # reading_chars, inlined
            if cps > max_cps:
                add(Diagnostic("reading_speed_high", "warn", f"{cps:.1f} characters per second; {name} allows {preset.max_cps:g}", idx, line))
        if unsupported_markup(c.text, preset):
            add(Diagnostic("strip_styling", "info", f"styling markup that {name} does not support", idx, line))
        prev_end = end
    return out
