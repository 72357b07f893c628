"""Pick the most quotable passages of a transcript by rules, not embeddings.

Why rules: a quote is a self-contained sentence with a clear claim, and both properties show on the surface
(it starts without leaning on what came before, it asserts rather than asks, it carries a strong verb, a number
or a superlative). Rules run in microseconds on the API, need no model on the worker, give the same answer every
time, and each score can be explained to a user. The sentence embeddings in `analysis` would rank "similar to a
centroid", which is not what quotable means, and cost a model load.

A candidate is one sentence (from the word timings, split at . ! ?) of 8-40 words spoken by one speaker.
"""

from __future__ import annotations

import re

from schemas.quotes import Quote, quote_id
from schemas.result import Transcript, Word

MIN_WORDS, MAX_WORDS = 8, 40
MAX_QUOTES = 10

# Openers that point back at earlier talk: the sentence is not self-contained.
_DANGLING = {
    "and", "but", "so", "or", "because", "it", "that", "this", "these", "those", "they", "them", "he", "she",
    "which", "also", "then", "yeah", "yes", "no", "well", "okay", "ok", "right",
}
_FILLERS = {"um", "uh", "erm", "hmm", "like", "basically", "literally", "kinda", "sorta"}
# Words that make an assertion: modality, absolutes, superlatives, causality.
_CLAIM = {
    "always", "never", "every", "everyone", "nobody", "must", "should", "will", "can't", "cannot", "best", "worst",
    "most", "only", "key", "truth", "believe", "know", "matters", "important", "secret", "biggest", "real",
    "because", "means", "changed", "change", "learned", "lesson", "mistake", "success", "fail", "failure",
}
_NUMBER = re.compile(r"\d|percent|million|billion|thousand|hundred")
_WORD = re.compile(r"[\w']+")


def _sentences(words: list[Word]) -> list[list[Word]]:
    out: list[list[Word]] = []
    current: list[Word] = []
    for word in words:
        current.append(word)
        if word.word.strip().endswith((".", "!", "?")):
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _WORD.findall(text)]


def score(text: str) -> float | None:
    """How quotable a sentence is (higher is better); None when it is no quote at all."""
    tokens = _tokens(text)
    if not MIN_WORDS <= len(tokens) <= MAX_WORDS or text.rstrip().endswith("?"):
        return None
    points = 1.0
    if tokens[0] in _DANGLING:
        points -= 1.5
    points += 0.8 * min(3, sum(t in _CLAIM for t in tokens))
    points += 0.6 if _NUMBER.search(text.lower()) else 0.0
    points -= 0.7 * sum(t in _FILLERS for t in tokens)
    points += 0.5 if 12 <= len(tokens) <= 25 else 0.0  # long enough to say something, short enough for a card
    points -= 0.3 * max(0, len(tokens) - len(set(tokens)) - 3)  # repetition: stammering, lists
    return round(points, 3)


def select_quotes(job_id: str, transcript: Transcript, limit: int = MAX_QUOTES) -> list[Quote]:
    """The best `limit` quotes, best first; ids are stable for a given transcript (index in time order)."""
    candidates: list[tuple[float, float, float, str, str | None]] = []
    for sentence in _sentences(transcript.words):
        speakers = {w.speaker for w in sentence}
        if len(speakers) != 1:
            continue
        text = " ".join(w.word.strip() for w in sentence).strip()
        points = score(text)
        if points is None or points <= 0:
            continue
        candidates.append((sentence[0].start, sentence[-1].end, points, text, speakers.pop()))
    ranked = sorted(candidates, key=lambda c: (-c[2], c[0]))[:limit]
    return [
        Quote(
            id=quote_id(job_id, index), text=text, original_text=text, speaker_label=speaker,
            start_time=round(start, 3), end_time=round(end, 3), score=points,
        )
        for index, (start, end, points, text, speaker) in enumerate(ranked)
    ]
