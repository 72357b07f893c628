"""Action items (what someone committed to do) and agreements (a fix offered and accepted).

A commitment is a sentence in which someone says what they or their side will do, or what the other party can
do next ("we will ship…", "I'll call you back tomorrow", "you can drop it off at any store", "I've opened a
ticket"). Refusals ("I'm not able to…", "our policy doesn't allow me to…") and questions are not commitments.
An agreement is an agent's offered fix followed by the customer's clear yes.
"""

from __future__ import annotations

import re

from analysis.pii_spoken import asks_for
from analysis.schema import Utterance
from analysis.text import clean

# Who commits and how: a future or ability form ("we'll", "an engineer will need to", "I can"), or a perfect
# ("I've opened", "we have arranged") for what was done on the call.
_FUTURE = (r"(?:i'll|i will|we'll|we will|i'm going to|i am going to|we're going to|we are going to|i can|we can|"
           r"(?:he|she|they|someone|(?:a|an|the|our) \w+(?: team)?)(?:'ll| will)|"
           r"(?:it|this|that|the \w+)(?:'ll| will| should)|let me|(?:i was|we were|i'm|i am|we're|we are) able to|"
           r"(?:he|she|they|a technician|an engineer|someone|our \w+ team|the \w+ team) (?:needs?|has|have) to|"
           r"you(?:'ll| will)|you can|you could|(?:i|we)(?:'ve| have)? (?:managed|been able) to)")
# Any verb commits except those that promise nothing ("I'll be honest", "I can see", "I will wait", "you'll need
# to"): a list of the idle verbs is short and closed, a list of the action verbs never is (it missed "I can post
# you the address" and "an engineer will need to come out").
_IDLE = (r"(?:be|been|have|had|like|love|want|know|think|hope|wait|try|need|see|understand|feel|mean|guess|"
         r"believe|say|tell|ask|appreciate|imagine|assume|afraid|sorry|not|never|read|consult|mention|explain|"
         # looking into it, not yet doing anything: "let me pull up your account", "I can help with that"
         r"help|assist|check|pull|look|go|find(?! out)|confirm|verify|pop|bring|grab|"
         r"get (?:that|this|your|the) (?:up|open)|"
         r"run|open up|hang on|hold|stay|live|looking|checking|going|trying|calling|waiting|switching|"
         # listening, or working a price out: "I'll listen.", "Let me put that together."
         r"listen|hear|talk|put (?:that|it|this|something) together|work (?:that|it|this) out|"
         # finding a paper, and a goodbye: "let me dig it out", "No, you let me get on." (blind12)
         r"dig (?:it|that|them|those) out|get on(?!\s+(?:to|with)\b)|"
         # a promise of effort or a door opened, not an action: "I'll do my best for you", "somebody to let me in"
         r"do (?:my|our|what) (?:best|i can|we can)|in)\b")
# What was done on the call, in the perfect or (when ASR drops the "'ve") the simple past: "I've opened a ticket".
_PAST = r"(?:i|we)(?:'ve| have)?(?: gone ahead and)?(?: also| just| now| already)?"
_DONE = (r"(?:sent|shipped|mailed|emailed|texted|called|refunded|credited|applied|waived|removed|added|set up|"
         r"scheduled|booked|dispatched|replaced|upgraded|cancell?ed|processed|updated|escalated|transferred|"
         r"connected|passed|raised|opened|filed|arranged|put|reset|fixed|issued|given|activated|reversed|"
         r"ordered|posted|changed|reduced|lowered|matched|corrected|adjusted|restored|unlocked|switched|moved|"
         r"extended|renewed|approved|submitted|requested|registered|marked|flagged|blocked|asked|told|informed|"
         r"contacted|notified|organi[sz]ed|sorted|completed|finished|set (?:it|that|this|everything) up)")
# What an agent is doing now: "I'm passing your case up to our specialist team".
_DOING = (r"(?:i'm|i am|we're|we are) (?:sending|booking|arranging|moving|adding|refunding|crediting|escalating|"
          r"transferring|passing|putting|scheduling|processing|cancell?ing|replacing|posting|ordering|raising)")
# Verbs that end like an adverb: "I will apply a discount" commits.
_NOT_VERB_LY = r"(?!(?:apply|reply|supply|rely|comply|multiply|fly|rally|tally)\b)"
# The adverb is taken whole when there is one (an atomic group): left optional, the match could skip it and
# take the adverb itself for the verb, so "I'll just check" and "I'll just say" committed (blind12).
_WILL_DO = (rf"{_FUTURE}\s+(?:(?:need|have|be able) to\s+|be in touch|be (?=\w+ing))?"
            rf"(?>(?:(?:also|just|now|then|still|{_NOT_VERB_LY}\w+ly)\s+)?)(?!{_IDLE})[a-z]{{2,}}")
# Done, in the passive: "that's all been put through on my end", "your refund has been processed".
_DONE_PASSIVE = rf"(?:that|it|this|everything|your \w+)(?:'s| is| has)(?: all| now| just)? been (?:\w+ )?{_DONE}"
# A hand-off is an action however casual its verb: "I'm going to pop you through to my supervisor".
_PUT_THROUGH = r"(?:put|pop|pass|send|move)(?:ting|ping|sing|ding|ing)? you (?:through|over|across) to"
_COMMIT = re.compile(rf"\b(?:{_WILL_DO}|{_PAST}\s+(?:\w+\s+)?{_DONE}|{_DONE_PASSIVE}|{_DOING}|{_PUT_THROUGH})\b",
                     re.I)
_WILL_DO_RE = re.compile(rf"\b{_WILL_DO}\b", re.I)
# "not something I'm allowed to change", "no one else I can pass it to", "there isn't anyone else I can pass you
# on to", "I've run out of options", "I've been told no": a refusal worded around its object.
REFUSAL_AROUND = (r"not (?:something|anything) (?:i|we|anyone|anybody)(?: here)?"
                  r"(?:'m| am|'re| are| is)? ?(?:allowed|able|permitted) to|"
                  r"(?:no ?(?:one|body)|(?:isn't|is not|not) (?:anyone|anybody))(?: else)? (?:i|we) (?:can|could)|"
                  r"(?:run|ran) out of options|(?:been|was|were) told no")
_REFUSAL = re.compile(r"\b(i'm afraid|i am afraid|can't|cannot|can not|not able to|unable to|won't|will not|"
                      r"doesn't allow|does not allow|"
                      r"don't allow|do not allow|not allowed|not possible|nothing (more |else )?(i|we) can|"
                      rf"outside (of )?what (i|we) can|{REFUSAL_AROUND})\b", re.I)
_TRIVIAL = re.compile(r"\b(let(?: me|'s| us)(?: just| quickly)? "
                      r"(check|see|look|pull|review|take a look|have a look|price)(?: if (?:i|we) can)?|"
                      r"one moment|hold on|bear with|can i (get|have|ask)|i can see|we can see|you can see|"
                      r"let me run|see if (i|we) can|give me a (minute|moment|second|sec)|"
                      r"(whether|if) (there's|there is) anything (i|we) can \w+)\b", re.I)
# A supervisor or a manager is a hand-off when the call goes to them, not when named ("an apology from the
# manager involved", blind7).
_HANDOFF = re.compile(r"\b(transfer|escalat|(to|with) (my|a|the|our) (\w+ )?(supervisor|manager|specialist)|"
                      r"(supervisor|manager|specialist)s? (will|is going to|can|should|needs? to)|"
                      r"call you back|callback|follow up|connect you|put you through|pass you|hand you|"
                      r"get back to you|review team|technician)\w*", re.I)
_YES = re.compile(r"^\W*(yes|yeah|yep|sure|perfect|great|that works|that would be great|sounds good|"
                  r"(that's|that is|that sounds|sounds|that'd be|that would be|okay|ok|oh|right),? (really |very )?"
                  r"(great|good|perfect|fine|lovely|brilliant|excellent|wonderful|ideal|reasonable|helpful|"
                  r"thanks|thank you)|"
                  r"let's do (it|that)|deal|agreed|please do|go ahead|wonderful|excellent|brilliant)\b|"
                  r"\b(that works|works for me|that's exactly what i needed|i('d| would) (like|love) that|"
                  r"yes,? please|sorts it|solves it|solved it|fixes it|problem (sorted|solved)|all sorted|"
                  r"(everything|exactly what|just what|all) i needed|cheers|(that's|that is|what) a relief|"
                  r"(that's|that is|it's|it is|all|everything|the whole thing)( been| all)? "
                  r"(dealt with|sorted|taken care of|fixed|resolved))\b", re.I)
_SPLIT = re.compile(r"(?<=[.!?])\s+")
_PURPOSE = re.compile(r"^\W*so (?:that )?(?:i|we) can\b", re.I)
_NOT_THEIRS = re.compile(r"^\W*(you|let me)\b|\b(elsewhere|somewhere else|another (company|provider|supplier)|"
                         r"someone else|think about it|"
                         # a complaint's threat: "I'll be telling my friends about it"
                         r"tell(ing)? (all )?(my friends|everyone|everybody|people)|"
                         r"(leav|writ|post)(e|ing) an? (\w+ )?review|take my (business|money))\b", re.I)
_OFFER = (r"\bwhat (i|we) can (do|offer) is|\bwhat (i'm|i am|we're|we are) able to (do|offer) is|\bwould that work|"
          r"\bhow about\b|\bhere's what i can\b")
# An offer closed by a tag question is still an offer: "I can post you the form, how does that sound?"
_TAG = re.compile(r",?\s*(how does that sound|is that (ok|okay|alright|all right)|would that work|does that work|"
                  r"sound good|is that good|all right)\?$", re.I)


def _commitments(text: str) -> list[str]:
    out = []
    asked = False
    for s in _SPLIT.split(" ".join(text.split())):
        # A request for a detail is no commitment, whatever purpose it gives, nor is its purpose cut off into a
        # sentence of its own: "And an email address, so I can send a summary over afterwards." (blind11, its "?"
        # lost by ASR, or its "so" clause split off: "And an email address. So I can send…").
        purpose = asked and _PURPOSE.search(s)
        commit = _COMMIT.search(s)
        # What comes before the commitment asks for the detail ("What I'm going to do is refund it to your card"
        # asks for nothing).
        asked = bool(commit and asks_for(s[:commit.start()]) or not commit and asks_for(s))
        if "?" in _TAG.sub(".", s) or _REFUSAL.search(s) or asked or purpose:
            continue
        if _TRIVIAL.search(s) and not _COMMIT.search(_TRIVIAL.sub("", s)):
            continue
        if commit:
            out.append(clean(s))
    return out


def action_items(utterances: list[Utterance], roles: dict[str, str] | None = None, limit: int = 6) -> list[str]:
    """Commitments in call order; the customer's own are kept when they commit to an action ("I'll send…")."""
    out: list[str] = []
    for u in utterances:
        role = (roles or {}).get(u.speaker) if u.speaker is not None else None
        for item in _commitments(u.text):
            if role == "Customer" and not _WILL_DO_RE.search(item):
                continue  # "we just moved": what a customer did before the call is no action item
            if role == "Customer" and _NOT_THEIRS.search(item):
                continue  # what the agent can do, or a threat to leave, is no commitment of the customer's
            if item not in out:
                out.append(item)
    return out[:limit]


def agreements(utterances: list[Utterance], roles: dict[str, str] | None = None, limit: int = 4) -> list[str]:
    """An offered or announced fix (not a hand-off or a callback) that the other party accepted."""
    out: list[str] = []
    for i, u in enumerate(utterances):
        if roles and roles.get(u.speaker) == "Customer":
            continue
        # The same commitments the action items hold (no questions, refusals or "let me check"), or an offer, said
        # before any hand-off in the turn: what follows one ("I'll pass you over to Hamid. He'll pick up in a
        # second.") is the hand-off's, not a fix.
        sentences = _SPLIT.split(" ".join(u.text.split()))
        handoff = next((k for k, s in enumerate(sentences) if _HANDOFF.search(s)), len(sentences))
        before = " ".join(sentences[:handoff])
        offers = _commitments(before) + [clean(s) for s in sentences[:handoff]
                                         if re.search(_OFFER, s, re.I) and not _REFUSAL.search(s)]
        if not offers:
            continue
        reply = next((v for v in utterances[i + 1:i + 3] if v.speaker != u.speaker), None)
        if reply is not None and _YES.search(reply.text):
            item = clean(offers[0])
            if item not in out:
                out.append(item)
    return out[:limit]
