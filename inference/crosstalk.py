"""Stereo calls in `channel` diarization mode: each channel is transcribed on its own, so the two parties' words
come from their own microphones. This module holds the driver-side part, pure functions on the per-channel ASR
segments and the decoded channels (no models):

- cross-talk (one party's voice bleeding into the other channel at low level) is transcribed on both channels;
  a word of a channel is bleed when another channel has the same word at the same time and is clearly louder
  there (BLEED_MARGIN_DB over the word's span). Unmatched words between two bleed words of one segment are
  the same bleed misheard, and go too when their channel is quieter by the same margin. Overlapping speech of
  both parties keeps both: their words differ, and each is loudest on its own channel;
- a channel's segment can span several of its party's turns (the replica decodes a clip's speech regions end to
  end), so it is cut wherever another channel has a word between two of its words: one segment per turn;
- each remaining segment and word carries its channel as a raw speaker label (`channel_1`, ...), the labels
  channel diarization gives its turns, so `inference.speakers.merge_speakers` keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from inference.decode import SAMPLE_RATE
from inference.segments import SegmentDict, WordDict

# Bleed on call recorders is typically 15-30 dB below the speaker's own channel; two parties talking at once are
# each within a few dB of the other's channel level (own voice vs. own voice + bleed). 6 dB sits between.
BLEED_MARGIN_DB = 6.0
MATCH_S = 0.5  # bleed is sample-aligned; Whisper's word times on the two channels differ by less than this
MIN_SPAN_S = 0.02
_NOT_WORD = re.compile(r"[^\w']+")


def channel_label(index: int) -> str:
    """The raw speaker label of channel `index` (0-based), as `Diarizer.diarize_channels` names its turns."""
    return f"channel_{index + 1}"


def level_db(samples: np.ndarray, start: float, end: float) -> float:
    """RMS level (dBFS) of 16 kHz `samples` between `start` and `end` seconds."""
    if end - start < MIN_SPAN_S:
        mid = (start + end) / 2
        start, end = mid - MIN_SPAN_S / 2, mid + MIN_SPAN_S / 2
    first = max(0, int(start * SAMPLE_RATE))
    window = np.asarray(samples[first : max(first + 1, int(end * SAMPLE_RATE))], dtype=np.float64)
    if window.size == 0:
        return -120.0
    return float(10 * np.log10(np.mean(window**2) + 1e-12))


def _norm(word: WordDict) -> str:
    return _NOT_WORD.sub("", word["word"].lower())


def _is_louder_duplicate(
    word: WordDict, channel: int, per_channel: Sequence[Sequence[SegmentDict]], levels: list[float]
) -> bool:
    """Another channel has the same word within MATCH_S and is louder by BLEED_MARGIN_DB over `word`."""
    text, mid = _norm(word), (word["start"] + word["end"]) / 2
    if not text:
        return False
    for other, segments in enumerate(per_channel):
        if other == channel or levels[other] - levels[channel] < BLEED_MARGIN_DB:
            continue
        for segment in segments:
            if segment["end"] < mid - MATCH_S - 30 or segment["start"] > mid + MATCH_S + 30:
                continue
            for candidate in segment["words"]:
                if abs((candidate["start"] + candidate["end"]) / 2 - mid) <= MATCH_S and _norm(candidate) == text:
                    return True
    return False


def drop_crosstalk(per_channel: Sequence[Sequence[SegmentDict]], channels: np.ndarray) -> list[list[SegmentDict]]:
    """Each channel's segments without the words that are another, louder channel's speech bleeding in (see the
    module docstring). Segments left without words are removed; the others get their text and span from the
    words they keep. Segments without words (hand-built) are kept as they are."""
    out: list[list[SegmentDict]] = []
    for channel, segments in enumerate(per_channel):
        kept_segments: list[SegmentDict] = []
        for segment in segments:
            words = segment["words"]
            if not words:
                kept_segments.append(segment)
                continue
            levels = [[level_db(row, w["start"], w["end"]) for row in channels] for w in words]
            bleed = [_is_louder_duplicate(w, channel, per_channel, lv) for w, lv in zip(words, levels)]
            marked = [i for i, b in enumerate(bleed) if b]
            if marked:
                for i in range(marked[0], marked[-1] + 1):
                    quieter = max(lv for k, lv in enumerate(levels[i]) if k != channel) - levels[i][channel]
                    bleed[i] = bleed[i] or quieter >= BLEED_MARGIN_DB
            kept = [w for w, b in zip(words, bleed) if not b]
            if not kept:
                continue
            if len(kept) < len(words):
                segment = {
                    **segment,
                    "words": kept,
                    "text": "".join(w["word"] for w in kept),
                    "start": min(segment["start"], kept[0]["start"]) if kept[0] is words[0] else kept[0]["start"],
                    "end": max(segment["end"], kept[-1]["end"]) if kept[-1] is words[-1] else kept[-1]["end"],
                }
            kept_segments.append(segment)
        out.append(kept_segments)
    return out


def split_at_turns(per_channel: Sequence[Sequence[SegmentDict]]) -> list[list[SegmentDict]]:
    """Each channel's segments cut between two consecutive words wherever another channel has a word (its
    midpoint) in the gap: the other party spoke there, so a new turn starts. Statistics and flags are kept."""
    out: list[list[SegmentDict]] = []
    for channel, segments in enumerate(per_channel):
        others = np.sort(np.array([
            (w["start"] + w["end"]) / 2
            for k, other in enumerate(per_channel) if k != channel
            for segment in other for w in segment["words"]
        ], dtype=float))
        pieces: list[SegmentDict] = []
        for segment in segments:
            words = segment["words"]
            runs: list[list[WordDict]] = []
            for word in words:
                if runs and not _spoken_between(others, runs[-1][-1]["end"], word["start"]):
                    runs[-1].append(word)
                else:
                    runs.append([word])
            if len(runs) <= 1:
                pieces.append(segment)
                continue
            for k, run in enumerate(runs):
                start = segment["start"] if k == 0 else run[0]["start"]
                end = segment["end"] if k == len(runs) - 1 else run[-1]["end"]
                pieces.append({**segment, "words": run, "text": "".join(w["word"] for w in run), "start": start, "end": end})
        out.append(pieces)
    return out


def _spoken_between(times: np.ndarray, start: float, end: float) -> bool:
    return end > start and bool(np.searchsorted(times, end) > np.searchsorted(times, start, side="right"))


def tagged(per_channel: Sequence[Sequence[SegmentDict]]) -> list[SegmentDict]:
    """All channels' segments in one list, each marked with its channel's raw speaker label."""
    return [{**segment, "speaker": channel_label(k)} for k, segments in enumerate(per_channel) for segment in segments]


def merge_channels(per_channel: Sequence[Sequence[SegmentDict]], channels: np.ndarray) -> list[SegmentDict]:
    """`channel` mode's last step over each channel's transcribed segments (`channels`: the decoded rows):
    cross-talk dropped, segments cut at the other party's turns, each tagged with its channel."""
    return tagged(split_at_turns(drop_crosstalk(per_channel, channels)))
