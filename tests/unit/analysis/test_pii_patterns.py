"""Call-context PII patterns that need no model: numbers the ASR mangled so a phone parser no longer sees them."""

from __future__ import annotations

import pytest

from analysis.pii import _pattern_spans


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("My phone number is 45550132.", "45550132"),  # measured: tiny.en dropped a digit of "415 555 0132"
        ("you can call me at 415 555 0132 tomorrow", "415 555 0132"),
        ("The phone number: (415) 555-0132.", "(415) 555-0132"),
        ("my cell is +44 20 7946 0958", "+44 20 7946 0958"),
    ],
)
def test_phone_given_in_context_is_found(text: str, value: str) -> None:
    assert [(s.type, text[s.start:s.end]) for s in _pattern_spans(text)] == [("PHONE_NUMBER", value)]


@pytest.mark.parametrize("text", ["my phone is 12 years old", "the phone costs 499 dollars", "call me in 20 minutes"])
def test_short_numbers_near_phone_words_are_not_phones(text: str) -> None:
    assert [s for s in _pattern_spans(text) if s.type == "PHONE_NUMBER"] == []
