"""Transcript → captions in any export format: the code behind `GET /v1/jobs/{id}/exports/{format}` and
`parlance transcribe --format`.

Speaker labels take the form each format supports: an inline "SPEAKER: " at the start of a turn for SRT and
TTML (the label is counted in the line length), WebVTT voice tags `<v SPEAKER>`, a `speaker` field in JSON,
and a label per paragraph in TXT and DOCX.
"""

from __future__ import annotations

from typing import Any

from captions.errors import UnknownFormat
from captions.fixes import apply_fixes
from captions.ir import CaptionDoc
from captions.presets import Preset, get_preset
from captions.render import OUTPUT_FORMATS, Metadata, render
from captions.segmenter import segment_words, words_from_transcript

EXPORT_FORMATS = ("srt", "vtt", "ttml", "json", "txt", "docx")
_INLINE_LABELS = {"srt", "ttml", "sbv"}


def transcript_to_doc(
    transcript: Any, fmt: str, preset: Preset, *, speaker_labels: bool = True, title: str | None = None
) -> CaptionDoc:
    words = words_from_transcript(transcript)
    cues = segment_words(words, preset, label_speakers=speaker_labels and fmt in _INLINE_LABELS)
    cues, _ = apply_fixes(cues, preset)  # timing only in practice: the segmenter already respects the layout
    return CaptionDoc(cues, getattr(transcript, "language", None), title)


def render_transcript(
    transcript: Any,
    fmt: str,
    preset: str | Preset = "generic",
    *,
    speaker_labels: bool = True,
    max_chars: int | None = None,
    max_lines: int | None = None,
    title: str | None = None,
    job_id: str | None = None,
) -> str | bytes:
    """Render a `schemas.result.Transcript` (or anything shaped like it) as `fmt`. DOCX is bytes, the rest str."""
    if fmt not in OUTPUT_FORMATS:
        raise UnknownFormat(f"unknown export format '{fmt}'; use one of: {', '.join(EXPORT_FORMATS)}")
    rules = (preset if isinstance(preset, Preset) else get_preset(preset)).with_overrides(max_chars, max_lines)
    doc = transcript_to_doc(transcript, fmt, rules, speaker_labels=speaker_labels, title=title)
    meta = Metadata(
        title=title,
        language=getattr(transcript, "language", None),
        duration_s=getattr(transcript, "duration", None),
        model=getattr(transcript, "model", None),
        job_id=job_id,
    )
    return render(doc, fmt, speaker_labels=speaker_labels, meta=meta, preset=rules.name)
