"""Captions: the caption IR, platform presets, a words→cues segmenter, parsers and writers for every common
subtitle format, and a QA engine (diagnostics, fixes, score).

This is a domain package: it knows nothing about HTTP or Kafka. `api.captions` and `api.jobs.exports` expose
it over REST; `cli.captions` and `parlance transcribe --format` call it directly.
"""

from captions.errors import CaptionError, CaptionParseError, UnknownFormat, UnknownPreset
from captions.export import EXPORT_FORMATS, render_transcript
from captions.ir import CaptionDoc, Cue, CueWord
from captions.presets import PRESETS, Preset, get_preset
from captions.process import process_captions
from captions.report import CaptionReport, Diagnostic, Fix

__all__ = [
    "EXPORT_FORMATS",
    "PRESETS",
    "CaptionDoc",
    "CaptionError",
    "CaptionParseError",
    "CaptionReport",
    "Cue",
    "CueWord",
    "Diagnostic",
    "Fix",
    "Preset",
    "UnknownFormat",
    "UnknownPreset",
    "get_preset",
    "process_captions",
    "render_transcript",
]
