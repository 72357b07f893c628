"""Per-clip quality guard for the batched ASR path: find repetition loops, junk, text on silence and speech that
got no words, so that only those clips are decoded again (inference/asr.py) and what still fails is cut or
dropped instead of returned.

Whisper's own sequential decoder checks every 30 s window against the same thresholds (compression ratio 2.4,
average log-probability -1.0, no-speech probability 0.6) and falls back to sampling at higher temperatures; the
batched pipeline decodes once with no such check, which is where loops such as "femoral and femoral and …" and
skipped turns come from. The guard applies those thresholds per clip plus two checks Whisper lacks: an n-gram
said `LOOP_REPEATS` times in a row, and VAD speech regions with no word on them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from inference.segments import REPETITION_REMOVED, SegmentDict, WordDict

COMPRESSION_RATIO_MAX = 2.4  # faster-whisper's compression_ratio_threshold
LOGPROB_MIN = -1.0  # its log_prob_threshold
NO_SPEECH_MIN = 0.6  # its no_speech_threshold
LOOP_REPEATS = 4  # a phrase said this often in a row is a loop (the benchmark's target: never 5)
WORD_LOOP_REPEATS = 5  # one word: "zero zero zero zero" is a card number, not a loop
MAX_NGRAM = 12  # loops seen are 1-8 words ("femoral and", "I'll be near hope.")
CHAR_LOOP = re.compile(r"(\S.{0,11}?)\1{7,}")  # "$$$$$$$$…", "-------" and the like
UNCOVERED_MIN_S = 0.5  # a VAD region shorter than this may be a breath: not reported when wordless
COVER_SLACK_S = 0.25  # word timestamps may sit this far outside the VAD region they belong to


class Problem(StrEnum):
    loop = "loop"
    junk = "junk"  # unlikely text: low log-probability together with high compression, or very low log-probability
    silence = "silence"  # Whisper itself says there was no speech, and the text is unlikely
    uncovered = "uncovered"  # speech the VAD kept has no word


@dataclass(frozen=True, slots=True)
class Verdict:
    problems: frozenset[Problem] = frozenset()
    uncovered: list[tuple[float, float]] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems

    @property
    def needs_redecode(self) -> bool:
        """The clip's text itself is suspect (not only incomplete): decode the whole clip again."""
        return bool(self.problems - {Problem.uncovered})


def assess(segments: Sequence[SegmentDict], speech: Sequence[tuple[float, float]] = ()) -> Verdict:
    """What is wrong with one clip's segments; `speech` are the clip's VAD regions in the segments' time."""
    problems: set[Problem] = set()
    for segment in segments:
        problems |= segment_problems(segment)
    gaps = uncovered(segments, speech)
    if gaps:
        problems.add(Problem.uncovered)
    return Verdict(frozenset(problems), gaps)


def segment_problems(segment: SegmentDict) -> set[Problem]:
    problems: set[Problem] = set()
    text = segment["text"]
    if not text.strip():
        return problems
    if loop_span(tokens(segment)) is not None or CHAR_LOOP.search(text):
        problems.add(Problem.loop)
    logprob = segment.get("avg_logprob", 0.0)
    ratio = segment.get("compression_ratio", 0.0)
    if ratio > COMPRESSION_RATIO_MAX:
        problems.add(Problem.loop)
    if segment.get("no_speech_prob", 0.0) > NO_SPEECH_MIN and logprob < LOGPROB_MIN:
        problems.add(Problem.silence)
    elif logprob < LOGPROB_MIN:
        problems.add(Problem.junk)
    return problems


def tokens(segment: SegmentDict) -> list[str]:
    """Normalised words (lower case, no punctuation) of the segment, from its words or else its text."""
    raw = [w["word"] for w in segment["words"]] if segment["words"] else segment["text"].split()
    return [_norm(w) for w in raw]


def _norm(word: str) -> str:
    return re.sub(r"[^\w']+", "", word.lower())


def loop_span(words: Sequence[str]) -> tuple[int, int, int] | None:
    """(first index, n-gram length, times in a row) of the longest run of one n-gram repeated at least
    LOOP_REPEATS times (WORD_LOOP_REPEATS for one word); None when there is none. Empty tokens (pure
    punctuation) never form a loop."""
    best: tuple[int, int, int] | None = None
    count = len(words)
    for n in range(1, min(MAX_NGRAM, count // LOOP_REPEATS) + 1):
        repeats = WORD_LOOP_REPEATS if n == 1 else LOOP_REPEATS
        i = 0
        while i + n * repeats <= count:
            gram = words[i : i + n]
            if not any(gram):
                i += 1
                continue
            times = 1
            while words[i + times * n : i + (times + 1) * n] == gram:
                times += 1
            if times >= repeats and (best is None or times * n > best[1] * best[2]):
                best = (i, n, times)
            i += max(1, (times - 1) * n) if times >= repeats else 1
    return best


def collapse_loops(segment: SegmentDict) -> SegmentDict:
    """The segment with every loop cut to its first occurrence (and character junk removed), flagged
    `repetition_removed`; unchanged when it has no loop."""
    words = list(segment["words"])
    changed = False
    if words:
        while (span := loop_span([_norm(w["word"]) for w in words])) is not None:
            start, n, times = span
            del words[start + n : start + n * times]
            changed = True
        kept = [w for w in words if not CHAR_LOOP.search(w["word"])]
        changed |= len(kept) != len(words)
        words = kept
        text = "".join(w["word"] for w in words).strip()
    else:
        parts = segment["text"].split()
        while (span := loop_span([_norm(p) for p in parts])) is not None:
            start, n, times = span
            del parts[start + n : start + n * times]
            changed = True
        text = CHAR_LOOP.sub("", " ".join(parts)).strip()
        changed |= text != " ".join(parts)
    if not changed:
        return segment
    out: SegmentDict = {**segment, "text": " " + text if text else "", "words": words}
    if words:
        out["end"] = max(segment["start"], words[-1]["end"])
    out["flags"] = list(dict.fromkeys([*segment.get("flags", []), REPETITION_REMOVED]))
    return out


def uncovered(segments: Sequence[SegmentDict], speech: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """VAD speech regions of at least UNCOVERED_MIN_S on which no word lies (COVER_SLACK_S either side)."""
    words: list[WordDict] = [w for s in segments for w in s["words"]]
    gaps: list[tuple[float, float]] = []
    for start, end in speech:
        if end - start < UNCOVERED_MIN_S:
            continue
        if not any(w["start"] < end + COVER_SLACK_S and w["end"] > start - COVER_SLACK_S for w in words):
            gaps.append((start, end))
    return gaps


def windows(gaps: Sequence[tuple[float, float]], bounds: tuple[float, float], join_s: float = 1.0,
            pad_s: float = 0.2, max_s: float = 30.0) -> list[tuple[float, float]]:
    """Uncovered regions grouped into windows to decode again: neighbours closer than `join_s` share one
    window (Whisper needs some context), each padded by `pad_s`, kept within the clip and under `max_s`."""
    out: list[tuple[float, float]] = []
    for start, end in sorted(gaps):
        if out and start - out[-1][1] < join_s and end - out[-1][0] <= max_s:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    lo, hi = bounds
    return [(max(lo, a - pad_s), min(hi, b + pad_s)) for a, b in out]


def new_words_only(recovered: Sequence[SegmentDict], existing: Sequence[SegmentDict]) -> list[SegmentDict]:
    """Recovered segments without the words that an existing word already covers (a padded window can
    reach into a neighbouring turn); segments left without words are dropped."""
    spans = [(w["start"], w["end"]) for s in existing for w in s["words"]]
    out: list[SegmentDict] = []
    for segment in recovered:
        words = [w for w in segment["words"] if not any(a <= (w["start"] + w["end"]) / 2 <= b for a, b in spans)]
        if not words:
            continue
        if len(words) != len(segment["words"]):
            segment = {**segment, "words": words, "text": " " + "".join(w["word"] for w in words).strip(),
                       "start": words[0]["start"], "end": words[-1]["end"]}
        out.append(segment)
    return out
