"""Sentences with their speaker's role, and the bounded subset the embedding model sees.

Embedding cost grows with the number of sentences, so a long call is not embedded whole: its opening (why the
customer called), its closing (how it ended) and its most informative middle sentences are, up to a cap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.schema import Utterance

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'])")
_FILLER = re.compile(r"^(?:(?:um+|uh+|so|well|okay|ok|yeah|yes|right|alright|and|hmm|mhm)[,.]?\s+)+", re.I)
_STOP = set("""a an the and or but so to of in on at for with from by is are was were be been am i you he she it we
they me my your our their this that these those do does did have has had will would can could should just
really very okay ok yeah yes no um uh like know think going get got there here what when how why who which
not don't i'm it's that's you're we're i'll we'll let's sure right well please thank thanks""".split())


@dataclass(frozen=True)
class Sentence:
    index: int  # position in the call
    turn: int   # utterance index
    role: str | None
    text: str

    @property
    def content_words(self) -> int:
        return sum(1 for w in re.findall(r"[a-z0-9']+", self.text.lower()) if w not in _STOP)


def sentences(utterances: list[Utterance], roles: dict[str, str]) -> list[Sentence]:
    out: list[Sentence] = []
    for t, u in enumerate(utterances):
        role = roles.get(u.speaker) if u.speaker is not None else None
        for s in _SPLIT.split(" ".join(u.text.split())):
            if s:
                out.append(Sentence(len(out), t, role, s))
    return out


def clean(text: str) -> str:
    text = _FILLER.sub("", text.strip())
    return text[:1].upper() + text[1:] if text else text


def candidates(sents: list[Sentence], opening: int = 16, closing: int = 12, cap: int = 48) -> tuple[
        list[Sentence], list[Sentence], list[Sentence]]:
    """(opening, middle, closing) substantive sentences, at most `cap` in all, each list in call order.

    The closing part is the last third of a short call (at least 3 sentences, at most `closing`), never the
    whole of it: a call of 12 sentences once had an empty opening, so the call type was chosen from nothing.
    """
    subst = [s for s in sents if s.content_words >= 2]
    n_tail = min(closing, max(3, -(-len(subst) // 3)), len(subst))
    tail = subst[len(subst) - n_tail:]
    rest = subst[:len(subst) - n_tail]
    if len(subst) <= cap:
        return rest[:opening], rest[opening:], tail
    head, middle_pool = rest[:opening], rest[opening:]
    room = cap - len(head) - len(tail)
    middle = sorted(sorted(middle_pool, key=lambda s: -s.content_words)[:room], key=lambda s: s.index)
    return head, middle, tail
