"""Customer sentiment (VADER over the customer's turns) and a rule-based read of the agent's conduct."""

from __future__ import annotations

import re

from analysis.schema import Sentiment, Utterance

_POLITE = re.compile(r"\b(thank you|thanks|i understand|i('m| am) sorry|apologi[sz]e|happy to help|my pleasure|"
                     r"absolutely|of course|glad|appreciate)\b", re.I)
_RUDE = re.compile(r"\b(not my problem|calm down|whatever|you should have|that's your fault|i don't care|"
                   r"deal with it|nothing i can do)\b", re.I)


def _scores(vader, texts: list[str]) -> list[float]:
    return [vader.polarity_scores(t)["compound"] for t in texts if t.strip()]


def customer_sentiment(vader, texts: list[str]) -> tuple[str, float]:
    scores = _scores(vader, texts)
    if not scores:
        return "neutral", 0.0
    mean = sum(scores) / len(scores)
    half = max(1, len(scores) // 2)
    start, end = sum(scores[:half]) / half, sum(scores[half:] or scores) / max(1, len(scores[half:] or scores))
    if (start <= -0.25 and end >= 0.25) or (start >= 0.25 and end <= -0.25):
        label = "mixed"
    elif mean >= 0.2:
        label = "positive"
    elif mean <= -0.1:
        label = "negative"
    else:
        label = "neutral"
    return label, max(-1.0, min(1.0, mean))


def agent_performance(vader, texts: list[str], outcome: str | None) -> str:
    if not texts:
        return "fair"
    scores = _scores(vader, texts)
    tone = sum(scores) / len(scores) if scores else 0.0
    polite = sum(len(_POLITE.findall(t)) for t in texts) / len(texts)
    rude = sum(len(_RUDE.findall(t)) for t in texts)
    points = tone * 2 + min(polite, 1.0) * 2 - rude * 1.5
    points += {"resolved": 1.0, "partial": 0.3, "escalated": 0.0, "unresolved": -1.0}.get(outcome or "", 0.0)
    if points >= 2.5:
        return "excellent"
    if points >= 1.2:
        return "good"
    if points >= 0.0:
        return "fair"
    return "poor"


def analyse(vader, utterances: list[Utterance], roles: dict[str, str], outcome: str | None) -> Sentiment:
    by_role: dict[str, list[str]] = {"Agent": [], "Customer": []}
    for u in utterances:
        role = roles.get(u.speaker) if u.speaker is not None else None
        if role in by_role:
            by_role[role].append(u.text)
    # Without a customer identified, everyone's speech stands in for the customer's mood.
    customer = by_role["Customer"] or [u.text for u in utterances]
    label, score = customer_sentiment(vader, customer)
    return Sentiment(customer_sentiment=label, agent_performance=agent_performance(vader, by_role["Agent"], outcome),
                     customer_score=round(score, 4))
