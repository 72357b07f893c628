"""Round trips per format (parse → write → parse keeps text and timings), detection, and our writers read
back by independent libraries (pysubs2, webvtt-py, python-docx, lxml)."""

from __future__ import annotations

import io

import pysubs2
import pytest
import webvtt

from captions.export import render_transcript
from captions.ir import CaptionDoc, Cue
from captions.parse import detect_format, parse_bytes
from captions.render import render
from schemas.result import Transcript
from tests.unit.captions.conftest import SAMPLE

DOC = CaptionDoc(
    [
        Cue(500, 2780, "Hello there, and welcome\nto the {show} & more.", "Ann"),
        Cue(2830, 7270, "Today we talk about captions <3", "Bob"),
        Cue(3_600_000 + 1, 3_600_000 + 2501, "Über café — naïve 日本語", None),
    ],
    language="en",
)


def _key(doc: CaptionDoc) -> list[tuple[int, int, str]]:
    return [(c.start_ms, c.end_ms, " ".join(c.text.split())) for c in doc.cues]


@pytest.mark.parametrize("fmt", ["srt", "vtt", "ttml", "json", "sbv"])
def test_round_trip_keeps_text_and_timings(fmt: str) -> None:
    out = render(DOC, fmt, speaker_labels=True)
    assert isinstance(out, str)
    parsed = parse_bytes(out.encode("utf-8"))
    assert parsed.format == fmt
    assert _key(parsed.doc) == _key(DOC)
    assert [d for d in parsed.diagnostics if d.severity == "error"] == []
    if fmt in ("vtt", "json", "ttml"):
        assert [c.speaker for c in parsed.doc.cues][:2] in (["Ann", "Bob"], ["agent_Ann", "agent_Bob"])


def test_ass_is_read_through_pysubs2() -> None:
    subs = pysubs2.SSAFile()
    subs.append(pysubs2.SSAEvent(start=1000, end=2500, text=r"{\i1}Hello{\i0}\Nworld", name="Ann"))
    parsed = parse_bytes(subs.to_string("ass").encode())
    assert parsed.format == "ass"
    cue = parsed.doc.cues[0]
    assert (cue.start_ms, cue.end_ms, cue.visible, cue.speaker) == (1000, 2500, "Hello\nworld", "Ann")


def test_srt_and_vtt_we_write_read_the_same_in_pysubs2_and_webvtt_py() -> None:
    srt = render(DOC, "srt")
    assert isinstance(srt, str)
    theirs = pysubs2.SSAFile.from_string(srt, format_="srt")
    assert [(e.start, e.end) for e in theirs] == [(c.start_ms, c.end_ms) for c in DOC.cues]
    vtt = render(DOC, "vtt", speaker_labels=False)
    assert isinstance(vtt, str)
    captions = webvtt.from_buffer(io.StringIO(vtt))
    assert [c.text.replace("&amp;", "&").replace("&lt;", "<") for c in captions] == [c.text for c in DOC.cues]


def test_pysubs2_srt_would_lose_braced_text_ours_does_not() -> None:
    """Why SRT is hand-written: pysubs2 drops `{show}` as an ASS override block."""
    assert "{show}" in str(render(DOC, "srt"))


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("1\n00:00:01,000 --> 00:00:02,000\nhi\n", "srt"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n", "vtt"),
        ("00:00:01.000 --> 00:00:02.000\nhi\n", "vtt"),
        ("0:00:01.000,0:00:02.000\nhi\n", "sbv"),
        ("[Script Info]\nScriptType: v4.00+\n", "ass"),
        ('<?xml version="1.0"?><tt xmlns="http://www.w3.org/ns/ttml"/>', "ttml"),
        ('{"cues": []}', "json"),
    ],
)
def test_format_is_detected_from_content(text: str, fmt: str) -> None:
    assert detect_format(text) == fmt


def test_ttml_offsets_frames_and_nesting() -> None:
    ttml = """<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"
      xmlns:tts="http://www.w3.org/ns/ttml#styling" ttp:frameRate="25">
      <body><div begin="10s">
        <p begin="00:00:01:05" end="2500ms">one<br/>two <span tts:fontStyle="italic">three</span></p>
        <p begin="3s" dur="1.5s">four</p>
      </div></body></tt>"""
    parsed = parse_bytes(ttml.encode())
    assert _key(parsed.doc) == [(11200, 12500, "one two <i>three</i>"), (13000, 14500, "four")]


def test_ttml_refuses_entity_expansion() -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE tt [<!ENTITY a "aaaaaaaaaa">]><tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s" end="1s">&a;</p></div></body></tt>'
    parsed = parse_bytes(bomb.encode())
    assert "aaaaaaaaaa" not in parsed.doc.cues[0].text if parsed.doc.cues else True


def test_exports_in_every_format(diarized: Transcript) -> None:
    from docx import Document
    from lxml import etree

    for fmt in ("srt", "vtt", "ttml", "json", "txt"):
        out = render_transcript(diarized, fmt, "youtube")
        assert isinstance(out, str) and out
        words = SAMPLE.split()
        assert words[0] in out and words[-1] in out
    ttml = str(render_transcript(diarized, "ttml", "lms"))
    root = etree.fromstring(ttml.encode())
    assert root.get("{http://www.w3.org/ns/ttml#parameter}profile") == "http://www.w3.org/ns/ttml/profile/imsc1/text"
    assert "<v SPEAKER_00>" in str(render_transcript(diarized, "vtt"))
    assert "SPEAKER_01: " in str(render_transcript(diarized, "txt"))
    docx = render_transcript(diarized, "docx", title="call.wav", job_id="j1")
    assert isinstance(docx, bytes)
    d = Document(io.BytesIO(docx))
    texts = [p.text for p in d.paragraphs]
    assert texts[0] == "call.wav"
    assert any(t.startswith("[00:00:00] SPEAKER_00: Hello there") for t in texts)
    assert d.tables[0].rows[0].cells[0].text == "Language"
    assert " ".join(t for t in texts[1:] if t).count("Hello") == 1


def test_speaker_labels_off_and_overrides(diarized: Transcript) -> None:
    srt = str(render_transcript(diarized, "srt", "generic", speaker_labels=False, max_chars=20, max_lines=1))
    assert "SPEAKER" not in srt
    body = [ln for ln in srt.split("\n") if ln and "-->" not in ln and not ln.isdigit()]
    assert all(len(ln) <= 20 for ln in body)


def test_json_ir_names_the_field_it_refuses() -> None:
    """The caption reader words a refused IR as the API words a 422 (schemas.validation): `field.path: message`."""
    from captions.errors import CaptionParseError
    from captions.jsonir import parse_json

    with pytest.raises(CaptionParseError, match=r"^JSON caption IR: cues\.0\.start_ms: Input should be a valid integer"):
        parse_json('{"cues": [{"start_ms": "soon", "end_ms": 10, "text": "hi"}]}')
