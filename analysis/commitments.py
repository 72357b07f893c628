"""Action items (what someone committed to do) and agreements (a fix offered and accepted).

A commitment is a sentence in which someone says what they or their side will do, or what the other party can
do next ("we will ship…", "I'll call you back tomorrow", "you can drop it off at any store", "I've opened a
ticket"). Refusals ("I'm not able to…", "our policy doesn't allow me to…") and questions are not commitments.
An agreement is an agent's offered fix followed by the customer's clear yes.
"""

from __future__ import annotations

import re

from analysis.schema import Utterance
from analysis.text import clean

_WILL = (r"(?:i'll|i will|we'll|we will|i'm going to|i am going to|we're going to|we are going to|i can|we can|"
         r"(?:he|she|they|someone|a technician|an engineer|our \w+(?: \w+)?|the \w+ team)(?:'ll| will)|"
         r"(?:it|this|that|the \w+)(?:'ll| will| should)|let me|(?:a technician|an engineer|someone|our \w+ team) (?:needs|has) to|"
         r"(?:i|we)(?:'ve| have)(?: gone ahead and)?|(?:i was|we were) able to|you(?:'ll| will) (?:receive|get|see)|"
         r"you can|you could)")
_VERB = (r"(?:send|ship|mail|email|e-mail|text|call|ring|refund|credit|apply|applied|waive|remove|removed|add|added|"
         r"set up|schedule|scheduled|book|booked|dispatch|replace|upgrade|cancel|process|processed|update|updated|"
         r"escalat\w*|transfer|connect|pass|raise|follow|reach|contact|open|opened|file|filed|arrange|arranged|"
         r"put|visit|arrive|drop|use|return|reset|fix|fixed|issue|issued|receive|get|see|review|investigate|"
         r"look into|check|give|activate|activated|reverse|reversed|hand|book|order|ordered)")
_COMMIT = re.compile(rf"\b{_WILL}\s+(?:\w+\s+){{0,2}}?{_VERB}\b", re.I)
_REFUSAL = re.compile(r"\b(i'm afraid|i am afraid|can't|cannot|can not|not able to|unable to|won't|will not|"
                      r"doesn't allow|does not allow|"
                      r"don't allow|do not allow|not allowed|not possible|nothing (more |else )?(i|we) can)\b", re.I)
_TRIVIAL = re.compile(r"\b(let me (check|see|look|pull|take a look)|one moment|hold on|bear with|"
                      r"can i (get|have|ask)|i can see|we can see|you can see|let me run)\b", re.I)
_FIX = re.compile(r"\b(ship|send|refund|credit|apply|waive|remove|add|set up|replace|upgrade|cancel|process|"
                  r"update|arrange|put|file|text|email|issue|drop|return|give|activate|reverse|book|order)\w*", re.I)
_HANDOFF = re.compile(r"\b(transfer|escalat|supervisor|manager|specialist|call you back|callback|follow up|"
                      r"get back to you|review team|technician)\w*", re.I)
_YES = re.compile(r"^\W*(yes|yeah|yep|sure|perfect|great|that works|that would be great|sounds good|"
                  r"let's do (it|that)|deal|agreed|please do|go ahead|wonderful|excellent|brilliant)\b|"
                  r"\b(that works|works for me|that's exactly what i needed|i('d| would) (like|love) that|"
                  r"yes,? please|sorts it|solves it|solved it|fixes it)\b", re.I)
_SPLIT = re.compile(r"(?<=[.!?])\s+")


def _commitments(text: str) -> list[str]:
    out = []
    for s in _SPLIT.split(" ".join(text.split())):
        if "?" in s or _REFUSAL.search(s) or _TRIVIAL.search(s) and not _COMMIT.search(_TRIVIAL.sub("", s)):
            continue
        if _COMMIT.search(s):
            out.append(clean(s))
    return out


def action_items(utterances: list[Utterance], roles: dict[str, str] | None = None, limit: int = 6) -> list[str]:
    """Commitments in call order; the customer's own are kept when they commit to an action ("I'll send…")."""
    out: list[str] = []
    for u in utterances:
        role = (roles or {}).get(u.speaker) if u.speaker is not None else None
        for item in _commitments(u.text):
            if role == "Customer" and not _FIX.search(item):
                continue  # "I will wait for your call" is no action
            if item not in out:
                out.append(item)
    return out[:limit]


def agreements(utterances: list[Utterance], roles: dict[str, str] | None = None, limit: int = 4) -> list[str]:
    """An offered or announced fix (not a hand-off or a callback) that the other party accepted."""
    out: list[str] = []
    for i, u in enumerate(utterances):
        if roles and roles.get(u.speaker) == "Customer":
            continue
        offers = [s for s in _SPLIT.split(" ".join(u.text.split()))
                  if (_COMMIT.search(s) or re.search(r"\bwhat i can do is|\bwould that work|\bhow about\b", s, re.I))
                  and _FIX.search(s) and not _REFUSAL.search(s) and not _HANDOFF.search(s)]
        if not offers:
            continue
        reply = next((v for v in utterances[i + 1:i + 3] if v.speaker != u.speaker), None)
        if reply is not None and _YES.search(reply.text):
            item = clean(offers[0])
            if item not in out:
                out.append(item)
    return out[:limit]
