"""PII detection (Presidio + phonenumbers + call-specific patterns) and redaction that keeps word timings.

Detection runs once over a text; redaction replaces each span by `[TYPE]`. On a transcript the spans found in
the words' text are mapped back onto the words: the words a value covers become one word `[TYPE]` spanning
their first start to their last end, so captions and exports keep their timing. Nothing here logs text.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from analysis.pii_spoken import answers, spoken_spans

log = logging.getLogger(__name__)

# Presidio / own labels → the placeholder shown in redacted text (and the type listed in compliance).
_LABELS = {
    "PERSON": "PERSON", "PHONE_NUMBER": "PHONE_NUMBER", "EMAIL_ADDRESS": "EMAIL", "EMAIL": "EMAIL",
    "CREDIT_CARD": "CREDIT_CARD", "US_SSN": "SSN", "SSN": "SSN", "IBAN_CODE": "IBAN", "IP_ADDRESS": "IP_ADDRESS",
    "CARD_CVV": "CARD_CVV", "CARD_EXPIRY": "CARD_EXPIRY", "BANK_ACCOUNT": "BANK_ACCOUNT",
    "DATE_OF_BIRTH": "DATE_OF_BIRTH",
}
_PRESIDIO_ENTITIES = ["PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS"]
PHONE_REGIONS = ("US", "GB", "CA", "AU", "IN", "DE")
# Words spaCy's small model sometimes tags PERSON in conversational text.
_NOT_NAMES = {
    "hi", "hello", "hey", "okay", "ok", "yeah", "yes", "no", "thanks", "thank", "sure", "great", "perfect", "bye",
    "alright", "um", "uh", "mhm", "hmm", "wow", "bye", "goodbye", "there", "everyone", "sir", "madam", "ma'am", "visa", "mastercard", "amex", "paypal",
}

# "thanks for calling Northwind Telecom": a name right after these is a company, not a person.
_ORG_BEFORE = re.compile(r"\b(calling|reached|joining|choosing|from|at|with|to|for|of)\s+$", re.I)
_DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_DW = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
# Spelled-out digit runs ("four one five, five five five …"), as ASR sometimes writes phone and card numbers.
_SPOKEN_RUN = re.compile(rf"\b{_DW}(?:[\s,.-]+(?:double\s+|triple\s+)?{_DW}){{6,}}\b", re.IGNORECASE)
_NUM = r"\d(?:[\d -]*\d)?"
_CONTEXT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("CARD_CVV", re.compile(r"\b(?:cvv|cvc|security code|code on the back)\D{0,25}?\b(\d{3,4})\b", re.I)),
    ("CARD_EXPIRY", re.compile(r"\b(?:expir\w*|exp date|valid thru)\D{0,25}?\b((?:0?[1-9]|1[0-2])\s?/\s?(?:\d{2}|\d{4}))\b", re.I)),
    ("SSN", re.compile(r"\b(?:social security(?: number)?|ssn|social)\D{0,25}?\b(\d{3}[- ]?\d{2}[- ]?\d{4})\b", re.I)),
    # A number given as a phone number, even when the ASR dropped or merged digits ("my phone number is
    # 45550132") so that phonenumbers no longer parses it; the digit count is checked in _pattern_spans.
    ("PHONE_NUMBER", re.compile(r"\b(?:phone|cell|mobile|telephone|call me|call back|reach me|text me)(?: number)?"
                                r"\s*(?:is|:|,|at|on)?\s*(?:number\s*)?(?:is\s*)?(\+?\(?\d[\d ().-]{5,18}\d)\b", re.I)),
    ("BANK_ACCOUNT", re.compile(r"\b(?:account|routing)(?: number)?\s*(?:is|:|,)?\s*(?:number\s*)?(\d[\d -]{5,20}\d)\b", re.I)),
    ("DATE_OF_BIRTH", re.compile(
        r"\b(?:date of birth|birth ?date|born on|d\.?o\.?b\.?)\s*(?:is|was|:|,)?\s*"
        r"((?:(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
        r"|(?:\d{1,2}[/-]\d{1,2}[/-]\d{2,4}))", re.I)),
    # Lower-case or unusual names after an introduction, which a small NER model misses.
    ("PERSON", re.compile(r"(?i:\bmy name is|\bmy name's|\bspeaking with|\bname on the account is|\bunder)\s+"
                          r"([A-Z][a-z]+(?:[ -][A-Z][a-z'’]+)?)")),
    ("PERSON", re.compile(r"(?i:\bthis is|\bI'm|\bI am|\bit's)\s+([A-Z][a-z]+(?: [A-Z][a-z'’]+)?)"
                          r"(?=,?\s+(?i:from|with|at|speaking|here|calling|and I)\b)")),
    ("PERSON", re.compile(r"(?:^|\n)(?i:(?:hi|hello|hey|yes|yeah)[,!.]?\s+)?(?i:this is|it's)\s+"
                          r"([A-Z][a-z]+(?: [A-Z][a-z'’]+)?)(?=[.,!])")),
    ("PERSON", re.compile(r"(?i:\bthank you|\bthanks|\bwith you|\bhelp you with|\bhi|\bhello),?\s+([A-Z][a-z]+)(?=[?.!])")),
]


@dataclass(frozen=True)
class PiiSpan:
    type: str
    start: int
    end: int
    score: float


def _luhn(digits: str) -> bool:
    total, alt = 0, False
    for ch in reversed(digits):
        d = int(ch)
        if alt:
            d = d * 2 - 9 if d > 4 else d * 2
        total, alt = total + d, not alt
    return total % 10 == 0


def _spoken_digits(run: str) -> str:
    out, repeat = [], 1
    for tok in re.findall(r"[a-z]+", run.lower()):
        if tok in ("double", "triple"):
            repeat = 2 if tok == "double" else 3
            continue
        out.append(_DIGIT_WORDS[tok] * repeat)
        repeat = 1
    return "".join(out)


class PiiDetector:
    """Presidio over a spaCy pipeline loaded once (shared with the rest of the analysis)."""

    def __init__(self, nlp: Any, *, threshold: float = 0.35, regions: Iterable[str] = PHONE_REGIONS) -> None:
        import tldextract
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import SpacyNlpEngine
        from presidio_analyzer.predefined_recognizers import (
            CreditCardRecognizer, EmailRecognizer, IbanRecognizer, IpRecognizer, PhoneRecognizer, SpacyRecognizer,
            UsSsnRecognizer,
        )

        # tldextract fetches the public suffix list on first use; its bundled snapshot is enough for emails.
        offline_tld = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

        class OfflineEmailRecognizer(EmailRecognizer):
            def validate_result(self, pattern_text: str) -> bool:  # noqa: D102 - same rule, no network
                return bool(offline_tld(pattern_text).fqdn)

        from presidio_analyzer.nlp_engine import NerModelConfiguration

        ignore = ["CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "DATE", "TIME", "LAW", "LANGUAGE",
                  "WORK_OF_ART", "PRODUCT", "EVENT", "FAC", "GPE", "LOC", "NORP", "ORG"]
        engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "preloaded"}],
                                ner_model_configuration=NerModelConfiguration(labels_to_ignore=ignore))
        engine.nlp = {"en": nlp}  # the pipeline loaded once by models.load_spacy; load() would try to download
        registry = RecognizerRegistry(supported_languages=["en"])
        for rec in (
            SpacyRecognizer(supported_entities=["PERSON"]), OfflineEmailRecognizer(), CreditCardRecognizer(),
            PhoneRecognizer(supported_regions=list(regions)), UsSsnRecognizer(), IbanRecognizer(), IpRecognizer(),
        ):
            registry.add_recognizer(rec)
        self.nlp_engine = engine
        self.analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])
        self.threshold = threshold

    def process(self, text: str) -> Any:
        """spaCy over the text once; the artifacts (with `.tokens`, the Doc) can be reused by callers."""
        return self.nlp_engine.process_text(text, "en")

    def detect(self, text: str, artifacts: Any | None = None) -> list[PiiSpan]:
        if not text.strip():
            return []
        artifacts = artifacts if artifacts is not None else self.process(text)
        found = [
            PiiSpan(_LABELS[r.entity_type], r.start, r.end, float(r.score))
            for r in self.analyzer.analyze(text, "en", entities=_PRESIDIO_ENTITIES, nlp_artifacts=artifacts,
                                           score_threshold=self.threshold)
            if r.entity_type in _LABELS
        ]
        found = [s for s in found if s.type != "PERSON" or (_plausible_name(text[s.start:s.end])
                                                              and not _ORG_BEFORE.search(text[max(0, s.start - 20):s.start]))]
        answered = answers(text)  # once: the spoken patterns and the kind the question asked for both use it
        found += _pattern_spans(text, answered)
        return _resolve_overlaps(_asked_kind_wins(found, answered))


def _plausible_name(value: str) -> bool:
    words = re.findall(r"[A-Za-z'’]+", value)
    return bool(words) and any(w[0].isupper() for w in words) and not all(w.lower() in _NOT_NAMES for w in words)


def _pattern_spans(text: str, answered: list[tuple[str, int, int, float]] | None = None) -> list[PiiSpan]:
    out: list[PiiSpan] = [PiiSpan(*found) for found in spoken_spans(text, answered)]
    for m in _SPOKEN_RUN.finditer(text):
        digits = _spoken_digits(m.group(0))
        if 13 <= len(digits) <= 19 and _luhn(digits):
            out.append(PiiSpan("CREDIT_CARD", m.start(), m.end(), 0.8))
        elif 7 <= len(digits) <= 12:
            out.append(PiiSpan("PHONE_NUMBER", m.start(), m.end(), 0.6))
        else:
            out.append(PiiSpan("BANK_ACCOUNT", m.start(), m.end(), 0.5))
    for label, pattern in _CONTEXT_PATTERNS:
        for m in pattern.finditer(text):
            if label == "PERSON" and not _plausible_name(m.group(1)):
                continue
            if label == "PHONE_NUMBER" and not 7 <= sum(c.isdigit() for c in m.group(1)) <= 15:
                continue
            if label == "PERSON":  # trim trailing words that are not part of a name ("John and …")
                value = m.group(1)
                if value.split()[0].lower() in _NOT_NAMES | {"the", "a", "an", "about", "regarding", "calling"}:
                    continue
            out.append(PiiSpan(label, m.start(1), m.end(1), 0.7))
    best: dict[tuple[str, int, int], PiiSpan] = {}
    for span in out:  # the same value found by two patterns: once, with the surer score
        key = (span.type, span.start, span.end)
        if key not in best or span.score > best[key].score:
            best[key] = span
    return list(best.values())


_DIGIT_TYPES = {"PHONE_NUMBER", "SSN", "CREDIT_CARD", "BANK_ACCOUNT"}


def _asked_kind_wins(spans: list[PiiSpan], answered: list[tuple[str, int, int, float]]) -> list[PiiSpan]:
    """Digits given in answer to a question that asked for one kind are that kind, whatever their shape says:
    "312-55-8314" answering "may I please take a contact telephone number" is a phone number with a digit lost,
    not a social security number (blind8). A digit span over an answer is dropped when its kind is not one the
    question asked for ("your social security card" asks for both kinds, and both stay)."""
    asked = [(kind, start, end) for kind, start, end, _ in answered if kind in _DIGIT_TYPES]

    def kept(span: PiiSpan) -> bool:
        over = {kind for kind, start, end in asked if span.start < end and start < span.end}
        return span.type not in _DIGIT_TYPES or not over or span.type in over

    return [s for s in spans if kept(s)]


_PRIORITY = {"CREDIT_CARD": 5, "SSN": 5, "IBAN": 5, "EMAIL": 5, "CARD_CVV": 4, "CARD_EXPIRY": 4, "DATE_OF_BIRTH": 4,
             "PHONE_NUMBER": 3, "BANK_ACCOUNT": 2, "IP_ADDRESS": 2, "PERSON": 1}


def _resolve_overlaps(spans: list[PiiSpan]) -> list[PiiSpan]:
    """Keep non-overlapping spans, preferring specific types, then longer, then surer ones."""
    ranked = sorted(spans, key=lambda s: (-_PRIORITY.get(s.type, 0), -(s.end - s.start), -s.score))
    kept: list[PiiSpan] = []
    for s in ranked:
        if all(s.end <= k.start or s.start >= k.end for k in kept):
            kept.append(s)
    return sorted(kept, key=lambda s: s.start)


def redact_text(text: str, spans: list[PiiSpan]) -> str:
    out, pos = [], 0
    for s in sorted(spans, key=lambda s: s.start):
        out.append(text[pos:s.start])
        out.append(f"[{s.type}]")
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


def join_words(words: list[dict[str, Any]]) -> tuple[str, list[tuple[int, int]]]:
    """The words as one text, and each word's (start, end) in it.

    Whisper's words carry their own leading space (and sub-word pieces such as "-823-" none), so they join as
    they are. Parlance's stored words have the space stripped: those are joined with one space, since gluing
    "is" and "45550132" into "is45550132" hid a phone number from every detector.
    """
    texts = [str(w.get("word", "")) for w in words]
    sep = "" if any(t[:1].isspace() for t in texts) else " "
    bounds: list[tuple[int, int]] = []
    pos = 0
    for i, text in enumerate(texts):
        if i:
            pos += len(sep)
        bounds.append((pos, pos + len(text)))
        pos += len(text)
    return sep.join(texts), bounds


def redact_words(words: list[dict[str, Any]], spans: list[PiiSpan]) -> list[dict[str, Any]]:
    """Map spans found in `join_words(words)[0]` back onto the words; covered words merge into one `[TYPE]` word."""
    if not spans:
        return [dict(w) for w in words]
    _, bounds = join_words(words)
    out: list[dict[str, Any]] = []
    i, spans = 0, sorted(spans, key=lambda s: s.start)
    si = 0
    while i < len(words):
        ws, we = bounds[i]
        while si < len(spans) and spans[si].end <= ws:
            si += 1
        span = spans[si] if si < len(spans) and spans[si].start < we and spans[si].end > ws else None
        if span is None:
            out.append(dict(words[i]))
            i += 1
            continue
        j = i
        while j + 1 < len(words) and bounds[j + 1][0] < span.end:
            j += 1
        first, last = words[i], words[j]
        text_first, text_last = str(first.get("word", "")), str(last.get("word", ""))
        # Keep what the span does not cover: the leading space of the first word, trailing punctuation of the last.
        head = text_first[: max(0, span.start - ws)]
        tail = text_last[max(0, span.end - bounds[j][0]):]
        merged = dict(first)
        merged["word"] = f"{head}[{span.type}]{tail}"
        merged["end"] = last.get("end", first.get("end"))
        probs = [w.get("probability") for w in words[i:j + 1] if w.get("probability") is not None]
        if probs:
            merged["probability"] = min(probs)
        out.append(merged)
        i, si = j + 1, si + 1
    return out


def redact_transcript(transcript: dict[str, Any], detector: PiiDetector) -> tuple[dict[str, Any], list[str]]:
    """Redacted copy of a `schemas.result.Transcript`-shaped dict, and the PII types found (never the values).

    Words are scanned as one text (so a number split over several words is one value); segments are scanned on
    their own text; every value found anywhere is also replaced wherever it appears verbatim (the top-level
    `text`, a segment whose wording differs from its words), so no copy of it survives in the document.
    """
    doc = dict(transcript)
    words = [dict(w) for w in transcript.get("words") or []]
    values: dict[str, str] = {}
    types: set[str] = set()

    word_text, _ = join_words(words)
    word_spans = detector.detect(word_text) if word_text.strip() else []
    for s in word_spans:
        values[word_text[s.start:s.end].strip()] = s.type
    doc["words"] = redact_words(words, word_spans)

    segments = [dict(seg) for seg in transcript.get("segments") or []]
    texts = [str(seg.get("text", "")) for seg in segments]
    for seg, text, spans in zip(segments, texts, detect_many(detector, texts)):
        for s in spans:
            values[text[s.start:s.end].strip()] = s.type
        seg["text"] = redact_text(text, spans)
    for seg in segments:
        seg["text"] = replace_values(seg["text"], values)
    doc["segments"] = segments
    doc["text"] = replace_values(str(transcript.get("text", "")), values)
    types.update(values.values())
    log.info("pii redaction: %d values of types %s", len(values), sorted(types))
    return doc, sorted(types)


def join_texts(texts: list[str]) -> tuple[str, list[int]]:
    """Texts joined by newlines and each one's start offset (`split_spans` maps spans back)."""
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    return "\n".join(texts), starts


def split_spans(spans: list[PiiSpan], texts: list[str], starts: list[int]) -> list[list[PiiSpan]]:
    """Spans over `join_texts(texts)` → spans relative to each text."""
    out: list[list[PiiSpan]] = [[] for _ in texts]
    for s in spans:
        # A value read out across a turn cut (digits that run on into the next turn) is split at each cut.
        k = bisect.bisect_right(starts, s.start) - 1
        while k < len(texts) and starts[k] < s.end:
            lo, hi = starts[k], starts[k] + len(texts[k])
            a, b = max(s.start, lo), min(s.end, hi)
            if a < b and texts[k][a - lo:b - lo].strip():
                out[k].append(PiiSpan(s.type, a - lo, b - lo, s.score))
            k += 1
    return out


def detect_many(detector: PiiDetector, texts: list[str]) -> list[list[PiiSpan]]:
    """One detection pass over many short texts (one spaCy call instead of one per text)."""
    joined, starts = join_texts(texts)
    return split_spans(detector.detect(joined), texts, starts)


def replace_values(text: str, values: dict[str, str]) -> str:
    """Replace known values verbatim (longest first, so a full card number wins over a part of it)."""
    for value in sorted((v for v in values if len(v) >= 2), key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", f"[{values[value]}]", text, flags=re.IGNORECASE)
    return text
