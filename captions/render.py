"""Writers for every output format. One entry point, `render(doc, fmt)`.

SRT and WebVTT are written by hand: pysubs2's writers treat any `{...}` in the text as an ASS override block
and delete it (text loss), and cannot write WebVTT voice tags. Both are a few lines; the tests read our
output back with pysubs2 and webvtt-py to prove it is standard. TTML goes through lxml (`captions.ttml`),
DOCX through python-docx, JSON is the IR (`captions.jsonir`).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from captions.errors import UnknownFormat
from captions.ir import CaptionDoc, has_markup, strip_markup, visible_text
from captions.jsonir import render_json
from captions.timestamps import fmt_clock, fmt_sbv, fmt_srt, fmt_vtt
from captions.ttml import render_ttml

OUTPUT_FORMATS = ("srt", "vtt", "ttml", "json", "txt", "docx", "sbv")
MEDIA_TYPES = {
    "srt": "application/x-subrip; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
    "ttml": "application/ttml+xml; charset=utf-8",
    "json": "application/json",
    "txt": "text/plain; charset=utf-8",
    "sbv": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# A silence this long starts a new paragraph in txt/docx even when the speaker stays the same.
PARAGRAPH_PAUSE_MS = 2000


@dataclass
class Metadata:
    """What the document formats (docx, txt header) show about the source."""

    title: str | None = None
    language: str | None = None
    duration_s: float | None = None
    model: str | None = None
    job_id: str | None = None


def _lines(text: str) -> str:
    # Blank lines end a cue in block formats: drop them (layout only, never words).
    return "\n".join(line for line in text.split("\n") if line.strip()) or " "


def render_srt(doc: CaptionDoc) -> str:
    out = []
    for i, c in enumerate(doc.cues, 1):
        out.append(f"{i}\n{fmt_srt(c.start_ms)} --> {fmt_srt(c.end_ms)}\n{_lines(c.text)}\n")
    return "\n".join(out)


def _vtt_escape(text: str) -> str:
    if has_markup(text):
        return text.replace("&", "&amp;") if "&" in text else text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_vtt(doc: CaptionDoc, *, speaker_labels: bool = True) -> str:
    out = ["WEBVTT\n"]
    for c in doc.cues:
        body = _vtt_escape(_lines(c.text))
        if speaker_labels and c.speaker:
            body = f"<v {c.speaker}>{body}"
        out.append(f"{fmt_vtt(c.start_ms)} --> {fmt_vtt(c.end_ms)}\n{body}\n")
    return "\n".join(out)


def render_sbv(doc: CaptionDoc) -> str:
    return "\n".join(f"{fmt_sbv(c.start_ms)},{fmt_sbv(c.end_ms)}\n{_lines(strip_markup(c.text))}\n" for c in doc.cues)


def paragraphs(doc: CaptionDoc) -> Iterator[tuple[int, str | None, str]]:
    """(start_ms, speaker, text) per speaker turn / pause-separated paragraph, for the document formats."""
    start, speaker, parts, last_end = 0, None, [], None
    for c in doc.cues:
        text = " ".join(visible_text(c.text).split())
        if parts and (c.speaker != speaker or (last_end is not None and c.start_ms - last_end >= PARAGRAPH_PAUSE_MS)):
            yield start, speaker, " ".join(parts)
            parts = []
        if not parts:
            start, speaker = c.start_ms, c.speaker
        parts.append(text)
        last_end = c.end_ms
    if parts:
        yield start, speaker, " ".join(parts)


def render_txt(doc: CaptionDoc, *, speaker_labels: bool = True) -> str:
    out = []
    for _, speaker, text in paragraphs(doc):
        out.append(f"{speaker}: {text}" if speaker_labels and speaker else text)
    return "\n\n".join(out) + "\n"


def render_docx(doc: CaptionDoc, meta: Metadata | None = None, *, speaker_labels: bool = True) -> bytes:
    """Title, a metadata table, then one paragraph per speaker turn: "[HH:MM:SS] SPEAKER: text"."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    meta = meta or Metadata()
    d = Document()
    d.core_properties.title = meta.title or doc.title or "Transcript"
    d.core_properties.language = meta.language or doc.language or ""
    d.add_heading(meta.title or doc.title or "Transcript", level=1)
    rows = [
        ("Language", meta.language or doc.language),
        ("Duration", fmt_clock(round(meta.duration_s * 1000)) if meta.duration_s is not None else None),
        ("Model", meta.model),
        ("Job", meta.job_id),
        ("Generated", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
    ]
    rows = [(k, v) for k, v in rows if v]
    table = d.add_table(rows=len(rows), cols=2)
    for row, (key, value) in zip(table.rows, rows):
        row.cells[0].text, row.cells[1].text = key, str(value)
    d.add_paragraph()
    for start, speaker, text in paragraphs(doc):
        p = d.add_paragraph()
        stamp = p.add_run(f"[{fmt_clock(start)}] ")
        stamp.font.color.rgb = RGBColor(0x66, 0x66, 0x66)
        stamp.font.size = Pt(9)
        if speaker_labels and speaker:
            p.add_run(f"{speaker}: ").bold = True
        p.add_run(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def render(
    doc: CaptionDoc, fmt: str, *, speaker_labels: bool = True, meta: Metadata | None = None, preset: str | None = None
) -> str | bytes:
    if fmt == "srt":
        return render_srt(doc)
    if fmt == "vtt":
        return render_vtt(doc, speaker_labels=speaker_labels)
    if fmt == "sbv":
        return render_sbv(doc)
    if fmt == "txt":
        return render_txt(doc, speaker_labels=speaker_labels)
    if fmt == "ttml":
        return render_ttml(doc, speaker_labels=speaker_labels)
    if fmt == "json":
        return render_json(doc, speaker_labels=speaker_labels, preset=preset)
    if fmt == "docx":
        return render_docx(doc, meta, speaker_labels=speaker_labels)
    raise UnknownFormat(f"unknown output format '{fmt}'; use one of: {', '.join(OUTPUT_FORMATS)}")
