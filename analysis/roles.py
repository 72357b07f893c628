"""Speaker roles from what is said: the agent greets and names the company, the customer asks for help.

Scores are cue counts over each speaker's first turns (where the roles show), weighted by who opens the call.
A label is only turned into a role when the evidence separates the speakers; otherwise it stays `Speaker N`.
"""

from __future__ import annotations

import re

from analysis.pii_spoken import SENTENCE, asks_for, gives_value, is_request
from analysis.schema import Utterance

_AGENT_CUES = [
    r"thank(s| you) (for )?(calling|getting in touch|contacting|ringing|phoning|holding|waiting)",
    r"how (can|may|could) i (help|assist)",
    r"what can i do for you", r"(this|my name) is \w+[\w\s]{0,20} (from|with|at) ", r"you('ve| have) reached",
    r"calling from", r"this call (is|may be) (being )?recorded", r"for (quality|training) purposes",
    r"can i (get|have) your (name|account|email|phone)", r"could you (confirm|verify)", r"let me (check|pull|look)",
    r"i can (help|assist|offer|see)", r"is there anything else", r"have a (great|good|nice) (day|one|evening)",
    r"i('ll| will) (transfer|escalate|send|process|apply|go ahead)", r"one moment", r"bear with me",
    r"department", r"(?-i:[A-Z][a-z]+) speaking\b", r"welcome to",
    # Asking for the other party's details is the agent's side of verification.
    r"(?<!on )(?<!over )(your|the) (full name|name on|e-?mail|phone|callback number|date of birth|last four|"
    r"card on file|social)", r"you('re| are) (speaking|talking) (with|to)",
    r"customer (care|service|support|desk|team|line)", r"let('s| us| me) (run|see|take a look|check)", r"i can see",
    r"can you (unplug|restart|reboot|confirm|try|check|read)",
    r"verify your identity", r"who am i speaking with", r"can i (take|get) (your|an|a) (name|details|e-?mail|number)",
    r"(good|best) number to (call|reach)", r"what are the last (four|4)", r"\bthis is \w+,? how (can|may)",
    # an inbound agent's opening question, and the last four as digits ("I only need the last 4.")
    r"what('s| has) happened\?|what's it (about|regarding)\?", r"\bthe last 4\b",
]
_CUSTOMER_CUES = [
    r"i('m| am) (calling|ringing|phoning) (about|because|to|regarding)", r"i (need|want|would like|'d like) (help|to)",
    r"my (account|bill|order|card|internet|service|payment|subscription|phone|package|contract|policy|plan|"
    r"membership|prescription|parcel|delivery)", r"i have a (problem|question|issue)",
    r"i was (charged|billed)", r"can you help me", r"(it|this) (isn't|is not|doesn't|does not|keeps)",
    r"i('m| am) (not happy|frustrated|upset|disappointed|thinking)", r"cancel my", r"why (was|is|did)",
    r"my name is \w+( \w+)?[.,]? ?(and )?i", r"i('ve| have) been (a customer|waiting|trying)",
    r"\bi (can't|cannot|couldn't) ", r"(my|the) (?!name)\w+ (isn't|keeps|won't|shows|went up|stopped|is stuck)", r"there('s| is) a \w+ (fee|charge)",
    r"i (saw|think i|just moved|got (a|an|charged|billed))", r"^\W*(it is|it's|that's|sure,? it'?s?) ",
    r"i('m| am) a customer", r"i('d| would) like to (order|buy|cancel|close|update|change)",
    # trying and failing, and the firm's people or site as the caller's complaint names them
    r"\bi('m| am| was|'ve been| have been) trying to\b",
    r"\byour (courier|driver|engineer|technician|staff|website|delivery (man|driver|person))\b",
]
_AGENT_RE = [re.compile(c, re.I) for c in _AGENT_CUES]
_NAME_WORD = re.compile(r"\b(name|surname)\b", re.I)
_CUSTOMER_RE = [re.compile(c, re.I) for c in _CUSTOMER_CUES]
_FIRST_TURNS = 12
_MARGIN = 1.0


def speaker_names(utterances: list[Utterance]) -> dict[str, str]:
    """Diarization labels → `Speaker N`, numbered by first appearance."""
    names: dict[str, str] = {}
    for u in utterances:
        if u.speaker is not None and u.speaker not in names:
            names[u.speaker] = f"Speaker {len(names) + 1}"
    return names


def infer_roles(utterances: list[Utterance]) -> dict[str, str]:
    """Label → 'Agent' / 'Customer' / 'Speaker N'."""
    names = speaker_names(utterances)
    if len(names) < 2:
        return names
    turns: dict[str, int] = {}
    agent: dict[str, float] = dict.fromkeys(names, 0.0)
    customer: dict[str, float] = dict.fromkeys(names, 0.0)
    words: dict[str, int] = dict.fromkeys(names, 0)
    for u in utterances:
        if u.speaker is None:
            continue
        words[u.speaker] += len(u.text.split())
        n = turns[u.speaker] = turns.get(u.speaker, 0) + 1
        if n > _FIRST_TURNS:
            continue
        agent[u.speaker] += sum(1 for r in _AGENT_RE if r.search(u.text))
        customer[u.speaker] += sum(1 for r in _CUSTOMER_RE if r.search(u.text))
    # Verification is the sharpest sign, whatever its wording: the agent asks for the caller's details (a
    # closed set of nouns: name, number, email, card, date of birth) and the caller gives them in the next turn.
    for i, u in enumerate(utterances[:4 * _FIRST_TURNS]):
        if u.speaker is None or not any((asks_for(s.group(0)) or _asks_name(s.group(0)))
                                        and not gives_value(u.text[s.end():]) for s in SENTENCE.finditer(u.text)):
            continue
        agent[u.speaker] += 1
        reply = next((v for v in utterances[i + 1:i + 3] if v.speaker not in (None, u.speaker)), None)
        if reply is not None:
            customer[reply.speaker] += 1
    first = next(u.speaker for u in utterances if u.speaker is not None)
    agent[first] += 0.5  # the agent usually opens a contact-centre call; a tie-breaker, not evidence
    main = sorted(names, key=lambda s: -words[s])[:2]
    a, b = main
    # Evidence that `a` is the agent: its agent cues and the other's customer cues, against the reverse.
    lean = (agent[a] - agent[b]) + (customer[b] - customer[a])
    roles = dict(names)
    if abs(lean) >= _MARGIN:
        agent_label, customer_label = (a, b) if lean > 0 else (b, a)
        roles[agent_label], roles[customer_label] = "Agent", "Customer"
    return roles


def _asks_name(sentence: str) -> bool:
    """A question or request naming a name ("Let's start with your name, if that's okay.")."""
    return bool(_NAME_WORD.search(sentence)) and is_request(sentence)


def render_transcript(utterances: list[Utterance], roles: dict[str, str]) -> str:
    """`Role: text` lines, consecutive turns of one speaker joined; unlabeled speech has no prefix."""
    lines: list[tuple[str | None, str]] = []
    for u in utterances:
        text = " ".join(u.text.split())
        if not text:
            continue
        label = roles.get(u.speaker) if u.speaker is not None else None
        if lines and lines[-1][0] == label:
            lines[-1] = (label, f"{lines[-1][1]} {text}")
        else:
            lines.append((label, text))
    return "\n".join(f"{label}: {text}" if label else text for label, text in lines)
