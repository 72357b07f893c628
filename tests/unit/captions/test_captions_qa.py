"""Diagnostics, fixes and the score on hand-made and malformed inputs."""

from __future__ import annotations

import pytest

from captions import CaptionParseError, UnknownPreset, process_captions
from captions.ir import balance_tags, words_of
from captions.parse import parse_bytes


def codes(report_diags) -> set[str]:  # noqa: ANN001
    return {d.code for d in report_diags}


BAD_SRT = b"""1
00:00:01,000 --> 00:00:02,000
<i>This is a very long line that certainly goes past the forty two limit</i>

2
00:00:01,500 --> 00:00:01,700
Overlap

3
0:0:5.5 --> 00:00:06,000
odd stamp

4
garbage --> more
kept text

5
00:00:09,000 --> 00:00:30,000
one two three four five six seven eight nine ten eleven twelve
"""


def test_every_rule_is_reported_with_cue_and_line() -> None:
    report = process_captions(BAD_SRT, "youtube")
    found = codes(report.diagnostics)
    assert {"invalid_timestamp", "overlapping_cues", "line_too_long", "cue_too_short", "cue_too_long", "reading_speed_high", "strip_styling"} <= found
    overlap = next(d for d in report.diagnostics if d.code == "overlapping_cues")
    assert (overlap.cue_index, overlap.line, overlap.severity) == (1, 6, "error")
    assert report.remaining_diagnostics == [] and report.output_qa_score == 100
    assert report.qa_score < 50
    out = parse_bytes(report.output.encode()).doc
    assert [w for c in out.cues for w in words_of(c.text)] == [w for c in parse_bytes(BAD_SRT).doc.cues for w in words_of(c.text)]


def test_too_many_lines_and_wrap() -> None:
    srt = b"1\n00:00:00,000 --> 00:00:05,000\none\ntwo\nthree\n"
    report = process_captions(srt, "generic")
    assert "too_many_lines" in codes(report.diagnostics)
    assert any(f.code == "wrap_lines" for f in report.fixes)
    assert "one two three" in report.output


def test_missing_webvtt_header_is_an_error_and_fixed() -> None:
    report = process_captions(b"00:00:01.000 --> 00:00:03.000\nhello world\n", "html5")
    assert report.input_format == "vtt"
    assert "missing_webvtt_header" in codes(report.diagnostics)
    assert report.output.startswith("WEBVTT")


def test_html5_keeps_vtt_styling_but_drops_font_tags() -> None:
    vtt = b'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<i>hello</i> <font color="red">world</font>\n'
    report = process_captions(vtt, "html5")
    assert "<i>hello</i> world" in report.output
    assert process_captions(vtt, "youtube").output.split("\n")[2] == "hello world"


def test_splitting_a_styled_cue_carries_its_styling_into_every_part() -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:09,000\n<i>this is a very long <b>italic caption</b> that certainly needs to be "
        "split into several cues because it is long</i>\n"
    ).encode()
    report = process_captions(srt, "html5")
    bodies = [block.split("\n", 1)[1] for block in report.output.split("\n\n")[1:] if block.strip()]
    assert len(bodies) >= 2
    for body in bodies:
        assert body.startswith("<i>") and body.rstrip().endswith("</i>"), body
        assert body.count("<b>") == body.count("</b>"), body
    assert " ".join(words_of(" ".join(bodies))) == " ".join(words_of(srt.decode().split("\n", 2)[2]))


def test_balance_tags_closes_and_reopens_across_cuts() -> None:
    assert balance_tags(["<i>a <c.loud>b", "c</c> d", "e</i>", "f"]) == [
        "<i>a <c.loud>b</c></i>", "<i><c.loud>c</c> d</i>", "<i>e</i>", "f"
    ]
    assert balance_tags(["plain", "</i>stray"]) == ["plain", "</i>stray"]


def test_empty_input_and_no_cues_score_zero() -> None:
    empty = process_captions(b"\xef\xbb\xbf  \n", "generic")
    assert codes(empty.diagnostics) == {"empty_input"} and empty.qa_score == 0 and empty.cue_count == 0
    no_cues = process_captions(b"WEBVTT\n\nNOTE nothing here\n", "generic")
    assert "no_cues" in codes(no_cues.diagnostics) and no_cues.qa_score == 0
    assert any(d.severity == "error" for d in no_cues.remaining_diagnostics)


def test_binary_junk_and_unknown_text_are_parse_errors() -> None:
    with pytest.raises(CaptionParseError, match="binary"):
        process_captions(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "generic")
    with pytest.raises(CaptionParseError, match="unrecognised"):
        process_captions(b"just some prose, no timings", "generic")
    with pytest.raises(CaptionParseError, match="TTML"):
        process_captions(b"<tt><body><p>unclosed", "generic")
    with pytest.raises(CaptionParseError, match="JSON"):
        process_captions(b'{"cues": [{"start_ms": "x"}]}', "generic")


def test_non_utf8_is_an_encoding_error_but_readable() -> None:
    report = process_captions("1\n00:00:01,000 --> 00:00:03,000\ncafé\n".encode("cp1252"), "generic")
    assert "encoding_error" in codes(report.diagnostics)
    assert "café" in report.output


def test_bad_preset() -> None:
    with pytest.raises(UnknownPreset):
        process_captions(BAD_SRT, "netflix")


def test_diagnose_only_leaves_input_unchanged() -> None:
    report = process_captions(BAD_SRT, "generic", fix=False)
    assert report.fixes and all(f.code == "normalise_timestamp" for f in report.fixes)
    assert any(d.severity == "error" for d in report.remaining_diagnostics)


def test_score_formula() -> None:
    from captions.report import Diagnostic
    from captions.score import qa_score

    assert qa_score([], 10) == 100
    assert qa_score([Diagnostic(code="x", severity="error", message="", cue_index=0)], 10) == 90
    warns = [Diagnostic(code="x", severity="warn", message="", cue_index=1)] * 5
    assert qa_score(warns, 10) == 90  # capped at one cue's worth
    assert qa_score([Diagnostic(code="encoding_error", severity="error", message="")], 10) == 90
    assert qa_score([], 0) == 0
