"""The offline analysis with the real models on the labelled call set and on transcripts."""

from __future__ import annotations

import json

from tests.unit.analysis import callset
import httpx

from analysis.analyzer import Analyzer
from analysis.llm import LlmBackend, LlmSettings
from schemas.result import Transcript


def test_quality_targets_on_the_labelled_set(analyzer, callset_calls):
    assert len(callset_calls) >= 40
    assert {c.call_type for c in callset_calls} == set(callset.TYPES)
    assert {c.outcome for c in callset_calls} == set(callset.OUTCOMES)
    types_ok = outcomes_ok = 0
    planted = caught = 0
    for call in callset_calls:
        res = analyzer.analyze(call.utterances, "pro")
        types_ok += res.call_type == call.call_type
        outcomes_ok += res.call_outcome == call.outcome
        cleaned = res.transcript_cleaned
        assert cleaned.startswith(("Agent:", "Customer:"))
        red = analyzer.analyze(call.utterances, "pro", redact_pii=True)
        for _kind, value in call.planted:
            planted += 1
            caught += value not in red.transcript_cleaned
            assert value not in json.dumps(red.model_dump()) or _kind == "PERSON" and len(value) < 4
    assert types_ok / len(callset_calls) >= 0.8
    assert outcomes_ok / len(callset_calls) >= 0.7
    assert caught / planted >= 0.95


def test_pro_fields_null_when_not_mentioned(analyzer):
    from analysis.schema import Utterance

    utts = [Utterance(speaker="A", start=0, end=2, text="Thanks for calling Acme, how can I help you?"),
            Utterance(speaker="B", start=2, end=5, text="Hi, what time does your shop close on Saturdays?"),
            Utterance(speaker="A", start=5, end=8, text="We close at six. Anything else?"),
            Utterance(speaker="B", start=8, end=9, text="No, thanks, bye.")]
    res = analyzer.analyze(utts, "lite", fields=["financial"])
    assert res.level == "pro" and res.warnings and "upgraded" in res.warnings[0]
    assert res.financial.model_dump() == dict.fromkeys(res.financial.model_dump())
    assert res.customer.email is None and res.customer.phone is None and res.agent.agent_id is None
    assert res.compliance.sensitive_data_shared == [] and res.compliance.recording_disclosure is False
    lite = analyzer.analyze(utts, "lite")
    assert lite.call_type is None and lite.call_summary is None and lite.transcript_cleaned.startswith("Agent:")


def test_a_complaint_said_in_short_sentences_is_a_complaint(analyzer):
    """"I'm angry." has one content word, so it is never embedded; its cue and its affect still count."""
    from analysis.schema import Utterance

    # held-out call 16 as tiny.en wrote it (classed `other` before: only the embedded sentences were read)
    turns = [("A", "Please note that calls are recorded for quality assurance. I thank for calling maples streaming. "
                   "You are speaking with Brandon. How may I assist you?"),
             ("B", "Thank Stranden. My name's Anzy Ward. Your delivery driver threw my package over the fence, and it "
                   "arrived smashed. I'm angry."),
             ("A", "Which card would you like to use?"), ("B", "The visa ending in 746 won."),
             ("A", "To verify you, I'll need the last four digits on your social."), ("B", "Okay, 6741."),
             ("A", "I'm so sorry that should ever have happened."),
             ("B", "It's unacceptable. I want someone to take responsibility."),
             ("A", "For your records, the case number is BQ77204. Here's what we'll do. Will you file a formal report "
                   "and credit your account with 40 dollars? You can drop the old one off at any store or use a "
                   "prepaid label."),
             ("B", "Perfect. I'm exactly what I needed. I really appreciate it."),
             ("A", "Anything else for you today?"), ("B", "Nope. That's everything.")]
    utts = [Utterance(speaker=s, start=i * 4.0, end=i * 4.0 + 3.5, text=t) for i, (s, t) in enumerate(turns)]
    res = analyzer.analyze(utts, "pro")
    assert (res.call_type, res.call_outcome) == ("complaint", "resolved")


def test_sensitive_types_listed_never_values(analyzer, callset_calls):
    call = next(c for c in callset_calls if any(k == "CREDIT_CARD" for k, _ in c.planted))
    res = analyzer.analyze(call.utterances, "pro")
    assert "CREDIT_CARD" in res.compliance.sensitive_data_shared
    card = next(v for k, v in call.planted if k == "CREDIT_CARD")
    assert card not in json.dumps(res.compliance.model_dump())


def test_redact_transcript_words_segments_text(analyzer):
    words, t = [], 0.0
    for w in "Hi my name is Maria Lopez and my card is 4111 1111 1111 1111 , email maria.lopez@example.org .".split():
        words.append({"word": " " + w, "start": t, "end": t + 0.3, "probability": 0.9})
        t += 0.35
    text = "".join(w["word"] for w in words)
    doc = Transcript(language="en", duration=t, model="tiny.en", text=text.strip(),
                     segments=[{"id": 0, "start": 0.0, "end": t, "text": text}], words=words).model_dump()
    red, types = analyzer.redact_transcript(doc)
    Transcript.model_validate(red)
    dumped = json.dumps(red)
    for value in ("4111", "Maria", "maria.lopez@example.org"):
        assert value not in dumped
    assert {"CREDIT_CARD", "EMAIL", "PERSON"} <= set(types)
    card = next(w for w in red["words"] if "[CREDIT_CARD]" in w["word"])
    first_digit = next(w for w in words if w["word"] == " 4111")
    assert card["start"] == first_digit["start"] and card["end"] == words[13]["end"]
    assert {k: red["words"][0][k] for k in words[0]} == words[0]
    assert "[EMAIL]" in red["segments"][0]["text"] and "[CREDIT_CARD]" in red["text"]


def test_redaction_of_words_stored_without_leading_spaces(analyzer):
    """Parlance stores words without Whisper's leading space; they must not be glued together for detection."""
    tokens = "My phone number is 45550132. Thanks, I'm Dana Reyes.".split()
    words = [{"word": w, "start": i * 0.4, "end": i * 0.4 + 0.3, "probability": 0.9} for i, w in enumerate(tokens)]
    doc = Transcript(language="en", duration=4.0, model="tiny.en", text=" ".join(tokens),
                     segments=[{"id": 0, "start": 0.0, "end": 4.0, "text": " ".join(tokens)}], words=words).model_dump()
    red, types = analyzer.redact_transcript(doc)
    shown = [w["word"] for w in red["words"]]
    assert "[PHONE_NUMBER]." in shown and not any(any(c.isdigit() for c in w) for w in shown), shown
    phone = next(w for w in red["words"] if w["word"] == "[PHONE_NUMBER].")
    assert (phone["start"], phone["end"]) == (words[4]["start"], words[4]["end"])
    assert "Reyes" not in json.dumps(red) and "PHONE_NUMBER" in types


def test_llm_backend_used_and_offline_fallback(analyzer, callset_calls):
    call = callset_calls[0]
    answer = {"call_summary": "s", "call_type": "sales", "call_outcome": "resolved", "key_issues": []}
    seen = []

    def handler(request):
        seen.append(json.loads(request.content)["messages"][1]["content"])
        return httpx.Response(200, json={"choices": [{"message": {"content": json.dumps(answer)}}]})

    llm = LlmBackend(LlmSettings(base_url="http://llm.test/v1", model="m"),
                     client=httpx.Client(transport=httpx.MockTransport(handler)))
    with_llm = Analyzer(models=analyzer.models, llm=llm)
    res = with_llm.analyze(call.utterances, "pro", redact_pii=True)
    assert res.backend == "llm" and res.call_type == "sales" and res.sentiment is not None
    email = next(v for k, v in call.planted if k == "EMAIL")
    assert email not in seen[0]  # a redacting job sends the redacted transcript
    # types, never values: contact details are listed too (a phone number or email on a recorded line)
    assert res.compliance is not None and "EMAIL" in res.compliance.sensitive_data_shared

    broken = Analyzer(models=analyzer.models, llm=LlmBackend(
        LlmSettings(base_url="http://llm.test/v1", model="m"),
        client=httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(500)))))
    res = broken.analyze(call.utterances, "pro")
    assert res.backend == "offline" and res.call_type is not None and any("offline" in w for w in res.warnings)


def test_a_name_word_of_a_found_address_is_redacted_where_no_detector_saw_it(analyzer):
    """blind4's first look leaked "archer": the agent's turn repeated a name garbled ("Shortening Simo Archer")
    that only the spelled address ("simo not archer at comcast .net") revealed as personal."""
    from analysis.schema import Utterance

    utts = [Utterance(speaker="A", start=0, end=2, text="Thanks for calling Acme, how can I help you?"),
            Utterance(speaker="C", start=2, end=4, text="My repeat prescription order keeps failing."),
            Utterance(speaker="A", start=4, end=6, text="Could you give me the name on the account? Shortening Simo "
                                                         "Archer Have you got an email address for the details?"),
            Utterance(speaker="C", start=6, end=8, text="Yes, send it to Simo Not Archer at Comcast .net")]
    red = analyzer.analyze(utts, "pro", redact_pii=True)
    assert "archer" not in json.dumps(red.model_dump()).lower()
    assert "prescription" in red.transcript_cleaned  # everyday words stay


def test_a_lower_case_word_of_a_found_address_is_redacted_where_the_address_is_said_again(analyzer):
    """blind8 (noisy text) leaked "hall": the caller said her address twice, and the second saying ("matthew dot
    hall rogers .com", no "at") was found by no detector; "hall" elsewhere is an everyday word and stays."""
    from analysis.schema import Utterance

    utts = [Utterance(speaker="A", start=0, end=2, text="Thank you for calling Fairhaven. How may I assist you?"),
            Utterance(speaker="C", start=2, end=4, text="Calling to cancel the plan. We met in the hall at noon."),
            Utterance(speaker="A", start=4, end=6, text="May I confirm the email address registered to the account?"),
            Utterance(speaker="C", start=6, end=8, text="It's matthew dot hall at rogers dot com. Oh, hang on, is "
                                                         "that the old one? No, it's right, matthew dot hall rogers "
                                                         ".com.")]
    red = analyzer.analyze(utts, "pro", redact_pii=True)
    assert "dot hall" not in red.transcript_cleaned and "matthew" not in red.transcript_cleaned.lower()
    assert "in the hall at noon" in red.transcript_cleaned


def test_an_address_made_of_a_found_name_is_redacted_where_no_detector_saw_it(analyzer):
    """blind10 (noisy text) leaked "pecheverria": the caller's address lost its "dot net" ("It's pecheverria at
    telus"), so no detector saw an address; it holds her found surname glued to an initial."""
    from analysis.schema import Utterance

    utts = [Utterance(speaker="A", start=0, end=2, text="Larchfield Dental, Oskar speaking. Who am I speaking to?"),
            Utterance(speaker="C", start=2, end=4, text="Oh, on course. Imelda Castellanos. I was charged twice."),
            Utterance(speaker="A", start=4, end=6, text="I'll email you the refund note. address would that be."),
            Utterance(speaker="C", start=6, end=8, text="Yes please. It's icastellanos at shaw All lower case.")]
    red = analyzer.analyze(utts, "pro", redact_pii=True)
    assert "castellanos" not in json.dumps(red.model_dump()).lower()
    assert "charged twice" in red.transcript_cleaned


def test_digits_answering_a_phone_question_stay_a_phone_number_in_a_socials_shape(analyzer):
    """blind8 on audio: ASR lost a digit of "three one two, five five five, eight three one four" and wrote
    "312-55-8314", a social security number's shape; the question asked for a telephone number."""
    from analysis.schema import Utterance

    utts = [Utterance(speaker="A", start=0, end=2, text="Fairhaven Appliance Repair, Jason speaking. What's up?"),
            Utterance(speaker="C", start=2, end=4, text="Your engineer cancelled on me again, third time."),
            Utterance(speaker="A", start=4, end=6, text="In order to proceed, may I please take a contact telephone "
                                                         "number."),
            Utterance(speaker="C", start=6, end=8, text="Mobile 312-55-8314.")]
    res = analyzer.analyze(utts, "pro")
    assert res.compliance is not None and res.compliance.sensitive_data_shared == ["PHONE_NUMBER"]
