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


def test_an_email_word_leaks_as_a_word_not_inside_another():
    """"ames" (of winifred.ames@…) is no leak inside "names"; the word itself is one."""
    from analysis.evaluation import callset, score
    from analysis.schema import AiAnalysis

    call = next(c for c in callset.generate() if c.pii_words)
    word = call.pii_words[0]
    clean = AiAnalysis(level="pro", transcript_cleaned=f"the x{word}s were listed")
    leaky = AiAnalysis(level="pro", transcript_cleaned=f"send it to {word} at example dot com")
    assert score.score(call, clean, clean).right["no_pii_value"] == 1.0
    assert score.score(call, leaky, leaky).right["no_pii_value"] == 0.0
