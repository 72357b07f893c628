"""The benchmark's scoring rules (analysis.evaluation.score) that are not the analysis itself."""

from __future__ import annotations

from analysis.evaluation.score import name_heard, name_matches
from analysis.schema import Utterance


def _utts(*texts: str) -> list[Utterance]:
    return [Utterance(speaker="A", start=float(i), end=i + 0.5, text=t) for i, t in enumerate(texts)]


def test_a_name_is_heard_when_asr_wrote_its_first_name_or_surname_recognisably():
    assert name_heard("Olivia Reed", _utts("Sure, it is Olivia.", "Thanks."))
    assert name_heard("Samuel Okafor", _utts("Hi, it's Samuel O'Kafor calling."))  # ASR spelling
    assert not name_heard("Olivia Reed", _utts("I'll leave you read.", "Thanks."))  # misheard: no analysis can


def test_names_match_up_to_asr_spelling():
    assert name_matches("Mrs. Schmidt", "Anna Schmidt") and name_matches(None, None)
    assert not name_matches("Daniel", "Maria Gonzalez") and not name_matches(None, "Maria Gonzalez")
