"""Four calls of the labelled set through the real models: espeak-ng → faster-whisper tiny.en → diarization
(channel for the stereo calls, speaker clustering for the mono ones) → analysis, scored like the benchmark.

A subset, not the 144 calls: the real pipeline costs 5-15 s a call on 2 cores, and the full run is the benchmark
(`benchmarks/analysis_eval.py`, docs/analysis.md). The four span both parts, both recording layouts, four
types and four outcomes. Asserted in aggregate with a margin under what the benchmark measured (one call may
miss a field on another machine's ASR), except the promises that must hold on every call: speaker roles, and
no PII value in a redacted analysis.
"""

from __future__ import annotations

import pytest

from analysis.evaluation import callset, score
from analysis.evaluation.synth import MONO_VOICES, espeak_path, synthesise

pytestmark = pytest.mark.slow
SUBSET = ["tune-04-sales-resolved", "tune-09-support-partial", "heldout-14-billing-escalated",
          "heldout-19-complaint-unresolved"]


@pytest.fixture(scope="module")
def scores(analyzer, tmp_path_factory):
    if espeak_path() is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng): the calls cannot be synthesised")
    from analysis.evaluation.pipeline import AudioPipeline
    from analysis.transcript import utterances_from_transcript

    pipeline = AudioPipeline()
    calls = {c.id: c for c in callset.generate()}
    out = []
    for cid in SUBSET:
        call = calls[cid]
        wav = tmp_path_factory.mktemp("calls") / f"{cid}.wav"
        times = synthesise(call.party_turns(), wav, stereo=call.stereo, voices=None if call.stereo else MONO_VOICES)
        utts = utterances_from_transcript(pipeline.transcribe(wav, "channel" if call.stereo else "speaker"))
        res = analyzer.analyze(utts, "pro", language="en")
        red = analyzer.analyze(utts, "pro", language="en", redact_pii=True)
        out.append(score.score(call, res, red, score.roles_right(call, 0, times, utts, res.speaker_roles)))
    return out


def test_subset_covers_both_layouts_and_parts():
    calls = {c.id: c for c in callset.generate()}
    assert {calls[c].stereo for c in SUBSET} == {True, False} and {calls[c].split for c in SUBSET} == {"tune", "heldout"}


def test_roles_and_redaction_hold_on_every_call(scores):
    assert all(s.right["roles"] for s in scores), {s.call.id: s.got["roles"] for s in scores}
    assert all(s.right["no_pii_value"] for s in scores), {s.call.id: s.got["no_pii_value"] for s in scores}


def test_fields_in_aggregate(scores):
    for field, floor in {"call_type": 0.75, "call_outcome": 0.75, "customer.name": 0.5, "agent.name": 0.5,
                         "recording_disclosure": 0.75, "pii_type_recall": 0.6}.items():
        got = score.accuracy(scores, field)
        assert got >= floor, (field, got, {s.call.id: s.got.get(field) for s in scores})
