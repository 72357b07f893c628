"""Fixes: turn cues that break a preset's rules into cues that keep them, as far as the text allows.

Two invariants hold whatever the input (the property tests in tests/unit/captions check them):
- text is never lost or reordered: passes only strip markup, re-lay out whitespace, split a cue between words
  or merge neighbours in order;
- the result has no overlaps and no zero or negative durations: every timing change is clamped to the next
  cue's start, and the overlap pass runs after every pass that may move a start or an end.

Passes run in a fixed order (styling, empties, timestamps, order, layout, duration, overlaps, short cues,
reading speed); each records a `Fix` pointing at the input cue (`Cue.origin`).
"""

from __future__ import annotations

import math

from captions.ir import Cue, CueWord, balance_tags, strip_markup, strip_non_vtt_markup, visible_text
from captions.presets import Preset
from captions.qa import reading_chars, unsupported_markup
from captions.report import Fix
from captions.timestamps import fmt_vtt
from captions.segmenter import segment_spans
from captions.wrap import fits, rewrap, visible_lengths, vlen

# Two short cues further apart than this are not merged: the second would appear before it is spoken.
MERGE_GAP_MS = 1000


def _fix(**fields: object) -> Fix:
    return Fix(**fields)  # type: ignore[arg-type]


def _span(c: Cue) -> str:
    return f"{fmt_vtt(c.start_ms)} --> {fmt_vtt(c.end_ms)}"


def apply_fixes(cues: list[Cue], preset: Preset) -> tuple[list[Cue], list[Fix]]:
    fixes: list[Fix] = []
    # Copies (the caller's cues stay as they were), built directly: dataclasses.replace is ~5x slower.
    work = [
        Cue(c.start_ms, c.end_ms, c.text, c.speaker, c.words, c.source_line, c.origin if c.origin is not None else i)
        for i, c in enumerate(cues)
    ]
    work = _styling(work, preset, fixes)
    work = _empties(work, fixes)
    _timestamps(work, fixes)
    if any(work[i].start_ms < work[i - 1].start_ms for i in range(1, len(work))):
        work.sort(key=lambda c: c.start_ms)
        fixes.append(_fix(code="sort_cues", message="put cues in time order"))
    work = _layout(work, preset, fixes)
    work = _durations(work, preset, fixes)
    _overlaps(work, preset, fixes)
    work = _short(work, preset, fixes)
    _reading_speed(work, preset, fixes)
    return work, fixes


def _styling(cues: list[Cue], preset: Preset, fixes: list[Fix]) -> list[Cue]:
    for c in cues:
        if unsupported_markup(c.text, preset):
            new = strip_non_vtt_markup(c.text) if preset.allow_styling else strip_markup(c.text)
            fixes.append(_fix(code="strip_styling", message="removed styling the preset does not support", cue_index=c.origin, before=c.text, after=new))
            c.text = new
    return cues


def _empties(cues: list[Cue], fixes: list[Fix]) -> list[Cue]:
    kept = []
    for c in cues:
        if visible_text(c.text).strip():
            kept.append(c)
        else:
            fixes.append(_fix(code="drop_empty_cue", message="removed a cue with no text", cue_index=c.origin, before=_span(c)))
    return kept


def _timestamps(cues: list[Cue], fixes: list[Fix]) -> None:
    for c in cues:
        if c.start_ms < 0 or c.end_ms <= c.start_ms:
            before = _span(c)
            c.start_ms = max(0, c.start_ms)
            c.end_ms = max(c.end_ms, c.start_ms + 1)
            fixes.append(_fix(code="normalise_timestamp", message="made the cue start at or after 0 and end after it starts", cue_index=c.origin, before=before, after=_span(c)))


def _resegment(c: Cue, preset: Preset) -> list[Cue]:
    """Split `c` the way the segmenter would (breaks at sentence and clause ends, within the preset's layout
    and maximum duration), giving each token a share of the cue's time proportional to its length."""
    tokens = c.text.split()
    n = len(tokens)
    start = c.start_ms
    if c.end_ms - start < n:
        c.end_ms = start + n  # room for one ms per word; the overlap pass settles the next cue
    end = c.end_ms
    dur = end - start
    sizes = visible_lengths(tokens)
    total = sum(sizes) + n
    # Token k starts at its proportional share of the cue, clamped so every token keeps at least 1 ms.
    starts, acc, bound = [start], 0, start
    for k in range(1, n):
        acc += sizes[k - 1] + 1
        nxt = start + dur * acc // total
        if nxt <= bound:
            nxt = bound + 1
        if nxt > end - (n - k):
            nxt = end - (n - k)
        starts.append(nxt)
        bound = nxt
    ends = starts[1:] + [end]
    speaker, words = c.speaker, c.words
    spans = segment_spans(tokens, starts, ends, [speaker] * n, preset)
    texts = [text for _, _, text in spans]
    if "<" in c.text:
        texts = balance_tags(texts)
    parts = []
    for (a, b, _), text in zip(spans, texts):
        p_start, p_end = starts[a], ends[b - 1]
        p_words = [w for w in words if p_start <= (w.start_ms + w.end_ms) // 2 < p_end] or None if words else None
        parts.append(Cue(p_start, p_end, text, speaker, p_words, c.source_line, c.origin))
    return parts


def _layout(cues: list[Cue], preset: Preset, fixes: list[Fix]) -> list[Cue]:
    out: list[Cue] = []
    width = preset.max_chars_per_line
    for c in cues:
        if len(c.text) <= width and "\n" not in c.text:
            out.append(c)  # one line that fits (markup only makes the visible text shorter)
            continue
        lines = [ln for ln in c.text.split("\n") if ln.strip()]
        if len(lines) <= preset.max_lines and all(vlen(ln.strip()) <= width or " " not in ln.strip() for ln in lines):
            out.append(c)
            continue
        tokens = c.text.split()
        if fits(tokens, width, preset.max_lines):
            new = rewrap(c.text, width)
            if new != c.text:
                fixes.append(_fix(code="wrap_lines", message=f"re-wrapped to at most {width} characters per line", cue_index=c.origin, before=c.text, after=new))
                c.text = new
            out.append(c)
            continue
        parts = _resegment(c, preset)
        fixes.append(_fix(code="split_cue", message=f"split a cue too long for {preset.max_lines} line(s) into {len(parts)}", cue_index=c.origin, before=c.text, after="\n--\n".join(p.text for p in parts)))
        out.extend(parts)
    return out


def _durations(cues: list[Cue], preset: Preset, fixes: list[Fix]) -> list[Cue]:
    out: list[Cue] = []
    for c in cues:
        dur = c.end_ms - c.start_ms
        if dur <= preset.max_duration_ms:
            out.append(c)
            continue
        if len(c.text.split()) >= 2:
            parts = _resegment(c, preset)
            fixes.append(_fix(code="split_cue", message=f"split a cue shown for {dur} ms into {len(parts)}", cue_index=c.origin, before=_span(c), after=", ".join(_span(p) for p in parts)))
            out.extend(_durations(parts, preset, fixes))  # only a one-word part can still be too long: trimmed
        else:
            before = _span(c)
            c.end_ms = c.start_ms + preset.max_duration_ms
            fixes.append(_fix(code="trim_cue", message=f"shortened a one-word cue to {preset.max_duration_ms} ms", cue_index=c.origin, before=before, after=_span(c)))
            out.append(c)
    return out


def _overlaps(cues: list[Cue], preset: Preset, fixes: list[Fix]) -> None:
    gap = preset.min_gap_ms
    for i in range(1, len(cues)):
        prev, c = cues[i - 1], cues[i]
        if c.start_ms >= prev.end_ms:
            continue
        before = f"{_span(prev)} / {_span(c)}"
        if c.start_ms - gap > prev.start_ms:
            prev.end_ms = c.start_ms - gap
        elif c.start_ms > prev.start_ms:
            prev.end_ms = c.start_ms
        else:  # starts with or before the previous cue: move it after, keeping its length
            length = max(c.end_ms - c.start_ms, 1)
            c.start_ms = prev.end_ms + gap
            c.end_ms = c.start_ms + length
        fixes.append(_fix(code="resolve_overlap", message="removed an overlap between consecutive cues", cue_index=c.origin, before=before, after=f"{_span(prev)} / {_span(c)}"))


def _limit(cues: list[Cue], i: int, gap: int) -> int:
    """The latest end cue i may take without touching the next cue (never less than its current end)."""
    if i + 1 >= len(cues):
        return 1 << 62
    nxt = cues[i + 1].start_ms
    return max(cues[i].end_ms, nxt - gap if nxt - gap > cues[i].start_ms else nxt)


def _mergeable(a: Cue, b: Cue, preset: Preset) -> bool:
    return (
        a.speaker == b.speaker
        and b.start_ms - a.end_ms <= MERGE_GAP_MS
        and b.end_ms - a.start_ms <= preset.max_duration_ms
        and fits((a.text + " " + b.text).split(), preset.max_chars_per_line, preset.max_lines)
    )


def _merge(a: Cue, b: Cue, width: int) -> Cue:
    words: list[CueWord] | None = (a.words or []) + (b.words or []) or None
    return Cue(a.start_ms, max(a.end_ms, b.end_ms), rewrap(a.text + " " + b.text, width), a.speaker, words, a.source_line, a.origin)


def _short(cues: list[Cue], preset: Preset, fixes: list[Fix]) -> list[Cue]:
    gap, i = preset.min_gap_ms, 0
    while i < len(cues):
        c = cues[i]
        if c.end_ms - c.start_ms >= preset.min_duration_ms:
            i += 1
            continue
        before = _span(c)
        c.end_ms = min(c.start_ms + preset.min_duration_ms, _limit(cues, i, gap))
        if c.end_ms - c.start_ms >= preset.min_duration_ms:
            fixes.append(_fix(code="extend_cue", message="extended a cue shown too briefly", cue_index=c.origin, before=before, after=_span(c)))
            i += 1
            continue
        if i + 1 < len(cues) and _mergeable(c, cues[i + 1], preset):
            merged = _merge(c, cues[i + 1], preset.max_chars_per_line)
            fixes.append(_fix(code="merge_cues", message="merged a cue shown too briefly with the next one", cue_index=c.origin, before=f"{c.text!r} + {cues[i + 1].text!r}", after=merged.text))
            cues[i : i + 2] = [merged]
            continue  # the merged cue may still be short: look again
        if i > 0 and _mergeable(cues[i - 1], c, preset):
            merged = _merge(cues[i - 1], c, preset.max_chars_per_line)
            fixes.append(_fix(code="merge_cues", message="merged a cue shown too briefly with the previous one", cue_index=c.origin, before=f"{cues[i - 1].text!r} + {c.text!r}", after=merged.text))
            cues[i - 1 : i + 1] = [merged]
            continue
        i += 1
    return cues


def _reading_speed(cues: list[Cue], preset: Preset, fixes: list[Fix]) -> None:
    cps = preset.max_cps
    for i, c in enumerate(cues):
        dur = c.end_ms - c.start_ms
        if len(c.text) * 1000 <= (dur - 1) * cps:
            continue  # even the raw text (never shorter than what is read) is slow enough: skip the markup strip
        need = math.ceil(reading_chars(c) * 1000 / cps)
        if dur >= need:
            continue
        before = _span(c)
        c.end_ms = max(c.end_ms, min(c.start_ms + need, c.start_ms + preset.max_duration_ms, _limit(cues, i, preset.min_gap_ms)))
        if c.end_ms > c.start_ms + dur:
            fixes.append(_fix(code="extend_cue", message="extended a cue to slow its reading speed", cue_index=c.origin, before=before, after=_span(c)))
