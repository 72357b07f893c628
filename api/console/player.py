"""The transcript player's server side: the transcript as speaker paragraphs of timed words, and the listening
copy served with HTTP Range support (a browser seeks an <audio> element with Range requests; without them
Chromium cannot move `currentTime` on a fresh load)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fastapi.responses import Response

from api.state import ApiState
from schemas.result import Transcript
from store.objects import ObjectNotFound
from streams.listening_copy import CONTENT_TYPE, listening_key

PALETTE_SIZE = 8  # console.css defines .spk-0 .. .spk-7, each at >= 4.5:1 contrast on white
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


@dataclass
class Word:
    text: str
    start: float
    end: float


@dataclass
class Paragraph:
    start: float
    speaker: str | None
    colour: int
    words: list[Word] = field(default_factory=list)


@dataclass
class SpeakerRow:
    label: str
    colour: int
    speaking_time: float
    share: float  # of all speaking time, 0..100
    word_count: int


@dataclass
class TranscriptView:
    paragraphs: list[Paragraph]
    speakers: list[SpeakerRow]


def transcript_view(t: Transcript) -> TranscriptView:
    """Words grouped into paragraphs at each change of speaker or pause over 1.5 s; one colour per speaker, in the
    order of `speakers` (first to talk first)."""
    colours = {s.label: i % PALETTE_SIZE for i, s in enumerate(t.speakers or [])}
    total = sum(s.speaking_time for s in t.speakers or []) or 1.0
    speakers = [
        SpeakerRow(s.label, colours[s.label], s.speaking_time, 100.0 * s.speaking_time / total, s.word_count)
        for s in t.speakers or []
    ]
    paragraphs: list[Paragraph] = []
    last_end = float("-inf")
    for w in t.words:
        current = paragraphs[-1] if paragraphs else None
        if current is None or current.speaker != w.speaker or w.start - last_end > 1.5:
            current = Paragraph(start=w.start, speaker=w.speaker, colour=colours.get(w.speaker or "", 0))
            paragraphs.append(current)
        current.words.append(Word(w.word.strip(), w.start, w.end))
        last_end = w.end
    if not paragraphs:  # a transcript without word timings: its segments, unclickable
        paragraphs = [
            Paragraph(start=s.start, speaker=s.speaker, colour=colours.get(s.speaker or "", 0), words=[Word(s.text, s.start, s.end)])
            for s in t.segments
        ]
    return TranscriptView(paragraphs=paragraphs, speakers=speakers)


async def audio_response(state: ApiState, job_id: str, range_header: str | None) -> Response:
    """The job's listening copy (small: ~180 kB a minute, so read whole) honouring a single byte range."""
    try:
        data = await state.objects.get_bytes(listening_key(job_id))
    except ObjectNotFound:
        return Response("no listening copy for this job", status_code=404, media_type="text/plain")
    size = len(data)
    headers = {"Accept-Ranges": "bytes", "Cache-Control": "private, max-age=300"}
    match = _RANGE.match(range_header.strip()) if range_header else None
    if match is None or not (match.group(1) or match.group(2)):
        return Response(data, media_type=CONTENT_TYPE, headers=headers)
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:  # a suffix range: the last N bytes
        start, end = max(0, size - int(last)), size - 1
    if start >= size or start > end:
        return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return Response(data[start : end + 1], status_code=206, media_type=CONTENT_TYPE, headers=headers)
