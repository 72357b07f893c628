"""Speaker roles from what is said (analysis.roles); no models."""

from __future__ import annotations

from analysis.roles import infer_roles
from analysis.schema import Utterance


def _roles(turns: list[tuple[str, str]]) -> dict[str, str]:
    return infer_roles([Utterance(speaker=s, start=i * 3.0, end=i * 3.0 + 2.5, text=t) for i, (s, t) in enumerate(turns)])


def test_who_asks_for_details_is_the_agent_whatever_the_wording():
    """The caller opens with phrases an agent might use ("X here", "you're speaking to X", "account holder");
    the verification questions, worded nowhere in the cue lists, still tell who is who."""
    roles = _roles([
        ("C", "Hi, you're speaking to Denise Farrell here, I'm the account holder."),
        ("A", "Lovely. And what number's best if I need to ring you back?"),
        ("C", "My mobile is two zero six, five five five, nine one three five."),
        ("A", "Have you got an email address I can pop the details over to?"),
        ("C", "Yeah, send it to denise at example dot com."),
    ])
    assert roles == {"C": "Customer", "A": "Agent"}


def test_no_evidence_no_roles():
    assert _roles([("X", "Hello."), ("Y", "Hello."), ("X", "Nice weather.")]) == {"X": "Speaker 1", "Y": "Speaker 2"}


def test_a_callers_own_question_with_its_answer_and_a_phone_call_are_no_verification():
    """blind6's first look: the caller's "Home or mobile? Better use the mobile, …" and "while I'm on the
    phone" counted as asking for a number, so the roles did not separate; "Let's start with your name" asks."""
    roles = _roles([
        ("A", "Ridgeway Car Rental bookings and enquiries, Marnie here, go ahead."),
        ("C", "Hi. The receptionist mentioned a dental package. Can I sign Pepper up while I'm on the phone?"),
        ("A", "Let's start with your name, if that's okay."),
        ("C", "Of course, dear, it's Fatima Zahir."),
        ("A", "What number would you like us to use if we need you?"),
        ("C", "Home or mobile? Better use the mobile, six four six, eight six seven, nine six eight zero."),
    ])
    assert roles == {"A": "Agent", "C": "Customer"}
