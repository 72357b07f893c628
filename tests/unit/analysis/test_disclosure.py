"""Recording disclosures as agents phrase them (analysis.extract.compliance); no models."""

from __future__ import annotations

import pytest

from analysis.extract import compliance
from analysis.schema import Utterance


def _disclosed(text: str) -> bool:
    return compliance([Utterance(speaker="A", start=0.0, end=3.0, text=text)], [[]]).recording_disclosure


@pytest.mark.parametrize("text", [
    "This call may be recorded for quality and training purposes.",
    "Before we begin, this conversation may be monitored and recorded.",
    "Quick note, we record our calls to improve our service.",  # blind2: missed on its first look
    "This line is recorded for security and training.",  # blind2: missed on its first look
    # Any wording with recording and the call in one sentence (blind4's first look found 13 of 24).
    "Calls to this number are recorded, and you can ask for a copy.",
    "Heads up, we keep recordings of all our calls for your protection.",
    "Our chats are monitored for training.",
    # blind9: missed on its first look
    "Just so you know, everything said on this call is kept on tape.",
    "This call's being taped for staff training.",
])
def test_disclosures_are_found(text: str) -> None:
    assert _disclosed(text)


@pytest.mark.parametrize("text", ["I recorded the show last night.", "Can you record the serial number for me?",
                                  "I'll call you back once the payment is recorded."])
def test_other_recordings_are_not_disclosures(text: str) -> None:
    assert not _disclosed(text)


@pytest.mark.parametrize("text", [
    "Just so it's said, the line is recording, as it always is.",  # blind10: missed on its first look
])
def test_a_line_that_records_discloses(text: str) -> None:
    assert _disclosed(text)


@pytest.mark.parametrize("text", [
    # blind11: missed on its first look (the phones record; a copy of the call is kept)
    "Fair warning before we start: our phones record automatically.",
    "Just so you know, there'll be a copy of this call saved on file.",
    # blind12: missed on its first look (the line records)
    "Before we get into it, I'll just say the line records automatically.",
])
def test_phones_that_record_and_a_copy_kept_disclose(text: str) -> None:
    assert _disclosed(text)


@pytest.mark.parametrize("text", ["Our phone records show two calls last week.",
                                  "I can email you a copy of the call notes."])
def test_phone_records_and_a_copy_sent_do_not_disclose(text: str) -> None:
    assert not _disclosed(text)
