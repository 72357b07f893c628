"""Accuracy of the offline analysis over the labelled call set, per field, with a margin: the 336 calls of the parts
fitted and read while fixing, and the held-out part (callset.HELD_OUT, 24 calls) apart.

Why text with ASR-like noise and not audio: the real pipeline (espeak-ng → faster-whisper → diarization)
costs 5-15 s a call on 2 cores, so the 336 calls would add 25-75 minutes to the suite; that run is the
benchmark (`benchmarks/analysis_eval.py`, figures in docs/analysis.md), and
tests/integration/analysis/test_callset_audio.py runs a subset of it through the real models. Here each
scripted call gets the errors seen in the benchmark's transcripts (digits as digits, spelled emails half
joined, lost question marks, a turn cut into the next speaker's, misheard and dropped words:
`analysis.evaluation.noise`), so a rule that needs clean text fails this test.

Why aggregates: one borderline call flips between machines and versions; a field's accuracy over 336 calls
does not move by 10 points unless the analysis changed. The floors sit about 10 points under what the tune
part scored when they were set (see docs/analysis.md), except where the product makes a promise (no PII value
in a redacted analysis, speaker roles), which must hold on every call.

The learned classifier (analysis.learned) was fitted on those 336 calls' scripts and audio transcripts, so its
call_type and outcome there are no generalisation figure. The held-out part is: never fitted on, its errors never
read while fixing. Its floors are its one measurement (round 15 in docs/analysis.md) less two calls, and its
promises are held to what it measured, not mended, so that it stays unseen: on noisy text one of its 24 calls has
its roles wrong (audio and script: 24/24).
"""

from __future__ import annotations

import pytest

from analysis.evaluation import callset, score
from analysis.evaluation.noise import noisy_utterances

FLOORS = {
    "call_type": 0.85, "call_outcome": 0.8, "customer.name": 0.8, "agent.name": 0.75, "recording_disclosure": 0.85,
    "roles": 1.0, "pii_type_recall": 0.85, "no_pii_value": 1.0, "action_items": 0.8, "agreements": 0.8,
}


# blind13's first look on noisy text (at 2f77119): type 0.958, outcome 0.958, names 0.792 / 0.958, disclosure
# 0.917, roles 0.958, PII type recall 0.975 (39/40), no PII value 1.000, action items 0.792, agreements 0.833.
HELD_OUT_FLOORS = {
    "call_type": 0.875, "call_outcome": 0.875, "customer.name": 0.7, "agent.name": 0.875,
    "recording_disclosure": 0.83, "roles": 0.875, "pii_type_recall": 0.9, "no_pii_value": 1.0, "action_items": 0.7,
    "agreements": 0.75,
}


def _scores(analyzer, parts: tuple[str, ...]) -> list[score.CallScore]:
    out = []
    for call in (c for c in callset.generate() if c.split in parts):
        utts = noisy_utterances(call)
        res = analyzer.analyze(utts, "pro", language="en")
        red = analyzer.analyze(utts, "pro", language="en", redact_pii=True)
        roles_ok = score.roles_right(call, 0, [(u.start, u.end) for u in utts], utts, res.speaker_roles)
        out.append(score.score(call, res, red, roles_ok))
    return out


@pytest.fixture(scope="module")
def scores(analyzer):
    return _scores(analyzer, callset.FITTED)


@pytest.fixture(scope="module")
def held_out_scores(analyzer):
    return _scores(analyzer, callset.HELD_OUT)


def test_the_set_covers_every_type_and_outcome_in_every_part():
    calls = callset.generate()
    assert len(calls) >= 40
    people: dict[str, set[str | None]] = {}
    for part in callset.SPLITS:
        mine = [c for c in calls if c.split == part]
        assert {c.call_type for c in mine} == set(callset.TYPES) and {c.outcome for c in mine} == set(callset.OUTCOMES)
        assert {c.stereo for c in mine} == {True, False}
        people[part] = {c.customer_name for c in mine} | {c.agent_name for c in mine}
    for a in callset.SPLITS:
        for b in callset.SPLITS:
            assert a == b or people[a] & people[b] <= {None}  # no part's people are another part's


@pytest.mark.parametrize("field", list(FLOORS))
def test_field_accuracy_over_the_set(scores, field):
    got = score.accuracy(scores, field)
    wrong = [s.call.id for s in scores if s.right.get(field, 0.0) < s.weight.get(field, 0.0)]
    assert got >= FLOORS[field], f"{field}: {got:.3f} < {FLOORS[field]} (wrong on {wrong})"


@pytest.mark.parametrize("field", list(HELD_OUT_FLOORS))
def test_field_accuracy_on_the_held_out_part(held_out_scores, field):
    assert len(held_out_scores) == 24 * len(callset.HELD_OUT)
    got = score.accuracy(held_out_scores, field)
    # The calls it missed are not named: a failure must not become a reading of the held-out part's errors.
    assert got >= HELD_OUT_FLOORS[field], f"{field}: {got:.3f} < {HELD_OUT_FLOORS[field]}"
