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


def join_words(words: Iterable[CueWord]) -> list[str]:
    """Display tokens: words separated by spaces, bare punctuation tokens glued to the word before."""
    tokens: list[str] = []
    for w in words:
        text = w.text
        if tokens and len(text) <= 3 and not text.strip(_PUNCT_CHARS):
            tokens[-1] += text
        else:
            tokens.append(text)
    return tokens


def _break_score(prev: CueWord, nxt: CueWord) -> int:
    if prev.text.endswith(_SENTENCE_END):
        return 3
    if prev.text.endswith(_CLAUSE_END):
        return 2
    if nxt.start_ms - prev.end_ms >= 300:
        return 1
    return 0


def _best_break(cur: Sequence[CueWord]) -> int:
    """Index to cut `cur` at (cut keeps cur[:i]): the strongest (latest on ties) break past the first third, else all."""
    total = sum(len(w.text) + 1 for w in cur)
    best_i, best_score, acc = len(cur), 0, 0
    for i in range(1, len(cur)):
        acc += len(cur[i - 1].text) + 1
        if acc * 3 < total:  # never leave a first part under a third of the cue
            continue
        score = _break_score(cur[i - 1], cur[i])
        if score >= best_score and score > 0:
            best_i, best_score = i, score
    return best_i


_Layout = tuple[int, int, int]  # lines used, characters on the last line, length of the last token


def _add(state: _Layout, text: str, width: int) -> _Layout:
    """Greedy line layout, one token at a time (what `wrap.fits` computes, without re-wrapping the whole
    cue for every word: the segmenter asks once per word)."""
    lines, used, last = state
    n = vlen(text)
    if lines and len(text) <= 3 and not text.strip(_PUNCT_CHARS):  # glued to the previous token
        if used + n > width and used > last:  # the grown token no longer fits its line: it moves down
            return lines + 1, last + n, last + n
        return lines, used + n, last + n
    if lines == 0:
        return 1, n, n
    if used + 1 + n > width:
        return lines + 1, n, n
    return lines, used + 1 + n, n


def segment_words(words: Sequence[CueWord], preset: Preset, *, label_speakers: bool = False) -> list[Cue]:
    """Group timed words into cues that respect `preset` (text layout and maximum duration).

    With `label_speakers`, the first cue of each speaker turn starts with "SPEAKER: ", and that label counts
    towards the line length.
    """
    cues: list[Cue] = []
    cur: list[CueWord] = []
    last_speaker: str | None = None
    width, max_lines, max_dur = preset.max_chars_per_line, preset.max_lines, preset.max_duration_ms

    def label_for(first: CueWord) -> list[str]:
        if label_speakers and first.speaker is not None and first.speaker != last_speaker:
            return [f"{first.speaker}:"]
        return []

    def layout(ws: Sequence[CueWord]) -> _Layout:
        state: _Layout = (0, 0, 0)
        for tok in label_for(ws[0]) if ws else []:
            state = (1, len(tok), len(tok))
        for x in ws:
            state = _add(state, x.text, width)
        return state

    def flush(ws: list[CueWord]) -> None:
        nonlocal last_speaker
        if not ws:
            return
        tokens = label_for(ws[0]) + join_words(ws)
        text = "\n".join(wrap(tokens, width))
        cues.append(Cue(ws[0].start_ms, max(ws[-1].end_ms, ws[0].start_ms), text, ws[0].speaker, list(ws)))
        last_speaker = ws[0].speaker

    state: _Layout = (0, 0, 0)
    for w in words:
        if cur:
            prev = cur[-1]
            grown = _add(state, w.text, width)
            if (w.speaker != prev.speaker) or (w.start_ms - prev.end_ms >= PAUSE_BREAK_MS):
                flush(cur)
                cur = []
            elif grown[0] > max_lines or w.end_ms - cur[0].start_ms > max_dur:
                cut = _best_break(cur)
                flush(cur[:cut])
                cur = cur[cut:]
                if cur and (layout([*cur, w])[0] > max_lines or w.end_ms - cur[0].start_ms > max_dur):
                    flush(cur)
                    cur = []
            elif prev.text.endswith(_SENTENCE_END) and state[0] == 1 and state[1] * 2 >= width or (
                prev.text.endswith(_SENTENCE_END) and state[0] > 1
            ):
                # A sentence ended and the cue already holds half a line: start the next sentence fresh.
                flush(cur)
                cur = []
            else:
                cur.append(w)
                state = grown
                continue
        cur.append(w)
        state = layout(cur)
    flush(cur)
    return cues
