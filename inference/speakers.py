"""Merge diarization turns into a transcript: pure functions, no models.

- each word gets the speaker whose turns overlap it longest; a word no turn touches gets the nearest turn's;
- speaker changes snap to sentence boundaries: inside one sentence (up to . ? ! or a long pause) a run of
  another speaker's words is kept only when the diarization clearly says so (CLEAR_RUN_WORDS words over
  CLEAR_RUN_S, or a pause of CHANGE_PAUSE_S where it meets the sentence's speaker), otherwise it takes the
  sentence's speaker; a short sentence or interjection of its own ("Okay.") keeps its own speaker;
- segments are split wherever the speaker changes between consecutive words;
- labels become `Speaker 1..N` in the order speakers first speak in the diarization;
- overlapping speech is kept: `Transcript.overlaps` lists stretches with 2+ speakers, and each segment names
  the other speakers talking during it (`overlapping_speakers`), while its words carry the dominant one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from schemas.result import Overlap, Segment, SpeakerSummary, Transcript, Word

MIN_OVERLAP_S = 0.1  # shorter co-activity is boundary jitter between turns, not overlapping speech
POINT_S = 0.02  # zero-length words are looked up as a 20 ms window around their time
# A diarization turn edge is commonly off by a few hundred ms, which moves one or two words across it; a real
# change inside an unpunctuated sentence lasts longer than that.
CLEAR_RUN_WORDS = 3
CLEAR_RUN_S = 1.0
SENTENCE_END = (".", "?", "!")
SENTENCE_PAUSE_S = 0.8  # a pause this long ends a sentence even without punctuation
CHANGE_PAUSE_S = 0.3  # a change of speaker at a pause this long is a real turn (an interjection), kept


def speaker_labels(turns: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Raw diarization label -> 'Speaker N', numbered by first appearance (ties: label order)."""
    first: dict[str, float] = {}
    for turn in turns:
        raw = str(turn["speaker"])
        first[raw] = min(first.get(raw, float("inf")), float(turn["start"]))
    ordered = sorted(first, key=lambda raw: (first[raw], raw))
    return {raw: f"Speaker {i}" for i, raw in enumerate(ordered, 1)}


def assign_words(words: Sequence[Word], turns: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> list[str | None]:
    """Speaker label of each word (largest overlap, else nearest turn); None only when there are no turns."""
    if not turns:
        return [None] * len(words)
    names = list(dict.fromkeys(labels[str(t["speaker"])] for t in turns))
    order = {name: i for i, name in enumerate(sorted(names, key=_number))}
    t_start = np.array([float(t["start"]) for t in turns])
    t_end = np.array([float(t["end"]) for t in turns])
    t_spk = np.array([order[labels[str(t["speaker"])]] for t in turns])
    by_index = sorted(order, key=order.__getitem__)
    out: list[str | None] = []
    for word in words:
        start, end = float(word.start), float(word.end)
        if end - start < POINT_S:
            mid = (start + end) / 2
            start, end = mid - POINT_S / 2, mid + POINT_S / 2
        overlap = np.clip(np.minimum(t_end, end) - np.maximum(t_start, start), 0.0, None)
        per_speaker = np.bincount(t_spk, weights=overlap, minlength=len(order))
        if per_speaker.max() > 0:
            out.append(by_index[int(np.argmax(per_speaker))])  # ties: the first-appearing speaker
            continue
        distance = np.maximum(t_start - end, start - t_end)
        out.append(by_index[int(t_spk[int(np.argmin(distance))])])
    return out


def sentences(words: Sequence[Word]) -> list[range]:
    """Index ranges of the words' sentences: a sentence ends at . ? ! or before a pause of SENTENCE_PAUSE_S."""
    out: list[range] = []
    start = 0
    for i, word in enumerate(words):
        last = i == len(words) - 1
        if last or word.word.rstrip().endswith(SENTENCE_END) or words[i + 1].start - word.end >= SENTENCE_PAUSE_S:
            out.append(range(start, i + 1))
            start = i + 1
    return out


def snap_to_sentences(words: Sequence[Word], speakers: Sequence[str | None]) -> list[str | None]:
    """Per-word speakers with unclear changes inside a sentence undone (see the module docstring)."""
    out = list(speakers)
    for sentence in sentences(words):
        time: dict[str | None, float] = {}
        for i in sentence:
            time[out[i]] = time.get(out[i], 0.0) + max(words[i].end - words[i].start, POINT_S)
        if len(time) < 2:
            continue
        main = max(time, key=time.__getitem__)
        runs: list[list[int]] = []
        for i in sentence:
            if runs and out[runs[-1][-1]] == out[i]:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            if out[run[0]] == main:
                continue
            span = words[run[-1]].end - words[run[0]].start
            before = words[run[0]].start - words[run[0] - 1].end if run[0] > sentence.start else float("inf")
            after = words[run[-1] + 1].start - words[run[-1]].end if run[-1] < sentence.stop - 1 else float("inf")
            clear = (len(run) >= CLEAR_RUN_WORDS and span >= CLEAR_RUN_S) or min(before, after) >= CHANGE_PAUSE_S
            if not clear:
                for i in run:
                    out[i] = main
    return out


def merge_speakers(transcript: Transcript, turns: Sequence[Mapping[str, Any]]) -> Transcript:
    """A copy of `transcript` with speakers on words and segments, `speakers` and `overlaps` filled in."""
    turns = sorted(turns, key=lambda t: (float(t["start"]), float(t["end"])))
    labels = speaker_labels(turns)
    word_speakers = snap_to_sentences(transcript.words, assign_words(transcript.words, turns, labels))
    # Channel mode: a word already names its channel (inference/crosstalk.py), the channel's turns' raw label.
    # That is certain, so it is kept, neither guessed from turn overlap nor moved to its sentence's speaker.
    word_speakers = [labels.get(w.speaker, s) if w.speaker else s for w, s in zip(transcript.words, word_speakers)]
    # "Speaker 1" is whoever says the first word: a short turn of the other party (a cough, a backchannel)
    # before the first word must not take the first label. Speakers without words keep their turn order.
    renumber = _by_first_word(labels, word_speakers)
    labels = {raw: renumber[label] for raw, label in labels.items()}
    word_speakers = [renumber[s] if s is not None else None for s in word_speakers]
    words = [w.model_copy(update={"speaker": s}) for w, s in zip(transcript.words, word_speakers)]
    labelled = [{"start": float(t["start"]), "end": float(t["end"]), "speaker": labels[str(t["speaker"])]} for t in turns]
    channel_segments = [s.model_copy(update={"speaker": labels.get(s.speaker)}) for s in transcript.segments]
    segments = _split_segments(channel_segments, words, labelled)
    counts: dict[str, int] = {}
    for speaker in word_speakers:
        if speaker is not None:
            counts[speaker] = counts.get(speaker, 0) + 1
    speakers = [
        SpeakerSummary(
            label=label,
            speaking_time=round(_union_length([(t["start"], t["end"]) for t in labelled if t["speaker"] == label]), 3),
            word_count=counts.get(label, 0),
            source=raw,
        )
        for raw, label in sorted(labels.items(), key=lambda item: _number(item[1]))
    ]
    return transcript.model_copy(
        update={"words": words, "segments": segments, "speakers": speakers, "overlaps": overlaps(labelled)}
    )


def _by_first_word(labels: Mapping[str, str], word_speakers: Sequence[str | None]) -> dict[str, str]:
    """Provisional label -> final 'Speaker N', numbered by first word, then by first turn."""
    order = list(dict.fromkeys(s for s in word_speakers if s is not None))
    order += [label for label in sorted(set(labels.values()), key=_number) if label not in order]
    return {label: f"Speaker {i}" for i, label in enumerate(order, 1)}


def without_speakers(transcript: Transcript, reason: str) -> Transcript:
    """The job allowed diarization to fail: keep the transcript, say why there are no speakers (channel mode's
    raw channel labels on words and segments go too: speakers are 'Speaker N' or nothing)."""
    return transcript.model_copy(
        update={
            "warnings": [*transcript.warnings, f"diarization failed, transcript has no speakers: {reason}"],
            "words": [w.model_copy(update={"speaker": None}) if w.speaker else w for w in transcript.words],
            "segments": [s.model_copy(update={"speaker": None}) if s.speaker else s for s in transcript.segments],
        }
    )


def overlaps(turns: Sequence[Mapping[str, Any]]) -> list[Overlap]:
    """Stretches of at least MIN_OVERLAP_S where two or more speakers are active (labels 'Speaker N')."""
    cuts = sorted({float(t["start"]) for t in turns} | {float(t["end"]) for t in turns})
    result: list[Overlap] = []
    for lo, hi in zip(cuts, cuts[1:]):
        active = sorted(
            {str(t["speaker"]) for t in turns if float(t["start"]) <= lo and hi <= float(t["end"])}, key=_number
        )
        if len(active) < 2:
            continue
        if result and result[-1].end == round(lo, 3) and result[-1].speakers == active:
            result[-1] = Overlap(start=result[-1].start, end=round(hi, 3), speakers=active)
        else:
            result.append(Overlap(start=round(lo, 3), end=round(hi, 3), speakers=active))
    return [o for o in result if o.end - o.start >= MIN_OVERLAP_S]


def _number(label: str) -> int:
    tail = label.rsplit(" ", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _split_segments(
    segments: Sequence[Segment], words: Sequence[Word], turns: Sequence[Mapping[str, Any]]
) -> list[Segment]:
    """Cut every segment at speaker changes between its words; renumber ids."""
    owner = _word_owners(segments, words)
    out: list[Segment] = []
    for index, segment in enumerate(segments):
        seg_words = [w for w, o in zip(words, owner) if o == index]
        if not seg_words:
            speaker = segment.speaker or _dominant(turns, segment.start, segment.end)
            out.append(_segment(len(out), segment.start, segment.end, segment.text, speaker, turns, segment.flags))
            continue
        runs: list[list[Word]] = []
        for word in seg_words:
            if runs and runs[-1][-1].speaker == word.speaker:
                runs[-1].append(word)
            else:
                runs.append([word])
        for k, run in enumerate(runs):
            start = segment.start if k == 0 else run[0].start
            end = segment.end if k == len(runs) - 1 else run[-1].end
            text = segment.text if len(runs) == 1 else " ".join(w.word for w in run if w.word)
            out.append(
                _segment(len(out), min(start, run[0].start), max(end, start), text, run[0].speaker, turns, segment.flags)
            )
    return out


def _segment(
    index: int,
    start: float,
    end: float,
    text: str,
    speaker: str | None,
    turns: Sequence[Mapping[str, Any]],
    flags: Sequence[Any] = (),
) -> Segment:
    others = sorted(
        {
            str(t["speaker"])
            for t in turns
            if t["speaker"] != speaker and min(end, float(t["end"])) - max(start, float(t["start"])) >= MIN_OVERLAP_S
        },
        key=_number,
    )
    return Segment(
        id=index, start=start, end=end, text=text, speaker=speaker, overlapping_speakers=others, flags=list(flags)
    )


def _word_owners(segments: Sequence[Segment], words: Sequence[Word]) -> list[int]:
    """Index of the segment each word belongs to: the one containing its midpoint, else the nearest. A segment
    that already has a speaker (channel mode, where two channels' segments overlap in time) owns only that
    speaker's words."""
    if not segments:
        return [-1] * len(words)
    starts = np.array([s.start for s in segments])
    ends = np.array([s.end for s in segments])
    labels = np.array([s.speaker or "" for s in segments], dtype=object)
    channel_mode = bool(labels.any())
    everyone = np.ones(len(segments), dtype=bool)
    owners = []
    for word in words:
        mid = (word.start + word.end) / 2
        same = ((labels == "") | (labels == word.speaker)) if channel_mode else everyone
        if not same.any():
            same = everyone
        inside = np.nonzero(same & (starts <= mid) & (mid <= ends))[0]
        if inside.size:
            owners.append(int(inside[0]))
        else:
            distance = np.where(same, np.maximum(starts - mid, mid - ends), np.inf)
            owners.append(int(np.argmin(distance)))
    return owners


def _dominant(turns: Sequence[Mapping[str, Any]], start: float, end: float) -> str | None:
    totals: dict[str, float] = {}
    for t in turns:
        overlap = min(end, float(t["end"])) - max(start, float(t["start"]))
        if overlap > 0:
            totals[str(t["speaker"])] = totals.get(str(t["speaker"]), 0.0) + overlap
    return max(totals, key=totals.__getitem__) if totals else None


def _union_length(intervals: list[tuple[float, float]]) -> float:
    total, current_start, current_end = 0.0, None, None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None and current_start is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None and current_start is not None:
        total += current_end - current_start
    return total
