"""The ASR quality guard on hand-built segments: loops, junk and text on silence are found, loops are cut to one
occurrence, speech without words is reported, and healthy clips pass untouched (no re-decoding)."""

from __future__ import annotations

from typing import Any

import numpy as np

from inference import guard
from inference.asr import AsrWorker, MixedClip
from inference.guard import Problem
from inference.pipeline import _transcript
from inference.segments import DROPPED, REDECODED, REPETITION_REMOVED, SegmentDict, WordDict


def words_of(text: str, start: float = 0.0, step: float = 0.3) -> list[WordDict]:
    return [
        {"word": " " + w, "start": round(start + i * step, 3), "end": round(start + i * step + 0.25, 3), "probability": 0.9}
        for i, w in enumerate(text.split())
    ]


def seg(text: str, start: float = 0.0, **stats: float) -> SegmentDict:
    words = words_of(text, start)
    out: SegmentDict = {"start": start, "end": words[-1]["end"] if words else start, "text": " " + text, "words": words}
    out.update({"avg_logprob": -0.3, "no_speech_prob": 0.01, "compression_ratio": 1.4, **stats})  # type: ignore[typeddict-item]
    return out


LOOP = "the vein goes to the femoral " + "and femoral " * 30 + "artery"


def test_a_healthy_clip_has_no_problem() -> None:
    verdict = guard.assess([seg("thanks for calling how can I help you today")], speech=[(0.0, 2.7)])
    assert verdict.healthy and not verdict.needs_redecode


def test_a_looped_segment_is_a_loop_even_below_the_compression_threshold() -> None:
    assert Problem.loop in guard.segment_problems(seg(LOOP, compression_ratio=1.9))
    assert guard.assess([seg(LOOP)]).needs_redecode


def test_loop_span_finds_the_longest_repeated_ngram() -> None:
    words = "so i'll be near hope i'll be near hope i'll be near hope i'll be near hope okay".split()
    assert guard.loop_span(words) == (1, 4, 4)
    assert guard.loop_span("the card ending in four four one two".split()) is None
    assert guard.loop_span("zero zero zero zero".split()) is None  # a card number, not a loop


def test_character_junk_is_a_loop() -> None:
    assert Problem.loop in guard.segment_problems(seg("$" * 120))


def test_unlikely_text_and_text_on_silence() -> None:
    assert guard.segment_problems(seg("blue goo tall head", avg_logprob=-1.4)) == {Problem.junk}
    silence = seg("Thank you for watching", avg_logprob=-1.2, no_speech_prob=0.9)
    assert guard.segment_problems(silence) == {Problem.silence}
    # Whisper is sure of the words despite a high no-speech probability: kept (its own rule too).
    assert guard.segment_problems(seg("yes", avg_logprob=-0.2, no_speech_prob=0.9)) == set()


def test_collapse_keeps_one_occurrence_with_its_timing_and_flags_it() -> None:
    looped = seg(LOOP)
    out = guard.collapse_loops(looped)
    assert out["text"] == " the vein goes to the femoral and femoral artery"
    assert [w["word"].strip() for w in out["words"]] == out["text"].split()
    assert out["words"][-1]["start"] == looped["words"][-1]["start"]  # "artery" keeps its own time
    assert out["end"] == out["words"][-1]["end"]
    assert out["flags"] == [REPETITION_REMOVED]
    assert guard.loop_span(guard.tokens(out)) is None
    healthy = seg("no loop here at all")
    assert guard.collapse_loops(healthy) is healthy


def test_collapse_without_word_timings_works_on_the_text() -> None:
    looped = seg(LOOP)
    looped["words"] = []
    assert guard.collapse_loops(looped)["text"] == " the vein goes to the femoral and femoral artery"


def test_speech_without_words_is_reported_and_windowed() -> None:
    first = seg("hello this is anna", start=0.0)  # words 0.0-1.15
    verdict = guard.assess([first], speech=[(0.0, 1.2), (2.0, 4.0), (4.5, 6.0), (9.0, 9.3), (20.0, 23.0)])
    assert verdict.problems == {Problem.uncovered} and not verdict.needs_redecode
    assert verdict.uncovered == [(2.0, 4.0), (4.5, 6.0), (20.0, 23.0)]  # 9.0-9.3 is too short to count
    assert guard.windows(verdict.uncovered, (0.0, 24.0)) == [(1.8, 6.2), (19.8, 23.2)]


def test_recovered_words_already_covered_are_not_repeated() -> None:
    existing = [seg("hello this is anna", start=0.0)]
    recovered = [seg("anna how can I help", start=0.9)]  # "anna" at 0.9-1.15 overlaps the existing word
    out = guard.new_words_only(recovered, existing)
    assert [w["word"].strip() for w in out[0]["words"]] == ["how", "can", "I", "help"]
    assert out[0]["text"] == " how can I help"


def test_transcript_drops_flagged_segments_and_says_so() -> None:
    kept = {**seg("I need the design", start=1.0), "flags": [REDECODED]}
    cut = guard.collapse_loops(seg(LOOP, start=5.0))
    dropped = {**seg("Thank you for watching", start=20.0), "words": [], "flags": [DROPPED, "silence"]}
    transcript = _transcript([dropped, cut, kept], 30.0, "en", None, "base")  # type: ignore[list-item]
    assert [s.text for s in transcript.segments] == ["I need the design", "the vein goes to the femoral and femoral artery"]
    assert [s.flags for s in transcript.segments] == [["redecoded"], ["repetition_removed"]]
    assert "Thank you" not in transcript.text
    assert any("text on silence" in w and "20.0" in w for w in transcript.warnings)
    assert any("repeats were removed" in w for w in transcript.warnings)


class _Seg:
    """A faster-whisper segment as the batched pipeline yields it."""

    def __init__(self, start: float, end: float, text: str, **stats: float) -> None:
        self.start, self.end, self.text = start, end, text
        self.words = [type("W", (), w)() for w in words_of(text, start)]  # objects with word/start/end/probability
        self.avg_logprob, self.no_speech_prob, self.compression_ratio = -0.3, 0.01, 1.4
        self.__dict__.update(stats)


class _Batched:
    def __init__(self, texts: list[str]) -> None:
        self.texts = texts

    def transcribe(self, audio: Any, clip_timestamps: list[dict[str, float]], **_: Any) -> tuple[list[_Seg], None]:
        return [_Seg(ts["start"], ts["end"], text) for ts, text in zip(clip_timestamps, self.texts)], None


class _Sequential:
    """Stands in for WhisperModel: records which audio is decoded again and answers with a clean sentence."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def transcribe(self, audio: np.ndarray, **_: Any) -> tuple[list[_Seg], None]:
        self.calls.append(audio.shape[0])
        return [_Seg(0.0, 1.0, "the vein goes to the femoral artery")], None


def test_only_the_looped_clip_is_decoded_again() -> None:
    engine = AsrWorker.__new__(AsrWorker)
    engine.pipeline = _Batched(["thanks for calling how can I help", LOOP])  # type: ignore[assignment]
    engine.model = _Sequential()  # type: ignore[assignment]
    healthy = MixedClip(np.zeros(3 * 16000, np.float32), 10.0, "en", None, ((10.0, 12.0),))
    looped = MixedClip(np.zeros(12 * 16000, np.float32), 40.0, "en", None, ((40.0, 51.0),))
    first, second = engine.transcribe_mixed([healthy, looped])
    assert engine.model.calls == [11 * 16000]  # the looped clip's speech alone, once (the first fallback fixed it)
    assert "flags" not in first[0] and first[0]["text"] == "thanks for calling how can I help"
    assert [s["text"] for s in second] == ["the vein goes to the femoral artery"]
    assert second[0]["start"] == 40.0 and second[0]["flags"] == [REDECODED]
