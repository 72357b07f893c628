"""Words → caption cues, under a preset's rules.

Why not one cue per ASR segment: Whisper segments (one per VAD clip in the batched pipeline) run up to 30 s
and hundreds of characters. Cues are instead grown word by word and closed when the next word would break a
rule (characters per line × lines, maximum duration), at a speaker change, or at a long pause. When a cue
overflows, the break goes back to the best point inside it — a sentence end, then a clause end, then a pause
— so cues end where the language does. Words are atoms: nothing ever splits inside one.

Timing (minimum duration, reading speed, gaps) is then settled by the same fix passes the QA engine uses, so
exported captions pass their own preset's checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from captions.ir import Cue, CueWord
from captions.presets import Preset
from captions.wrap import vlen, wrap

_SENTENCE_END = (".", "?", "!", "…", '."', '?"', '!"')
_CLAUSE_END = (",", ";", ":", "—", "–")
# A silence this long always starts a new cue: a caption should not stay up across it.
PAUSE_BREAK_MS = 1500
_PUNCT_CHARS = ",.;:!?…%)]}\"'"


def words_from_transcript(transcript: Any) -> list[CueWord]:
    """Timed words from a Transcript (schemas.result), tolerant of what diarization will add later.

    Speakers come from `word.speaker` when present, else from the segment that contains the word. A transcript
    without word timings falls back to its segments, with each segment's time shared out by word length.
    """
    segments = list(getattr(transcript, "segments", []) or [])
    seg_speakers = [(round(s.start * 1000), round(s.end * 1000), getattr(s, "speaker", None)) for s in segments]
    words = list(getattr(transcript, "words", []) or [])
    out: list[CueWord] = []
    if words:
        j = 0
        for w in words:
            text = str(w.word).strip()
            if not text:
                continue
            start, end = round(w.start * 1000), round(w.end * 1000)
            speaker = getattr(w, "speaker", None)
            if speaker is None and seg_speakers:
                mid = (start + end) // 2
                while j + 1 < len(seg_speakers) and seg_speakers[j][1] < mid:
                    j += 1
                speaker = seg_speakers[j][2]
            out.append(CueWord(text, start, max(end, start), speaker))
        return out
    for seg in segments:
        tokens = str(seg.text).split()
        if not tokens:
            continue
        start, end = round(seg.start * 1000), round(seg.end * 1000)
        total = sum(len(t) for t in tokens)
        acc = 0
        for tok in tokens:
            w_start = start + (end - start) * acc // total
            acc += len(tok)
            out.append(CueWord(tok, w_start, start + (end - start) * acc // total, getattr(seg, "speaker", None)))
    return out


def join_tokens(texts: Iterable[str]) -> list[str]:
    """Display tokens: words separated by spaces, bare punctuation tokens glued to the word before."""
    tokens: list[str] = []
    for text in texts:
        if tokens and len(text) <= 3 and not text.strip(_PUNCT_CHARS):
            tokens[-1] += text
        else:
            tokens.append(text)
    return tokens


def _best_break(texts: list[str], starts: list[int], ends: list[int], a: int, b: int) -> int:
    """Where to cut the open cue `a:b` (the cut keeps a:i): the strongest break past the first third of its
    characters, the latest one on ties, else b (all of it). Strength: sentence end 3, clause end 2, a pause
    of 300 ms 1."""
    total = sum([len(t) + 1 for t in texts[a:b]])
    acc, first = 0, b
    for i in range(a + 1, b):
        acc += len(texts[i - 1]) + 1
        if acc * 3 >= total:  # never leave a first part under a third of the cue
            first = i
            break
    # Scan from the end: the first sentence end met is the answer; clause ends and pauses only until then.
    best_i, best_score = b, 0
    for i in range(b - 1, first - 1, -1):
        text = texts[i - 1]
        if text.endswith(_SENTENCE_END):
            return i
        if best_score < 2:
            if text.endswith(_CLAUSE_END):
                best_i, best_score = i, 2
            elif best_score < 1 and starts[i] - ends[i - 1] >= 300:
                best_i, best_score = i, 1
    return best_i


_Layout = tuple[int, int, int]  # lines used, characters on the last line, length of the last token


def _add(state: _Layout, text: str, width: int) -> _Layout:
    """Greedy line layout, one token at a time (what `wrap.fits` computes, without re-wrapping the whole
    cue for every word: the segmenter asks once per word)."""
    lines, used, last = state
    n = len(text) if "<" not in text and "{" not in text else vlen(text)
    if lines and len(text) <= 3 and not text.strip(_PUNCT_CHARS):  # glued to the previous token
        if used + n > width and used > last:  # the grown token no longer fits its line: it moves down
            return lines + 1, last + n, last + n
        return lines, used + n, last + n
    if lines == 0:
        return 1, n, n
    if used + 1 + n > width:
        return lines + 1, n, n
    return lines, used + 1 + n, n


Span = tuple[int, int, str]  # words a:b of the input make one cue with this (wrapped) text


def segment_spans(
    texts: list[str], starts: list[int], ends: list[int], speakers: Sequence[str | None], preset: Preset, *, label_speakers: bool = False
) -> list[Span]:
    """The segmenter proper, over parallel lists (word texts, start and end ms, speakers): which runs of
    words make each cue, and the cue's text. Lists rather than CueWord objects because the QA engine's
    split fix feeds it thousands of pseudo-words per file, and building objects only to read three fields
    back was a third of its cost."""
    spans: list[Span] = []
    width, max_lines, max_dur = preset.max_chars_per_line, preset.max_lines, preset.max_duration_ms
    last_speaker: str | None = None  # speaker of the last cue closed (labels mark turns)

    def label_for(i: int) -> list[str]:
        speaker = speakers[i]
        if label_speakers and speaker is not None and speaker != last_speaker:
            return [f"{speaker}:"]
        return []

    def layout(a: int, b: int) -> _Layout:
        state: _Layout = (0, 0, 0)
        for tok in label_for(a) if a < b else []:
            state = (1, len(tok), len(tok))
        for i in range(a, b):
            state = _add(state, texts[i], width)
        return state

    def flush(a: int, b: int) -> None:
        nonlocal last_speaker
        if a >= b:
            return
        tokens = join_tokens(texts[a:b])
        if label_speakers:
            tokens = label_for(a) + tokens
        spans.append((a, b, "\n".join(wrap(tokens, width))))
        last_speaker = speakers[a]

    a = 0  # the open cue is words a:k
    lines = used = last = 0  # its greedy layout (see _add)
    for k, text in enumerate(texts):
        if a < k:
            p = k - 1
            if (speakers[k] != speakers[p]) or (starts[k] - ends[p] >= PAUSE_BREAK_MS):
                flush(a, k)
                a = k
            else:
                grown = _add((lines, used, last), text, width)
                if grown[0] > max_lines or ends[k] - starts[a] > max_dur:
                    cut = _best_break(texts, starts, ends, a, k)
                    flush(a, cut)
                    a = cut
                    if a < k and (layout(a, k + 1)[0] > max_lines or ends[k] - starts[a] > max_dur):
                        flush(a, k)
                        a = k
                elif texts[p].endswith(_SENTENCE_END) and (lines > 1 or used * 2 >= width):
                    # A sentence ended and the cue already holds half a line: start the next sentence fresh.
                    flush(a, k)
                    a = k
                else:
                    lines, used, last = grown
                    continue
        # Word k joins the open cue; recompute its layout only when the cue restarted.
        lines, used, last = layout(a, k + 1) if k > a or label_speakers else _add((0, 0, 0), text, width)
    flush(a, len(texts))
    return spans


def segment_words(words: Sequence[CueWord], preset: Preset, *, label_speakers: bool = False) -> list[Cue]:
    """Group timed words into cues that respect `preset` (text layout and maximum duration).

    With `label_speakers`, the first cue of each speaker turn starts with "SPEAKER: ", and that label counts
    towards the line length.
    """
    texts = [w.text for w in words]
    starts = [w.start_ms for w in words]
    ends = [w.end_ms for w in words]
    speakers = [w.speaker for w in words]
    return [
        Cue(starts[a], max(ends[b - 1], starts[a]), text, speakers[a], list(words[a:b]))
        for a, b, text in segment_spans(texts, starts, ends, speakers, preset, label_speakers=label_speakers)
    ]
