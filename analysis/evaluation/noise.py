"""What tiny.en and diarization do to a scripted call, applied to its text: for tests that cannot afford ASR.

Each rule is one seen in the benchmark's transcripts (`.parlance/analysis_eval/transcripts`): spoken digits
written as digits ("four one five" → "4 1 5"), "dot com" as ".com", question marks lost, a turn cut in two
with its tail glued to the next speaker's turn, a word dropped or misheard. Seeded: the same call always
gets the same noise.
"""

from __future__ import annotations

import random
import re

from analysis.evaluation.callset import DIGITS, ScriptedCall
from analysis.schema import Utterance

_DIGIT = {w: str(i) for i, w in enumerate(DIGITS)}
_MISHEARD = {"bill": "meal", "internet": "Internet", "there": "their", "of": "on", "is": "in", "for": "four",
             "all": "oil", "anything": "anymore", "card": "car"}


def _digits(text: str, rng: random.Random) -> str:
    sep = rng.choice([" ", " -", ", "])
    run = re.compile(r"\b(?:" + "|".join(DIGITS) + r")(?:[ ,]+(?:" + "|".join(DIGITS) + r"))*\b")
    return run.sub(lambda m: sep.join(_DIGIT[w] for w in re.findall(r"[a-z]+", m.group(0))), text)


def _words(text: str, rng: random.Random, rate: float) -> str:
    out = []
    for w in text.split(" "):
        bare = w.strip(".,?!").lower()
        if bare in _MISHEARD and rng.random() < rate:
            w = w.replace(w.strip(".,?!"), _MISHEARD[bare])
        elif rng.random() < rate / 4 and len(out) > 2:
            continue  # dropped
        out.append(w)
    return " ".join(out)


def noisy_utterances(call: ScriptedCall, seed: int = 0, rate: float = 0.15) -> list[Utterance]:
    """The call as utterances with ASR-like and diarization-like errors (speakers SPEAKER_00 agent / _01)."""
    rng = random.Random(f"{call.id}:{seed}")
    turns = [(0 if who == "agent" else 1, text) for who, text in call.turns]
    texts = []
    for party, text in turns:
        text = _digits(text, rng)
        text = re.sub(r"\s+dot\s+(com|org|net)\b", r" .\1", text) if rng.random() < 0.5 else text
        text = text.replace("?", ".") if rng.random() < rate else text
        texts.append([party, _words(text, rng, rate)])
    # A cut in the wrong place: the last words of a turn land in the next speaker's turn.
    for k in range(len(texts) - 1):
        if rng.random() < rate / 2 and texts[k][0] != texts[k + 1][0]:
            words = texts[k][1].split(" ")
            if len(words) > 4:
                cut = rng.randrange(2, min(5, len(words) - 1))
                texts[k][1], texts[k + 1][1] = " ".join(words[:-cut]), " ".join(words[-cut:] + [texts[k + 1][1]])
    out, t = [], 0.0
    for party, text in texts:
        dur = max(1.0, len(text.split()) * 0.4)
        out.append(Utterance(speaker=f"SPEAKER_0{party}", start=round(t, 2), end=round(t + dur, 2), text=text))
        t += dur + 0.7
    return out
