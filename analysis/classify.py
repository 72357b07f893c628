"""Zero-shot call type and outcome: MiniLM similarity to label descriptions, plus phrase cues.

Each label has a few descriptions written as things people say on such calls; a call's score for a label is
the mean of its best few sentence similarities to them. Cue phrases add a bounded bonus: embeddings alone blur
neighbours (a billing dispute reads like a complaint), and the cues are what a human would look for first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from analysis.commitments import REFUSAL_AROUND

TYPE_PROTOTYPES: dict[str, list[str]] = {
    "retention": [
        "I want to cancel my subscription and close my account.",
        "I'm thinking about switching to another provider because it's cheaper.",
        "Before you cancel, I can offer you a discount if you stay with us.",
        "Please end my contract, I don't want the service anymore.",
    ],
    "sales": [
        "I'm interested in buying a new plan, what does it cost?",
        "I would like to sign up and purchase your premium package.",
        "We have a special offer if you upgrade today.",
        "Can I add another line or product to my order?",
        "How much would it cost to add a new service to my plan?",
        "I'd like to get a new phone or device, what deals do you have?",
    ],
    "support": [
        "My internet connection is not working.",
        "I can't log in, the app keeps showing an error.",
        "The device keeps restarting, can you help me fix it?",
        "Let's troubleshoot: please restart the router and check the lights.",
    ],
    "billing": [
        "I have a question about the charges on my bill.",
        "I was charged twice this month on my invoice.",
        "I want to update my payment method and pay my balance.",
        "When is my payment due and how much do I owe?",
    ],
    "complaint": [
        "I want to file a formal complaint about how I was treated.",
        "I am very unhappy, the service has been terrible and unacceptable.",
        "Your technician was rude and never showed up.",
        "I'm extremely frustrated and disappointed with your company.",
    ],
    "other": [
        "What are your opening hours and where is your store?",
        "Sorry, I think I dialed the wrong number.",
        "I just have a general question about your company.",
        "I'm returning a missed call, I'm not sure who called me.",
        "I need to change my address and contact details on the account.",
        "Can you tell me whether you have received my letter or form?",
        "I'm just calling to ask for some information.",
    ],
}
OUTCOME_PROTOTYPES: dict[str, list[str]] = {
    "resolved": [
        "Great, that fixed it, everything works now. Thank you!",
        "You're all set, the change has been made and confirmed.",
        "Your refund has been processed and the issue is resolved.",
    ],
    "partial": [
        "I fixed part of the problem, but the rest needs a follow-up.",
        "In the meantime I've applied a temporary fix; we'll call you back to finish.",
        "That helps for now, but it's not completely sorted yet.",
    ],
    "escalated": [
        "I'm transferring you to my supervisor now.",
        "I'll escalate this to our specialist team who will contact you.",
        "Let me get a manager on the line to handle this.",
    ],
    "unresolved": [
        "Unfortunately there's nothing more I can do for you.",
        "It still doesn't work and I'm not satisfied.",
        "We can't offer that, I'm sorry. Fine, goodbye then.",
    ],
}
TYPE_CUES: dict[str, list[str]] = {
    "retention": [r"\bcancel(l?ing|l?ation)?\b",
                  r"\bswitch(ing)? (to (another|a different|a cheaper|a new) (provider|company|carrier|network|"
                  r"supplier)|provider|carriers?|away|over to (them|another))", r"\bclose my account",
                  r"\b(stay|keep you) (with us|as a customer)", r"\bretention\b", r"\bcompetitor", r"\bleav(e|ing) (you|your)"],
    "sales": [r"\bsign(ing)? up\b", r"\bupgrade\b", r"\bpurchas", r"\bbuy(ing)?\b", r"\bnew (plan|line|customer|package)",
              r"\b(like|want|wanted|need) to order\b|\border (a|an|two|three|more|another|new)\b",
              r"\bpromotion|\bspecial offer|\bdeal\b", r"\binterested in"],
    "support": [r"\bnot working\b|\bisn't working\b|\bstopped working", r"\berror\b", r"\brestart|\breboot|\breset",
                r"\btroubleshoot", r"\bcan't (log|connect|access)", r"\boutage|\bconnection|\bwifi|\brouter",
                r"\btechnical"],
    "billing": [r"\bbill(ed|ing)?\b", r"\bcharge(d|s)?\b", r"\binvoice", r"\bpayment", r"\bbalance\b", r"\brefund",
                r"\bstatement\b", r"\bautopay|\bdue date"],
    "complaint": [r"\bcomplain", r"\bunacceptable", r"\brude\b", r"\bterrible|\bawful|\bhorrible",
                  r"\bfrustrat|\bfurious|\bdisappoint", r"\bmanager\b|\bsupervisor\b", r"\bworst",
                  r"\bridiculous|\bangry|\bupset\b|\bbadly\b|\bdismissive|\bdisrespect",
                  r"\b(third|fourth|fifth|\w+th) time (i'm |i am |i've )?call"],
    "other": [r"\b(update|change) (my|the) (mailing |home |postal |billing )?address", r"\bwrong number", r"\bopening hours|\bstore hours|\bopen on\b", r"\bgeneral question",
              r"\bmissed call", r"\bdirections?\b|\blocated\b"],
}
OUTCOME_CUES: dict[str, list[str]] = {
    "resolved": [r"\b(all set|resolved|fixed|works now|working now|processed|confirmed|taken care of)\b",
                 r"\bthat('s| is) (perfect|great|everything)", r"\bthanks? (so much|a lot)"],
    "partial": [r"\bin the meantime\b", r"\bfollow[- ]up\b", r"\bcall you back\b", r"\bpartial(ly)?\b",
                r"\bfor now\b", r"\bstill (need|have) to\b", r"\bticket\b"],
    "escalated": [r"\btransfer(ring)?\b", r"\bescalat", r"\bsupervisor\b|\bmanager\b", r"\bspecialist",
                  r"\bsenior\b", r"\bhigher level|\btier (2|two)"],
    "unresolved": [r"\bnothing (more )?(i|we) can do\b", r"\b(can't|cannot|unable to) (do|offer|help|change)",
                   r"\bstill (not|doesn't|isn't|won't)\b", r"\bnot (satisfied|happy)\b", r"\bwaste of time",
                   r"\bunfortunately\b"],
}
_CUE_WEIGHT = 0.06
# A call whose best specific label scores under this (calibrated similarity plus cues) said nothing that marks
# it as one: `other` is the residual class, and its own descriptions cannot cover every other reason to call.
_OTHER_BELOW = 0.15
_CUE_CAP = 4
_NEGATIVITY_WEIGHT = 0.15


# Things said on every call. A label's mean similarity to them is its baseline, subtracted from its scores
# (contextual calibration): otherwise a label whose descriptions sound like generic call talk wins by default.
NEUTRAL = [
    "Thank you for calling, how can I help you today?",
    "Can I get the phone number on the account?",
    "Thank you. And the email address?",
    "Okay, one moment please while I pull that up.",
    "Is there anything else I can help you with?",
    "No, that's all. Bye.",
    "Could you confirm your name and date of birth?",
    "Sure, let me check that for you.",
    # Verification and courtesy: every call has some, and "I'm returning a missed call" or "change my contact
    # details" must not claim a caller who merely gives a phone number or introduces themself.
    "This call may be recorded for quality and training purposes.",
    "Hello, this is John Smith calling.",
    "What's the best number to reach you on?",
    "It's four one five, five five five, one two three four.",
    "It's john dot smith at gmail dot com.",
]


@dataclass
class Prototypes:
    labels: list[str]
    owner: np.ndarray  # prototype row → label index
    vectors: np.ndarray
    baseline: np.ndarray  # per label
    neutral: np.ndarray  # the NEUTRAL sentences, embedded


def _best_per_label(vectors: np.ndarray, protos_vectors: np.ndarray, owner: np.ndarray, n_labels: int) -> np.ndarray:
    per_proto = vectors @ protos_vectors.T
    return np.stack([per_proto[:, owner == i].max(axis=1) for i in range(n_labels)], axis=1)  # sentences × labels


def build_prototypes(encoder, table: dict[str, list[str]], calibrate: bool = True) -> Prototypes:
    labels = list(table)
    texts = [t for lab in labels for t in table[lab]]
    owner = np.array([i for i, lab in enumerate(labels) for _ in table[lab]])
    vectors = encoder.encode(texts)
    neutral = encoder.encode(NEUTRAL)
    baseline = (_best_per_label(neutral, vectors, owner, len(labels)).mean(axis=0) if calibrate
                else np.zeros(len(labels), dtype=np.float32))
    return Prototypes(labels, owner, vectors, baseline, neutral)


def substantive(vectors: np.ndarray, protos: Prototypes) -> np.ndarray:
    """Row mask of the sentences that say more about some label than routine call talk does.

    Greetings, verification questions and their answers sit near every label a little, and on wording the
    descriptions had not seen they decided the call type ("What name is the account under?" read as `other`).
    A sentence closer to the NEUTRAL examples than to any label's description is routine and left out.
    """
    if not len(vectors):
        return np.zeros(0, dtype=bool)
    label = _best_per_label(vectors, protos.vectors, protos.owner, len(protos.labels)).max(axis=1)
    return label > (vectors @ protos.neutral.T).max(axis=1)


def _cue_counts(texts: list[str], cues: dict[str, list[str]], labels: list[str]) -> np.ndarray:
    joined = "\n".join(texts)
    return np.array([min(_CUE_CAP, sum(len(re.findall(c, joined, re.I)) for c in cues[lab])) for lab in labels],
                    dtype=np.float32)


def label_scores(vectors: np.ndarray, texts: list[str], protos: Prototypes, cues: dict[str, list[str]],
                 top_k: int = 3) -> dict[str, float]:
    n_labels = len(protos.labels)
    sims = np.zeros(n_labels, dtype=np.float32)
    if len(vectors):
        best = _best_per_label(vectors, protos.vectors, protos.owner, n_labels) - protos.baseline
        k = min(top_k, len(best))
        sims = np.sort(best, axis=0)[-k:].mean(axis=0)
    scores = sims + _CUE_WEIGHT * _cue_counts(texts, cues, protos.labels)
    return {lab: float(s) for lab, s in zip(protos.labels, scores)}


def classify_type(vectors: np.ndarray, texts: list[str], protos: Prototypes,
                  negativity: float = 0.0) -> tuple[str, dict[str, float]]:
    """`vectors`: the embedded sentences; `texts`: every sentence the cues are read in (may be more than were
    embedded). `negativity` (0–1, the customer's strongest negative VADER score) backs complaints: their wording
    varies more than their affect does."""
    keep = substantive(vectors, protos)
    scores = label_scores(vectors[keep] if keep.any() else vectors, texts, protos, TYPE_CUES, top_k=1)
    scores["complaint"] += _NEGATIVITY_WEIGHT * max(0.0, min(1.0, negativity))
    best = max(scores, key=scores.__getitem__)
    if best != "other" and scores[best] < _OTHER_BELOW:
        return "other", scores
    return best, scores


def classify_outcome(vectors: np.ndarray, texts: list[str], protos: Prototypes,
                     closing: list[tuple[str | None, str]] | None = None) -> tuple[str, dict[str, float]]:
    """How the call ended: the closing turns' rules first (`closing_outcome`), similarity and cues otherwise."""
    scores = label_scores(vectors, texts, protos, OUTCOME_CUES, top_k=3)
    ruled = closing_outcome(closing or [])
    if ruled is not None:
        return ruled, scores
    return max(scores, key=scores.__getitem__), scores


# -- the outcome from how the call ends ------------------------------------------------------------------------
_HANDOFF = re.compile(
    r"\b(transfer(ring|red)? you|put you through|connect(ing)? you (with|to)|escalat\w*|pass(ed)? (this|it|you) "
    r"(on |over )?to|hand(ing)? (this|you|it) (over|off)|raise (this|it) with|"
    r"(supervisor|manager|specialist|senior \w+|escalations?|another department|second line|tier (2|two)) "
    r"(will|is going to|should|can) (call|contact|reach|get back|follow|take)|"
    r"(my|a) (supervisor|manager) (now|on the line|right away)|putting you through|"
    # "I'm putting you across to our members team. Stay with me while it connects." (blind11)
    r"(put|putting|pop|popping|pass|passing) you (through|across)|"
    r"(send|sending|mov(e|ing)) you (through|across|over) to|(while|as|until) (it |you |the call )?connects?\b|"
    r"pass(ing)? (your|this|the) (case|call|query|complaint|issue) (up|on|over)|pass(ing)? (it|this) up|"
    # "I'm sending this across to our complaints and compensation team" (blind9)
    r"(send|sending|refer|referring) (this|it|you|your \w+) (across |over |up |on )?to (our|the|a|my) "
    r"(\w+ ){0,4}(team|department|desk|specialists?|manager|supervisor))", re.I)
_SOLVED = re.compile(
    r"\b(that|it|this)('s| is| has| was)?( been)? (solved|sorted|fixed|resolved|working( again| now)?|"
    r"works( now)?|(sorts|solves|fixes) it)\b|\b(sorts|solves|fixes) (it|that|everything)\b|"
    r"\b((exactly|just|everything|all) (what )?i needed|all (set|sorted|good) now|problem solved)\b", re.I)
# ... and a fix the customer calls partial: "Right, half of it sorted, then." (blind9)
_NOT_SOLVED = re.compile(r"\b(not|n't|never|still)\b.{0,20}\b(solved|sorted|fixed|resolved|working|works)\b|"
                         r"\b(half|partly|partially|part)\b.{0,12}\b(solved|sorted|fixed|resolved|done)\b", re.I)
# "for now" qualifying a fix is pending ("that helps for now"); in a goodbye it is not ("bye for now", "that's all
# for now": blind7 ended every call so and read all of them as partial).
_FOR_NOW = r"(?<!bye )(?<!all )(?<!it )(?<!else )(?<!everything )for now"
_PENDING = re.compile(
    r"\b(call you back|callback|call back|follow[- ]?up|get back to you|technician (will|needs|to|visit|"
    rf"appointment)|(needs?|has|have) to (visit|come|approve|review)|in the meantime|{_FOR_NOW}|the rest( of it)?|"
    r"part of (it|the)|temporary|half done|once (it|they|we|billing|the \w+) (is |are )?(approved|confirm\w*|"
    r"review\w*)|review team|open(ed)? a (ticket|case)|pending|(has|have|needs?) to be (signed off|approved|"
    r"reviewed|checked|authori[sz]ed|confirmed)|started the process|"
    r"(phone|call|ring|email|text) you (when|once)|keep an eye out|"
    # "it can't be completed until our approval desk has signed it off … I'll wait for your call"
    r"(can't|cannot|can not) be (completed|finished|done) until|wait for (your|the|a) call|"
    r"(receive|get) a (phone )?call from)\b", re.I)
_REFUSED = re.compile(
    r"\b((nothing|(isn't|is not|there's not) anything) (more |else )?(i|we) can do|"
    r"(can't|cannot|can not|unable to|not able to|won't|will not|"
    r"does not allow|doesn't allow|don't allow|not allowed to) (\w+ )?(do|offer|help|change|waive|refund|approve|"
    r"remove|apply|give|make|allow|let)|outside (of )?what we can|not possible|(i'm|i am) afraid|afraid (not|that|our)|"
    rf"policy|no way (for me |for us )?to|no way (i|we) can|{REFUSAL_AROUND})\b", re.I)
_UNHAPPY = re.compile(
    r"\b(not (happy|satisfied|acceptable|impressed)|nothing('s| has) been done|unhappy|hopeless|unacceptable|"
    r"ridiculous|waste of (my )?time|forget it|fed up|"
    r"(won't|will not|doesn't|does not|didn't) help|useless|pointless|(one|a) bit)\b", re.I)
_DONE = re.compile(
    r"\b(i('ve| have)|we('ve| have)) (gone ahead|arranged|processed|applied|updated|refunded|credited|removed|"
    r"waived|cancel+ed|set up|added|scheduled|sent|booked|filed|issued|ordered|reversed|replaced|shipped|reset|"
    r"fixed|managed to)|\b(i|we)('ll| will| can) (ship|send|refund|credit|"
    r"apply|waive|remove|add|set up|upgrade|cancel|process|email|text|replace|put|file|schedule|book|mail|give|"
    r"activate|reverse|order)|\b(i was|we were) able to|\b(all )?taken care of|\bdone\b|confirmation|you('re| are) all set", re.I)
_ACCEPTED = re.compile(
    r"\b(thank(s| you)|appreciate|that works|works for me|perfect|great|sounds good|yes,? please|"
    r"that's fine|okay,? (great|thanks|perfect))\b", re.I)


def closing_outcome(closing: list[tuple[str | None, str]]) -> str | None:
    """The outcome the last turns state, or None when they state none (the caller falls back to similarity).

    `closing` is (role, text) for the call's last turns. Read in the order a listener would weigh them: a hand-off
    to someone else ends the call escalated; the customer saying it is solved ends it resolved (even with a
    visit booked); a callback, visit or open review still pending is partial; a refusal or a customer leaving
    unhappy is unresolved; an action agreed and thanked for is resolved.
    """
    agent_text, customer_text = _texts(closing)
    if any(not _negated(agent_text, m.start()) for m in _HANDOFF.finditer(agent_text)):
        return "escalated"
    if _SOLVED.search(customer_text) and not _NOT_SOLVED.search(customer_text):
        return "resolved"
    if _PENDING.search(agent_text) or _PENDING.search(customer_text):
        return "partial"
    # A fix agreed and thanked for supersedes what was said before it ("It didn't help." about a restart, then
    # a replacement arranged and accepted): only what follows the agreed fix can still make the call unresolved.
    fixed = _agreed_fix(closing)
    agent_after, customer_after = _texts(closing[fixed + 1:] if fixed is not None else closing)
    if _UNHAPPY.search(customer_after) or _REFUSED.search(agent_after):
        return "unresolved"
    return "resolved" if fixed is not None else None


# "n't" ends its word ("there isn't anyone else I can pass you on to"), so it has no word boundary before it.
_NEGATION = re.compile(r"\b(no ?one|nobody|not|never|can't|cannot|won't|nothing|no way)\b|n't\b", re.I)


def _negated(text: str, at: int) -> bool:
    """Whether the clause holding `text[at]` denies what follows: "there's no one else I can pass it to"."""
    clause = re.split(r"[,.;!?]", text[:at])[-1]
    return bool(_NEGATION.search(clause))


def _texts(turns: list[tuple[str | None, str]]) -> tuple[str, str]:
    """(agent's text, customer's text); a turn of unknown role counts for both."""
    return (" ".join(t for r, t in turns if r != "Customer"), " ".join(t for r, t in turns if r != "Agent"))


def _agreed_fix(closing: list[tuple[str | None, str]]) -> int | None:
    """The index of the last agent turn stating an action that a later customer turn accepts."""
    last = None
    for i, (role, text) in enumerate(closing):
        if role != "Customer" and _DONE.search(text) and \
                any(r != "Agent" and _ACCEPTED.search(t) for r, t in closing[i + 1:]):
            last = i
    return last


def label_similarity(vectors: np.ndarray, protos: Prototypes, label: str) -> np.ndarray:
    """Each sentence's best similarity to one label's descriptions (for picking the sentence that states it)."""
    if not len(vectors):
        return np.zeros(0, dtype=np.float32)
    index = protos.labels.index(label)
    return (vectors @ protos.vectors[protos.owner == index].T).max(axis=1)
