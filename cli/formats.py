"""Rendering a transcript for the terminal and files. Subtitle formats come from pysubs2.

One cue per ASR segment for now; the caption segmenter with presets (line length, reading speed) replaces
this when captions land, and `parlance transcribe --format` will call the same code as the exports API.
"""

from __future__ import annotations

import json
from typing import Literal

import pysubs2

from schemas.result import Transcript

Format = Literal["txt", "json", "srt", "vtt"]


def render(transcript: Transcript, fmt: Format) -> str:
    if fmt == "txt":
        return transcript.text + "\n"
    if fmt == "json":
        return json.dumps(transcript.model_dump(), indent=2, ensure_ascii=False) + "\n"
    subs = pysubs2.SSAFile()
    for segment in transcript.segments:
        subs.append(
            pysubs2.SSAEvent(start=round(segment.start * 1000), end=round(segment.end * 1000), text=segment.text.strip())
        )
    return subs.to_string("srt" if fmt == "srt" else "vtt")
