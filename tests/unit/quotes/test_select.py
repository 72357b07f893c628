"""Quote selection rules (quotes/select.py): what is a quote, and the ranking."""

from __future__ import annotations

from quotes.select import MAX_WORDS, score, select_quotes
from schemas.quotes import job_of_quote, parse_render_id, render_id
from schemas.result import Segment, Transcript, Word

JOB = "6f1c2b1e-8d0a-4c1e-9a55-0b7d3f2a9e11"


def _doc(sentences: list[tuple[str | None, str]]) -> Transcript:
    words, t = [], 0.0
    for speaker, sentence in sentences:
        for token in sentence.split():
            words.append(Word(word=" " + token, start=t, end=t + 0.3, probability=0.9, speaker=speaker))
            t += 0.4
    return Transcript(language="en", duration=t, model="tiny.en", text="", segments=[Segment(id=0, start=0, end=t, text="")], words=words)


def test_what_is_no_quote() -> None:
    assert score("Too short to say much.") is None
    assert score("Is this really the best thing we could possibly have built for them?") is None
    assert score(" ".join(["word"] * (MAX_WORDS + 1)) + ".") is None
    dangling = score("And that is why every team should always measure the thing that matters most.")
    plain = score("Every team should always measure the thing that matters most, said the coach.")
    assert dangling is not None and plain is not None and dangling < plain


def test_ranking_one_speaker_and_ids() -> None:
    doc = _doc([
        ("A", "We spent the morning in a meeting about the meeting schedule again."),
        ("B", "The biggest lesson we learned is that ninety percent of bugs come from one module."),
        ("A", "It was um like basically fine I guess in the end, like."),
    ])
    # A sentence that two speakers share is never a quote.
    doc.words[-1].speaker = "B"
    quotes = select_quotes(JOB, doc)
    assert [q.text.split()[0] for q in quotes] == ["The", "We"]
    assert quotes[0].speaker_label == "B" and quotes[0].score > quotes[1].score
    assert quotes[0].start_time < quotes[0].end_time and quotes[0].original_text == quotes[0].text
    assert job_of_quote(quotes[0].id) == JOB and job_of_quote("q_zz_1") is None
    assert parse_render_id(render_id(quotes[0].id, "video")) == (quotes[0].id, "video")
    assert parse_render_id("rx_" + quotes[0].id) is None
