"""Zero-shot call type and outcome: MiniLM similarity to label descriptions, plus phrase cues.

Each label has a few descriptions written as things people say on such calls; a call's score for a label is
the mean of its best few sentence similarities to them. Cue phrases add a bounded bonus: embeddings alone blur
neighbours (a billing dispute reads like a complaint), and the cues are what a human would look for first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

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
    "retention": [r"\bcancel(l?ing|l?ation)?\b", r"\bswitch(ing)? (to|provider|carriers?)", r"\bclose my account",
                  r"\b(stay|keep you) (with us|as a customer)", r"\bretention\b", r"\bcompetitor", r"\bleav(e|ing) (you|your)"],
    "sales": [r"\bsign(ing)? up\b", r"\bupgrade\b", r"\bpurchas", r"\bbuy(ing)?\b", r"\bnew (plan|line|customer|package)",
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
    "other": [r"\bwrong number", r"\bopening hours|\bstore hours|\bopen on\b", r"\bgeneral question",
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
]


@dataclass
class Prototypes:
    labels: list[str]
    owner: np.ndarray  # prototype row → label index
    vectors: np.ndarray
    baseline: np.ndarray  # per label


def _best_per_label(vectors: np.ndarray, protos_vectors: np.ndarray, owner: np.ndarray, n_labels: int) -> np.ndarray:
    per_proto = vectors @ protos_vectors.T
    return np.stack([per_proto[:, owner == i].max(axis=1) for i in range(n_labels)], axis=1)  # sentences × labels


def build_prototypes(encoder, table: dict[str, list[str]], calibrate: bool = True) -> Prototypes:
    labels = list(table)
    texts = [t for lab in labels for t in table[lab]]
    owner = np.array([i for i, lab in enumerate(labels) for _ in table[lab]])
    vectors = encoder.encode(texts)
    baseline = (_best_per_label(encoder.encode(NEUTRAL), vectors, owner, len(labels)).mean(axis=0) if calibrate
                else np.zeros(len(labels), dtype=np.float32))
    return Prototypes(labels, owner, vectors, baseline)


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
    """`negativity` (0–1, the customer's strongest negative VADER score) backs complaints: their wording varies
    more than their affect does."""
    scores = label_scores(vectors, texts, protos, TYPE_CUES, top_k=1)
    scores["complaint"] += _NEGATIVITY_WEIGHT * max(0.0, min(1.0, negativity))
    return max(scores, key=scores.__getitem__), scores


def classify_outcome(vectors: np.ndarray, texts: list[str], protos: Prototypes) -> tuple[str, dict[str, float]]:
    scores = label_scores(vectors, texts, protos, OUTCOME_CUES, top_k=3)
    return max(scores, key=scores.__getitem__), scores
