"""Key issues: YAKE keyphrases over what the customer said (everyone, when roles are unknown)."""

from __future__ import annotations

import re

_JUNK = re.compile(r"^(thank|thanks|hello|hi|bye|okay|yeah|sure|um|uh|great|good|morning|afternoon|evening)\b|"
                   r"\b(calling|call|help|today|sir|ma'am)$", re.I)
# Giving contact or payment details is how a call proceeds, not what it is about.
_LOGISTICS = re.compile(r"^(?:my |the |your )?(phone|phone number|number|email|e-mail|card|card number|name|address|"
                        r"account number|details|person)$", re.I)
# Times of day, numbers and filler: when something happens is context, not the issue ("ten at night").
_CONTEXT_WORDS = set("""at in on the a an every each around about usually night morning evening afternoon today
tonight tomorrow yesterday week weeks month months day days time times hour hours minute minutes am pm ten one two
three four five six seven eight nine eleven twelve twenty thirty forty fifty o'clock since ago last next this""".split())
# `[PHONE_NUMBER]`-style placeholders left by PII redaction: never a key issue.
_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")


class KeyIssues:
    def __init__(self, top: int = 12) -> None:
        import yake

        self._extractor = yake.KeywordExtractor(lan="en", n=3, dedupLim=0.6, top=top)

    def extract(self, texts: list[str], limit: int = 5) -> list[str]:
        text = _PLACEHOLDER.sub(" , ", " ".join(texts))
        if len(text.split()) < 5:
            return []
        out: list[str] = []
        for phrase, _score in self._extractor.extract_keywords(text):
            phrase = phrase.strip()
            words = phrase.lower().split()
            if len(words) < 2 or all(w in _CONTEXT_WORDS or w.isdigit() for w in words):
                continue  # one word alone ("understand", "made") says too little to be an issue
            if _JUNK.search(phrase) or _LOGISTICS.match(phrase) or any(phrase.lower() in o.lower() or o.lower() in phrase.lower() for o in out):
                continue
            out.append(phrase.lower())
            if len(out) == limit:
                break
        return out
