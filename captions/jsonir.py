"""The caption IR as JSON (`developer-json`): strict pydantic models at the boundary, plain dataclasses inside."""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from captions.errors import CaptionParseError
from captions.ir import CaptionDoc, Cue, CueWord, visible_text
from captions.parsed import Parsed
from schemas.validation import validation_message

FORMAT_ID = "parlance.captions"
VERSION = 1


class WordModel(BaseModel):
    model_config = ConfigDict(extra="ignore")
    text: str
    start_ms: int
    end_ms: int
    speaker: str | None = None


class CueModel(BaseModel):
    model_config = ConfigDict(extra="ignore")
    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = None
    words: list[WordModel] | None = None


class CaptionDocModel(BaseModel):
    model_config = ConfigDict(extra="ignore")
    format: str = Field(default=FORMAT_ID)
    version: int = VERSION
    language: str | None = None
    title: str | None = None
    cues: list[CueModel]


def parse_json(text: str) -> Parsed:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaptionParseError(f"JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    if isinstance(raw, list):
        raw = {"cues": raw}
    if not isinstance(raw, dict) or "cues" not in raw:
        raise CaptionParseError("JSON is not the Parlance caption IR: expected an object with a 'cues' array")
    try:
        model = CaptionDocModel.model_validate(raw)
    except ValidationError as exc:
        raise CaptionParseError(f"JSON caption IR: {validation_message(exc, limit=1)}") from exc
    doc = CaptionDoc(language=model.language, title=model.title)
    for c in model.cues:
        words = [CueWord(w.text, w.start_ms, w.end_ms, w.speaker) for w in c.words] if c.words else None
        doc.cues.append(Cue(c.start_ms, c.end_ms, c.text, c.speaker, words))
    return Parsed(doc, "json")


def render_json(doc: CaptionDoc, *, speaker_labels: bool = True, preset: str | None = None) -> str:
    cues = []
    for i, c in enumerate(doc.cues):
        item: dict[str, object] = {"index": i, "start_ms": c.start_ms, "end_ms": c.end_ms, "text": visible_text(c.text)}
        if speaker_labels and c.speaker is not None:
            item["speaker"] = c.speaker
        if c.words:
            item["words"] = [
                {"text": w.text, "start_ms": w.start_ms, "end_ms": w.end_ms, **({"speaker": w.speaker} if speaker_labels and w.speaker else {})}
                for w in c.words
            ]
        cues.append(item)
    head = {"format": FORMAT_ID, "version": VERSION, "language": doc.language, "title": doc.title, "preset": preset}
    # One cue per line: readable and diff-friendly, and every json.dumps call below runs in the C encoder
    # (`indent=` forces the pure-Python one, ~5x slower on a 2-hour transcript's words).
    lines = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    body = ",\n".join(f"    {json.dumps(c, ensure_ascii=False)}" for c in cues)
    return "{\n" + "\n".join(lines) + '\n  "cues": [' + (f"\n{body}\n  " if cues else "") + "]\n}\n"
