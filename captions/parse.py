"""Reading caption files: decoding, format detection from content, and the parsers.

SRT, WebVTT and SBV are read by a hand-written block scanner rather than pysubs2 or webvtt-py: QA needs what
those libraries discard — the source line of every cue, and the text of blocks whose timing line is broken
(pysubs2 silently glues or drops them; webvtt-py raises on the first one). ASS/SSA go through pysubs2 (its
override-tag handling is the hard part), TTML through lxml (`captions.ttml`), the JSON IR through pydantic
(`captions.jsonir`); every reader returns a `captions.parsed.Parsed`. The tests cross-check our readers and
writers against pysubs2 and webvtt-py.
"""

from __future__ import annotations

import html
import re

from captions.errors import CaptionParseError
from captions.ir import CaptionDoc, Cue
from captions.jsonir import parse_json
from captions.parsed import Parsed, settle_untimed
from captions.report import Diagnostic, Fix
from captions.timestamps import STRICT_SBV, STRICT_SRT, STRICT_VTT, fmt_vtt, parse_lenient
from captions.ttml import parse_ttml

MAX_INPUT_BYTES = 2 * 1024 * 1024
INPUT_FORMATS = ("srt", "vtt", "sbv", "ass", "ttml", "json")

_SBV_TIMING = re.compile(r"^\s*\d+:\d{2}:\d{2}\.\d+\s*,\s*\d+:\d{2}:\d{2}\.\d+\s*$", re.M)
_SBV_LOOSE = re.compile(r"^\s*[\d:.,]+\s*,\s*[\d:.,]+\s*$")
# A block: a run of lines with something other than whitespace on them. Anchored at line starts, so a long
# run of blanks is scanned once, not once per position.
_BLOCK = re.compile(r"(?:^[^\S\n]*\S[^\n]*(?:\n|\Z))+", re.M)
_ARROW_LINE = re.compile(r"^.*-->.*$", re.M)
_VOICE = re.compile(r"^<v(?:\.[\w.-]+)?\s+([^>]+)>(.*?)(?:</v>)?$", re.S)
_ASS_MARKERS = re.compile(r"^\s*(\[Script Info\]|\[V4\+? Styles\]|\[Events\]|Dialogue:)", re.M | re.I)


def decode(data: bytes, diagnostics: list[Diagnostic], fixes: list[Fix]) -> str:
    """UTF-8 (BOM allowed). Other text encodings are read as Windows-1252 and reported; binary is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        diagnostics.append(Diagnostic(code="encoding_error", severity="warn", message="input is UTF-16; captions should be UTF-8"))
        fixes.append(Fix(code="encoding_error", message="transcoded UTF-16 to UTF-8"))
        return data.decode("utf-16")
    if b"\x00" in data[:65536]:
        raise CaptionParseError("input is binary data (NUL bytes), not a UTF-8 caption file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        diagnostics.append(
            Diagnostic(code="encoding_error", severity="error", message=f"input is not valid UTF-8 (byte {exc.start}); read as Windows-1252")
        )
        fixes.append(Fix(code="encoding_error", message="transcoded Windows-1252 to UTF-8"))
        return data.decode("cp1252", errors="replace")


def detect_format(text: str) -> str:
    """Which format the content is, from the content alone (extensions and Content-Type lie)."""
    head = text.lstrip()[:4096]
    if head.startswith(("{", "[")) and not _ASS_MARKERS.search(head):
        return "json"
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith("<"):
        return "ttml"
    if _ASS_MARKERS.search(head):
        return "ass"
    if _SBV_TIMING.search(head):
        return "sbv"
    arrow = _ARROW_LINE.search(text)
    if arrow:
        left = arrow.group(0).split("-->")[0].strip()
        return "srt" if "," in left else "vtt"
    raise CaptionParseError("unrecognised caption format: expected SRT, WebVTT, SBV, ASS/SSA, TTML or Parlance caption JSON")


def parse_bytes(data: bytes) -> Parsed:
    diagnostics: list[Diagnostic] = []
    fixes: list[Fix] = []
    text = decode(data, diagnostics, fixes).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        diagnostics.append(Diagnostic(code="empty_input", severity="error", message="the input is empty"))
        return Parsed(CaptionDoc(), "unknown", diagnostics, fixes)
    parsed = parse_text(text)
    parsed.diagnostics[:0] = diagnostics
    parsed.fixes[:0] = fixes
    if not parsed.doc.cues:
        parsed.diagnostics.append(Diagnostic(code="no_cues", severity="error", message=f"no cues found in the {parsed.format} input"))
    return parsed


def parse_text(text: str, fmt: str | None = None) -> Parsed:
    fmt = fmt or detect_format(text)
    if fmt in ("srt", "vtt", "sbv"):
        return _parse_blocks(text, fmt)
    if fmt == "ass":
        return _parse_ass(text)
    if fmt == "ttml":
        return parse_ttml(text)
    if fmt == "json":
        return parse_json(text)
    raise CaptionParseError(f"unsupported input format '{fmt}'")


def _split_timing(line: str, fmt: str) -> tuple[str, str] | None:
    if fmt == "sbv":
        parts = line.split(",")
        if len(parts) == 2:
            return parts[0].strip(), parts[1].strip()
        if len(parts) == 4:  # 0:00:01,000,0:00:02,000 — SRT-style fractions in an SBV file
            return f"{parts[0]}.{parts[1]}".strip(), f"{parts[2]}.{parts[3]}".strip()
        return None
    if "-->" not in line:
        return None
    left, right = line.split("-->", 1)
    right_parts = right.split()
    return left.strip(), (right_parts[0] if right_parts else "")


def _parse_blocks(text: str, fmt: str) -> Parsed:
    out = Parsed(CaptionDoc(), fmt)
    strict = {"srt": STRICT_SRT, "vtt": STRICT_VTT, "sbv": STRICT_SBV}[fmt]
    if fmt == "vtt" and not text.lstrip().startswith("WEBVTT"):
        out.diagnostics.append(
            Diagnostic(code="missing_webvtt_header", severity="error", message="WebVTT must start with 'WEBVTT'", line=1)
        )
        out.fixes.append(Fix(code="missing_webvtt_header", message="added the WEBVTT header", before=None, after="WEBVTT"))
    cues = out.doc.cues
    line_at, pos = 0, 0  # 0-based line number of text offset `pos`
    for match in _BLOCK.finditer(text):
        start_line = line_at + text.count("\n", pos, match.start())
        raw = match.group()
        pos, line_at = match.end(), start_line + raw.count("\n")
        block = raw.rstrip("\n").split("\n")
        if fmt == "vtt" and (block[0].startswith(("WEBVTT", "NOTE", "STYLE", "REGION"))) and "-->" not in block[0]:
            continue
        if fmt == "sbv":
            t = 0 if _SBV_LOOSE.match(block[0]) else None
        else:
            # The timing line: first of the block's first three lines with an arrow.
            t = 0 if "-->" in block[0] else 1 if len(block) > 1 and "-->" in block[1] else 2 if len(block) > 2 and "-->" in block[2] else None
        if t is None:
            # Text with no timing line: most often a cue whose text contained a blank line. Keep it.
            body = "\n".join(block)
            if cues:
                cues[-1].text += "\n" + body
                out.diagnostics.append(
                    Diagnostic(code="invalid_timestamp", severity="warn", message="text block without a timing line; joined to the cue before", cue_index=len(cues) - 1, line=start_line + 1)
                )
            else:
                cues.append(Cue(-1, -1, body, source_line=start_line + 1))
                out.diagnostics.append(
                    Diagnostic(code="invalid_timestamp", severity="error", message="text block without a timing line", cue_index=0, line=start_line + 1)
                )
            continue
        timing_line = block[t]
        raw_start, raw_end = _split_timing(timing_line, fmt) or ("", "")
        body = "\n".join([ln.rstrip() for ln in block[t + 1 :]])
        idx = len(cues)
        line_no = start_line + t + 1
        start, end = parse_lenient(raw_start), parse_lenient(raw_end)
        speaker = None
        if fmt == "vtt":
            m = _VOICE.match(body)
            if m:
                speaker, body = m.group(1).strip(), m.group(2)
            if "&" in body:
                body = html.unescape(body)  # WebVTT escapes &, < and > as HTML entities
        if start is None or end is None:
            out.diagnostics.append(
                Diagnostic(code="invalid_timestamp", severity="error", message=f"unreadable timing line '{timing_line.strip()[:80]}'", cue_index=idx, line=line_no)
            )
            cues.append(Cue(-1, -1, body, speaker, source_line=line_no))
            continue
        if not (strict.match(raw_start) and strict.match(raw_end)):
            out.diagnostics.append(
                Diagnostic(code="invalid_timestamp", severity="warn", message=f"non-standard timestamp '{timing_line.strip()[:80]}'", cue_index=idx, line=line_no)
            )
            out.fixes.append(Fix(code="normalise_timestamp", message="rewrote the timestamps in standard form", cue_index=idx, before=timing_line.strip(), after=f"{fmt_vtt(start)} --> {fmt_vtt(end)}"))
        cues.append(Cue(start, end, body, speaker, source_line=line_no))
    settle_untimed(out)
    return out


def _parse_ass(text: str) -> Parsed:
    import pysubs2

    try:
        subs = pysubs2.SSAFile.from_string(text, format_="ass")
    except Exception as exc:  # noqa: BLE001 - pysubs2 raises several types; all mean "not readable"
        raise CaptionParseError(f"ASS/SSA: {exc}") from exc
    out = Parsed(CaptionDoc(), "ass")
    for ev in subs.events:
        if ev.is_comment:
            continue
        body = ev.text.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", " ")
        out.doc.cues.append(Cue(ev.start, ev.end, body, ev.name or None))
    return out
