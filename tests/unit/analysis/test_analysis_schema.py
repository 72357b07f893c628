"""Pure parts: level resolution, roles, rendering, overlap resolution, word mapping, LLM validation/fallback."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import httpx
import pytest

from analysis.llm import LlmBackend, LlmError, LlmSettings
from analysis.pii import PiiSpan, _resolve_overlaps, join_words, redact_text, redact_words, replace_values
from analysis.roles import infer_roles, render_transcript
from analysis.schema import AiAnalysis, Utterance, resolve_level


def test_lite_asking_for_pro_fields_is_upgraded_with_a_warning():
    assert resolve_level("lite", None) == ("lite", [])
    assert resolve_level("pro", ["call_type"]) == ("pro", [])
    level, warnings = resolve_level("lite", ["transcript_cleaned", "call_summary"])
    assert level == "pro" and "call_summary" in warnings[0]


def _u(speaker, text, t=0.0):
    return Utterance(speaker=speaker, start=t, end=t + 1, text=text)


def test_roles_from_greeting_even_when_the_customer_speaks_first():
    utts = [_u("B", "Hello?"), _u("A", "Thank you for calling Acme, this is Jo. How can I help you?"),
            _u("B", "Hi, I'm calling about my bill, I was charged twice.")]
    roles = infer_roles(utts)
    assert roles == {"B": "Customer", "A": "Agent"}
    assert render_transcript(utts, roles).splitlines()[1].startswith("Agent: Thank you")


def test_roles_stay_speaker_n_without_evidence():
    utts = [_u("X", "Nice weather today."), _u("Y", "It really is.")]
    assert infer_roles(utts) == {"X": "Speaker 1", "Y": "Speaker 2"}
    assert render_transcript([_u(None, "no labels")], {}) == "no labels"


def test_overlaps_prefer_specific_types():
    spans = [PiiSpan("PHONE_NUMBER", 0, 19, 0.4), PiiSpan("CREDIT_CARD", 0, 19, 1.0), PiiSpan("PERSON", 25, 29, 0.85)]
    assert [s.type for s in _resolve_overlaps(spans)] == ["CREDIT_CARD", "PERSON"]
    assert redact_text("call 555 now", [PiiSpan("PHONE_NUMBER", 5, 8, 1)]) == "call [PHONE_NUMBER] now"


def test_redact_words_merges_covered_words_and_keeps_timing():
    words = [{"word": " call", "start": 0.0, "end": 0.4, "probability": 0.9},
             {"word": " 415", "start": 0.5, "end": 0.8, "probability": 0.8},
             {"word": "-823-", "start": 0.8, "end": 1.0, "probability": 0.7},
             {"word": "4471.", "start": 1.0, "end": 1.4, "probability": 0.95},
             {"word": " thanks", "start": 1.5, "end": 1.9, "probability": 0.9}]
    text = join_words(words)[0]
    assert text == " call 415-823-4471. thanks"  # Whisper's pieces join as they are
    start = text.index("415")
    out = redact_words(words, [PiiSpan("PHONE_NUMBER", start, start + len("415-823-4471"), 0.9)])
    assert [w["word"] for w in out] == [" call", " [PHONE_NUMBER].", " thanks"]
    assert (out[1]["start"], out[1]["end"], out[1]["probability"]) == (0.5, 1.4, 0.7)


def test_replace_values_longest_first():
    values = {"Maria Lopez": "PERSON", "Maria": "PERSON"}
    assert replace_values("Maria Lopez, yes Maria.", values) == "[PERSON], yes [PERSON]."


def _backend(handler) -> LlmBackend:
    return LlmBackend(LlmSettings(base_url="http://llm.test/v1", model="m", api_key="k"),
                      client=httpx.Client(transport=httpx.MockTransport(handler)))


def test_llm_answer_is_validated():
    answer = {"call_summary": "Billing question.", "call_type": "billing", "call_outcome": "resolved",
              "customer": {"name": None, "company": None, "email": None, "phone": None}, "key_issues": ["fee"]}

    def ok(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        assert body["model"] == "m" and request.headers["authorization"] == "Bearer k"
        return httpx.Response(200, json={"choices": [{"message": {"content": "```json\n" + json.dumps(answer) + "```"}}]})

    got = _backend(ok).analyse("Agent: hi")
    assert got.call_type == "billing" and got.customer.email is None

    def bad_vocab(request):
        return httpx.Response(200, json={"choices": [{"message": {"content": json.dumps({"call_type": "refund"})}}]})

    def down(request):
        return httpx.Response(503)

    for handler in (bad_vocab, down):
        with pytest.raises(LlmError):
            _backend(handler).analyse("x")


def test_call_fact_from_analysis():
    from analysis.analyzer import Analyzer
    from analysis.schema import Sentiment

    a = AiAnalysis(level="pro", transcript_cleaned="", speaker_roles={"S0": "Agent", "S1": "Customer"},
                   call_type="billing", call_outcome="resolved",
                   sentiment=Sentiment(customer_sentiment="positive", agent_performance="good", customer_score=0.4))
    fact = Analyzer.call_fact(a, job_id="j", account_id="acc", occurred_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
                              duration=61.5, language="en")
    assert (fact.call_type, fact.outcome, fact.sentiment, fact.speakers, fact.sentiment_score) == (
        "billing", "resolved", "positive", 2, 0.4)
    lite = AiAnalysis(level="lite", transcript_cleaned="")
    assert Analyzer.call_fact(lite, job_id="j", account_id="a", occurred_at=datetime.now(timezone.utc), duration=1,
                              language=None).call_type == "unknown"


def test_utterances_from_transcript_merges_turns():
    from analysis.transcript import utterances_from_transcript

    doc = {"segments": [{"id": 0, "start": 0, "end": 1, "text": " Hi.", "speaker": "Speaker 1"},
                        {"id": 1, "start": 1.2, "end": 2, "text": " How can I help?", "speaker": "Speaker 1"},
                        {"id": 2, "start": 2.5, "end": 4, "text": " My bill.", "speaker": "Speaker 2"},
                        {"id": 3, "start": 9, "end": 10, "text": " Hello?", "speaker": "Speaker 2"}]}
    utts = utterances_from_transcript(doc)
    assert [(u.speaker, u.text) for u in utts] == [("Speaker 1", "Hi. How can I help?"), ("Speaker 2", "My bill."),
                                                   ("Speaker 2", "Hello?")]


def test_requestable_fields_match_the_analysis_document():
    """schemas may not import analysis, so the option's field list is written twice: keep the two in step."""
    from analysis.schema import PRO_FIELDS, AiAnalysis
    from schemas.options import ANALYSIS_FIELDS

    assert set(ANALYSIS_FIELDS) == {"transcript_cleaned", "speaker_roles", *PRO_FIELDS}
    assert set(ANALYSIS_FIELDS) <= set(AiAnalysis.model_fields)


def test_the_result_types_ai_analysis_and_keeps_its_json():
    """`Transcript.ai_analysis` is the AiAnalysis model: a stored result reads back as one and writes the same JSON
    the analysis stage put there (every field, nulls included)."""
    from pydantic import ValidationError

    from analysis.schema import Sentiment
    from schemas.result import Transcript

    analysis = AiAnalysis(level="pro", transcript_cleaned="Agent: Hi.", speaker_roles={"Speaker 1": "Agent"},
                          call_type="support", key_issues=["bill"],
                          sentiment=Sentiment(customer_sentiment="neutral", agent_performance="good", customer_score=0.25))
    doc = {"language": "en", "duration": 1.0, "model": "tiny.en", "text": "Hi.", "segments": [], "words": [],
           "ai_analysis": analysis.model_dump(mode="json")}
    stored = Transcript.model_validate(doc).model_dump_json()
    read = Transcript.model_validate_json(stored)
    assert isinstance(read.ai_analysis, AiAnalysis) and read.ai_analysis == analysis
    assert json.loads(stored)["ai_analysis"] == doc["ai_analysis"]
    with pytest.raises(ValidationError, match="extra"):
        Transcript.model_validate({**doc, "ai_analysis": {**doc["ai_analysis"], "mood": "sunny"}})
