"""Action items (what someone committed to do) and agreements (an offer the other side accepted)."""

from __future__ import annotations

import re

from analysis.schema import Utterance
from analysis.text import clean

_COMMIT = re.compile(r"\b(i'll|i will|we'll|we will|i'm going to|we're going to|you'll (receive|get|see)|"
                     r"you will (receive|get|see)|i('ve| have) (scheduled|submitted|opened|sent))\b", re.I)
_ACTION_VERB = re.compile(r"\b(send|email|e-mail|call you back|callback|process|apply|applied|schedule|escalat|transfer|"
                          r"credit|refund|cancel|ship|update|follow up|reset|waive|open a ticket|ticket|submit|"
                          r"book|dispatch|mail|replace|upgrade|remove|add)\w*", re.I)
_TRIVIAL = re.compile(r"\b(be happy|be glad|one moment|hold on|look into that for you now|bear with)\b", re.I)
_OFFER = re.compile(r"\b(i can offer|we can offer|i could offer|would you like|how about|i can (give|waive|apply|"
                    r"credit|upgrade|set)|we can (give|waive|apply|credit|set)|what if|i('d| would) suggest|"
                    r"(a|the) (discount|credit|refund|promotion|payment plan)|can do)\b", re.I)
_ACCEPT = re.compile(r"^\W*(yes|yeah|yep|sure|okay|ok|alright|that works|that would be great|sounds good|"
                     r"let's do (it|that)|i'll take|deal|agreed|perfect|great|please do|go ahead)\b", re.I)
_SPLIT = re.compile(r"(?<=[.!?])\s+")


def action_items(utterances: list[Utterance], limit: int = 6) -> list[str]:
    out: list[str] = []
    for u in utterances:
        for s in _SPLIT.split(" ".join(u.text.split())):
            if _COMMIT.search(s) and _ACTION_VERB.search(s) and not _TRIVIAL.search(s) and "?" not in s:
                item = clean(s)
                if item not in out:
                    out.append(item)
    return out[:limit]


def agreements(utterances: list[Utterance], limit: int = 4) -> list[str]:
    out: list[str] = []
    for i, u in enumerate(utterances):
        if not _OFFER.search(u.text):
            continue
        reply = next((v for v in utterances[i + 1:i + 3] if v.speaker != u.speaker), None)
        if reply is not None and _ACCEPT.search(reply.text):
            offer = [s for s in _SPLIT.split(" ".join(u.text.split())) if _OFFER.search(s)]
            item = clean(offer[-1] if offer else u.text)
            if item not in out:
                out.append(item)
    return out[:limit]
