"""Key issues: YAKE keyphrases over what the customer said (everyone, when roles are unknown)."""

from __future__ import annotations

import re

_JUNK = re.compile(r"^(thank|thanks|hello|hi|bye|okay|yeah|sure|um|uh|great|good|morning|afternoon|evening)\b|"
                   r"\b(calling|call|help|today|sir|ma'am)$", re.I)


class KeyIssues:
    def __init__(self, top: int = 12) -> None:
        import yake

        self._extractor = yake.KeywordExtractor(lan="en", n=3, dedupLim=0.6, top=top)

    def extract(self, texts: list[str], limit: int = 5) -> list[str]:
        text = " ".join(texts)
        if len(text.split()) < 5:
            return []
        out: list[str] = []
        for phrase, _score in self._extractor.extract_keywords(text):
            phrase = phrase.strip()
            if _JUNK.search(phrase) or any(phrase.lower() in o.lower() or o.lower() in phrase.lower() for o in out):
                continue
            out.append(phrase.lower())
            if len(out) == limit:
                break
        return out
