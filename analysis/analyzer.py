"""`Analyzer`: models loaded once per worker, one call → `AiAnalysis`, and its row of call facts."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel

from analysis import classify, commitments, extract, roles as roles_mod, sentiment as sentiment_mod, summary, text
from analysis.keyissues import KeyIssues
from analysis.learned import DEFAULT_PATH, CallClassifier
from analysis.llm import LlmBackend, LlmError, LlmSettings
from analysis.models import Models
from analysis.pii import PiiDetector, PiiSpan, join_texts, redact_text, redact_transcript, replace_values, split_spans
from analysis.pii_spoken import asks_for
from analysis.schema import AiAnalysis, Utterance, resolve_level
from metering.facts import CallFact

log = logging.getLogger(__name__)
_KEY_ISSUE_TURNS = 200
_CLOSING = 5  # turns read for how the call ended (the fix, the customer's answer, the goodbyes)


class AnalyzerConfig(BaseModel):
    torch_threads: int | None = 1
    pii_threshold: float = 0.35
    max_embedded_sentences: int = 48
    # Call type and the outcome when the closing turns state none: "learned" (analysis.learned, fitted on the
    # labelled call set; measured better on unseen parts) or "rules" (label descriptions and cue phrases).
    classifier: Literal["learned", "rules"] = "learned"
    classifier_path: Path = DEFAULT_PATH
    llm: LlmSettings | None = None


@dataclass(frozen=True)
class Embedded:
    """The sentences the classifiers read and their vectors: `why` rows state the reason for the call (the
    opening and middle, verification requests left out), `closing` rows how it ended."""

    picked: list[text.Sentence]  # the embedded ones: opening + middle + closing
    vectors: np.ndarray
    n_why: int  # picked[:n_why] state the reason (the whole call when it has no opening or middle)
    n_closing: int  # picked[-n_closing:] are the closing
    why_rows: list[int]  # rows of picked[:n_why] that are not verification requests
    why_texts: list[str]  # every sentence before the closing but verification requests (cues read them all)
    before_closing: list[text.Sentence]
    customer_why_texts: list[str]  # the customer's of `why_texts` (every speaker's when no one is the customer)

    @property
    def closing_vectors(self) -> np.ndarray:
        return self.vectors[len(self.picked) - self.n_closing:]

    @property
    def closing_texts(self) -> list[str]:
        return [s.text for s in self.picked[len(self.picked) - self.n_closing:]]


class Analyzer:
    def __init__(self, config: AnalyzerConfig | None = None, models: Models | None = None,
                 llm: LlmBackend | None = None) -> None:
        self.config = config or AnalyzerConfig()
        self.models = models or Models.load(threads=self.config.torch_threads)
        self.pii = PiiDetector(self.models.nlp, threshold=self.config.pii_threshold)
        self.type_protos = classify.build_prototypes(self.models.encoder, classify.TYPE_PROTOTYPES)
        self.outcome_protos = classify.build_prototypes(
            self.models.encoder, classify.OUTCOME_PROTOTYPES, calibrate=False)  # measured: calibration hurt here
        self.classifier = CallClassifier.load(self.config.classifier_path) \
            if self.config.classifier == "learned" else None
        self.keyissues = KeyIssues()
        self.llm = llm or (LlmBackend(self.config.llm) if self.config.llm else None)

    # -- analysis ---------------------------------------------------------------------------------------------
    def analyze(self, utterances: list[Utterance | dict[str, Any]], level: str | None = "lite",
                duration: float | None = None, language: str | None = None, *, fields: list[str] | None = None,
                redact_pii: bool = False) -> AiAnalysis:
        chosen, warnings = resolve_level(level, fields)
        utts = sorted((u if isinstance(u, Utterance) else Utterance.model_validate(u) for u in utterances),
                      key=lambda u: (u.start, u.end))
        utts = [u for u in utts if u.text.strip()]
        if language and not language.lower().startswith("en"):
            warnings.append(f"offline analysis models are English; language '{language}' analysed with them")
        if not any(u.speaker is not None for u in utts):
            warnings.append("transcript has no speaker labels: roles not inferred")
        roles = roles_mod.infer_roles(utts)
        texts = [u.text for u in utts]
        pii = self._detect(texts) if (redact_pii or chosen == "pro") else [[] for _ in texts]
        shown = [u.model_copy(update={"text": redact_text(u.text, spans)}) if redact_pii and spans else u
                 for u, spans in zip(utts, pii)]
        result = AiAnalysis(level=chosen, transcript_cleaned=roles_mod.render_transcript(shown, roles),
                            speaker_roles=roles, warnings=warnings)
        if chosen == "lite":
            return result
        if self.llm is not None:
            try:
                answer = self.llm.analyse(result.transcript_cleaned)
                merged = result.model_copy(update={**answer.model_dump(exclude_none=False), "backend": "llm"})
                merged.compliance = self._merge_compliance(merged, utts, pii)
                if merged.sentiment is None:
                    merged.sentiment = sentiment_mod.analyse(self.models.vader, utts, roles, merged.call_outcome)
                return AiAnalysis.model_validate(merged.model_dump())
            except LlmError as exc:
                result = result.model_copy(update={"warnings": [*result.warnings, f"{exc}; offline analysis used"]})
        return self._offline(result, utts, roles, pii, redact_pii)

    def _detect(self, texts: list[str]) -> list[list[PiiSpan]]:
        joined, starts = join_texts(texts)
        return split_spans(self.pii.detect(joined), texts, starts)

    def _merge_compliance(self, analysis: AiAnalysis, utts, pii):
        local = extract.compliance(utts, pii)
        if analysis.compliance is None:
            return local
        types = sorted(set(analysis.compliance.sensitive_data_shared) | set(local.sensitive_data_shared))
        return analysis.compliance.model_copy(update={"sensitive_data_shared": types})

    def _offline(self, result: AiAnalysis, utts: list[Utterance], roles: dict[str, str],
                 pii: list[list[PiiSpan]], redact_pii: bool) -> AiAnalysis:
        emb = self.embed(utts, roles)
        call_type = outcome = None  # nothing said, nothing classified
        if emb.picked:
            why_vectors = emb.vectors[emb.why_rows]
            if self.classifier is not None:
                call_type, _ = self.classifier.classify_type(why_vectors, emb.why_texts, emb.customer_why_texts)
            else:
                call_type, _ = classify.classify_type(why_vectors, emb.why_texts, self.type_protos,
                                                      self._negativity(emb))
            outcome = classify.closing_outcome(closing_turns(utts, roles))
            if outcome is None and self.classifier is not None:
                outcome, _ = self.classifier.classify_outcome(emb.closing_vectors, emb.closing_texts)
            elif outcome is None:
                outcome, _ = classify.classify_outcome(emb.closing_vectors, emb.closing_texts, self.outcome_protos)
        customer, agent = extract.people(utts, roles, pii)
        values = {u.text[s.start:s.end].strip(): s.type for u, spans in zip(utts, pii) for s in spans}
        values.update({n: "PERSON" for n in (customer.name, agent.name) if n})
        values.update(_value_words(values))
        # Key issues from the customer's turns with every PII value masked: an address or a name is never one.
        masked = [redact_text(u.text, spans) for u, spans in zip(utts, pii)
                  if roles.get(u.speaker) == "Customer" or not any(r == "Customer" for r in roles.values())]
        customer_texts = [replace_values(t, values) for t in masked][:_KEY_ISSUE_TURNS]
        out = result.model_copy(update={
            "call_type": call_type,
            "call_outcome": outcome,
            "customer": customer,
            "agent": agent,
            "financial": extract.financial(utts),
            "compliance": extract.compliance(utts, pii),
            "sentiment": sentiment_mod.analyse(self.models.vader, utts, roles, outcome),
            "key_issues": self.keyissues.extract(customer_texts),
            "action_items": commitments.action_items(utts, roles),
            "agreements": commitments.agreements(utts, roles),
        })
        why = summary.reason(emb.picked[:emb.n_why], list(classify.label_similarity(
            emb.vectors[:emb.n_why], self.type_protos, call_type))) if call_type else None
        out.call_summary = summary.structured(out, why)
        return _redacted(out, values) if redact_pii else out

    def _negativity(self, emb: Embedded) -> float:
        """The customer's strongest negative affect before the closing, short sentences included ("I'm angry."
        has one content word, so it is never embedded); only the rule path's type reads it."""
        return max([0.0] + [-self.models.vader.polarity_scores(s.text)["compound"]
                            for s in emb.before_closing if s.role in ("Customer", None)])

    def embed(self, utts: list[Utterance], roles: dict[str, str]) -> Embedded:
        """A call's sentences and the embedded subset the classifiers read (also what the learned classifier
        is fitted on: analysis.evaluation.train)."""
        sents = text.sentences(utts, roles)
        head, middle, tail = text.candidates(sents, cap=self.config.max_embedded_sentences)
        picked = head + middle + tail
        vectors = self.models.encoder.encode([s.text for s in picked]) if picked else np.zeros((0, 0), np.float32)
        # The reason is stated before the closing (hand-offs and thanks are not reasons); a call too short to
        # have an opening is read whole.
        n_why = len(head) + len(middle) or len(picked)
        before = [s for s in sents if s.index < tail[0].index] if tail and (head or middle) else sents
        # A verification request ("Which card is the payment coming from?") names a card, a payment or an
        # account on every kind of call: it is no evidence of the call's type.
        asking = {s.index for s in before if asks_for(s.text)}  # the picked opening and middle are in `before`
        rows = [k for k, s in enumerate(picked[:n_why]) if s.index not in asking] or list(range(n_why))
        why = [s for s in before if s.index not in asking]
        return Embedded(picked, vectors, n_why, len(tail), rows, [s.text for s in why], before,
                        [s.text for s in why if s.role in ("Customer", None)])

    # -- redaction and facts --------------------------------------------------------------------------------
    def redact_transcript(self, transcript: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        return redact_transcript(transcript, self.pii)

    @staticmethod
    def call_fact(analysis: AiAnalysis, *, job_id: str, account_id: str, occurred_at: datetime, duration: float,
                  language: str | None, speakers: int | None = None) -> CallFact:
        sentiment = analysis.sentiment
        return CallFact(
            job_id=job_id, account_id=account_id, occurred_at=occurred_at, duration_seconds=max(0.0, duration),
            language=language or "unknown",
            speakers=speakers if speakers is not None else len(analysis.speaker_roles),
            call_type=analysis.call_type or "unknown", outcome=analysis.call_outcome or "unknown",
            sentiment=sentiment.customer_sentiment if sentiment else "unknown",
            sentiment_score=sentiment.customer_score if sentiment else 0.0,
        )


def closing_turns(utts: list[Utterance], roles: dict[str, str]) -> list[tuple[str | None, str]]:
    """(role, text) of the call's last turns: what the closing rules read for how it ended."""
    return [(roles.get(u.speaker) if u.speaker is not None else None, u.text) for u in utts[-_CLOSING:]]


_NOT_PERSONAL = {"com", "org", "net", "gmail", "yahoo", "outlook", "hotmail", "dot", "the", "and", "it's", "its"}


def _value_words(values: dict[str, str]) -> dict[str, str]:
    """The name-like words of names and addresses, each on its own: ASR splits a spoken address into sentences
    ("It is Sarah. Mitchell .gmail .com"), and a sentence picked for the summary may hold one piece of it."""
    out = {}
    for value, kind in values.items():
        if kind in ("PERSON", "EMAIL"):
            for w in re.findall(r"[A-Za-z][A-Za-z'’]{2,}", value):
                if w.lower() not in _NOT_PERSONAL:
                    out[w] = kind
    return out


def _local_parts_replaced(text: str, names: list[str]) -> str:
    """An email's first part that holds a found name glued to initials or digits, before "at" ("pecheverria at
    telus", the address given when no detector saw it: ASR dropped its "dot net")."""
    for name in names:
        text = re.sub(rf"(?i)\b\w{{0,3}}{re.escape(name)}\w{{0,4}}(?=\s+at\s|\s*@)", "[EMAIL]", text)
    return text


def _address_words_replaced(text: str, words: list[str]) -> str:
    """A lower-case word of a found address where it sits in an address again: after "dot", "at" or "@"/"." with
    no space, or before "dot" or a "." joined to the next word ("It's [EMAIL]. Oh, hang on… No, it's right,
    matthew dot hall rogers .com", where no detector saw the second saying). Elsewhere such a word is an everyday
    one ("hall", "park") and stays."""
    for w in words:
        word = re.escape(w)
        text = re.sub(rf"(?i)(\b(?:dot|at|underscore|dash)\s+|[@.]){word}\b", r"\1[EMAIL]", text)
        text = re.sub(rf"(?i)\b{word}(?=\s+dot\b|\s*\.\w)", "[EMAIL]", text)
    return text


def _redacted(analysis: AiAnalysis, values: dict[str, str]) -> AiAnalysis:
    """Every free-text field with the call's PII values replaced, and contact fields reduced to their type."""
    name_words = [v for v, k in values.items() if k == "PERSON" and v.isalpha() and len(v) >= 4]

    def r(s: str | None) -> str | None:
        return _local_parts_replaced(replace_values(s, values), name_words) if s else s

    # The transcript's spans were redacted where found; a name-like word of a found value ("Archer" of
    # "simo not archer at comcast .net", the customer's surname) may also sit where no detector saw it. Lower-case
    # words of a garbled address ("not in a throat") are not replaced there: they are everyday words.
    names_like = {v: k for v, k in values.items() if v[:1].isupper() or not v.isalpha()}
    address_words = [v for v, k in values.items() if k == "EMAIL" and v.isalpha() and v.islower()]
    upd: dict[str, Any] = {
        "transcript_cleaned": _local_parts_replaced(_address_words_replaced(
            replace_values(analysis.transcript_cleaned, names_like), address_words), name_words)
        if analysis.transcript_cleaned else analysis.transcript_cleaned,
        "call_summary": r(analysis.call_summary),
        "key_issues": [r(x) for x in analysis.key_issues or []] if analysis.key_issues is not None else None,
        "action_items": [r(x) for x in analysis.action_items] if analysis.action_items is not None else None,
        "agreements": [r(x) for x in analysis.agreements] if analysis.agreements is not None else None,
    }
    if analysis.customer:
        c = analysis.customer
        upd["customer"] = c.model_copy(update={
            "name": "[PERSON]" if c.name else None, "email": "[EMAIL]" if c.email else None,
            "phone": "[PHONE_NUMBER]" if c.phone else None})
    if analysis.agent and analysis.agent.name:
        upd["agent"] = analysis.agent.model_copy(update={"name": "[PERSON]"})
    return analysis.model_copy(update=upd)
