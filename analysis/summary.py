"""The call summary without an LLM: who called, why, what was done and how it ended, from the extracted fields.

An extractive pick of "central" sentences read as four opening lines glued together; a summary a supervisor can
use names the caller, the reason (the customer's own sentence that best states it), the commitments made and
the outcome. Every part comes from a field the analysis already extracted: nothing is paraphrased or invented.
"""

from __future__ import annotations

import re

from analysis.schema import AiAnalysis
from analysis.text import Sentence, clean

_OUTCOME = {
    "resolved": "It ended resolved.",
    "partial": "It ended partly resolved, with a follow-up pending.",
    "escalated": "It ended escalated to another team or a supervisor.",
    "unresolved": "It ended unresolved.",
}
_GREETING = re.compile(r"^(?:(?:hi|hello|hey|yes|yeah|okay|ok|well|so|good (?:morning|afternoon|evening))"
                       r"(?: there)?[,.!]?\s+)+", re.I)


def reason(sents: list[Sentence], scores: list[float]) -> str | None:
    """The customer's sentence that best states the reason (highest `scores`, the similarity to the call type)."""
    best = max((i for i, s in enumerate(sents) if s.role in ("Customer", None) and len(s.text.split()) >= 4),
               key=lambda i: scores[i], default=None)
    if best is None:
        return None
    text = clean(_GREETING.sub("", sents[best].text))
    return text if text.endswith((".", "!", "?")) else f"{text}."


def structured(analysis: AiAnalysis, why: str | None, company: str | None = None) -> str | None:
    customer = analysis.customer.name if analysis.customer and analysis.customer.name else None
    agent = analysis.agent.name if analysis.agent and analysis.agent.name else None
    parts = []
    who = f"{customer} (customer)" if customer else "The customer"
    kind = f" ({analysis.call_type} call)" if analysis.call_type else ""
    to = f" {company}" if company else ""
    if why:
        parts.append(f'{who} called{to}{kind}: "{why}"')
    elif analysis.call_type:
        parts.append(f"{who} called{to} about a {analysis.call_type} matter.")
    done = (analysis.agreements or []) + [a for a in analysis.action_items or [] if a not in (analysis.agreements or [])]
    if done:
        by = f"{agent} (agent)" if agent else "The agent"
        parts.append(f"{by} committed: " + " ".join(f'"{d}"' for d in done[:2]))
    if analysis.call_outcome:
        parts.append(_OUTCOME[analysis.call_outcome])
    return " ".join(parts) or None
