"""How benchmarks/accuracy.py scores: WER after Whisper's English normaliser beside case/punctuation-only WER,
speech covered, the longest repeat, and the real-speech telephone cases it builds per line-noise level."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import pytest

from benchmarks.accuracy import build_cases, covered, longest_repeat, telephone_condition
from benchmarks.conditions import TELEPHONE_RATE, RefTurn, telephone
from tests.support import samples
from tests.support.wer import wer, whisper_wer


@pytest.mark.parametrize(
    ("reference", "hypothesis"),
    [
        ("Room four one five, please.", "Room 415, please."),
        ("It costs twenty dollars.", "It costs $20."),
        ("I'm sure, Mr. Smith.", "I am sure, mister Smith."),
    ],
)
def test_whisper_normalised_wer_does_not_charge_how_numbers_and_contractions_are_written(
    reference: str, hypothesis: str
) -> None:
    assert whisper_wer(reference, hypothesis) == 0.0
    assert wer(reference, hypothesis) > 0.0  # the basic column still shows the spelling difference


def test_whisper_normalised_wer_still_counts_wrong_words() -> None:
    assert whisper_wer("Call me at noon on Friday.", "call me at night on friday") == pytest.approx(1 / 6)
    assert whisper_wer("Call me at noon.", "") == 1.0


def test_speech_covered_counts_reference_words_near_an_output_word() -> None:
    turns = [RefTurn(0.0, 4.0, "a", "one two three four")]  # words at 0.5, 1.5, 2.5, 3.5 s
    assert covered(turns, [0.6, 1.4]) == 0.5  # 2.5 is 1.1 s from 1.4, 3.5 further still
    assert covered(turns, []) == 0.0
    assert covered([], []) == 1.0


def test_longest_repeat_finds_a_looping_phrase() -> None:
    assert longest_repeat("we ship on thursday") == 1
    assert longest_repeat("two three two three two three, two three and done") == 4


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None,
    reason="espeak-ng synthesises the meeting and sox the phone channel (scripts/system-deps.sh)",
)
def test_real_speech_goes_through_the_phone_channel_once_per_noise_level(tmp_path: Path) -> None:
    cases = build_cases(tmp_path, calls=0, snrs=[30.0, 20.0])
    phone = {c.condition: c for c in cases if c.condition.startswith("telephone real")}
    assert sorted(phone) == [telephone_condition(20.0, real=True), telephone_condition(30.0, real=True)]
    sample = next(c for c in cases if c.condition == "sample")
    for case in phone.values():
        assert case.turns == sample.turns and case.speakers  # scored on sample.stm, WER and DER
        with wave.open(str(case.path)) as w:
            assert (w.getframerate(), w.getnchannels()) == (TELEPHONE_RATE, 1)
            assert w.getnframes() / TELEPHONE_RATE == pytest.approx(30.0, abs=0.05)  # sample.wav's length
    quiet, noisy = (phone[telephone_condition(snr, real=True)].path.read_bytes() for snr in (30.0, 20.0))
    assert quiet != noisy  # each level is its own file


@pytest.mark.skipif(shutil.which("sox") is None, reason="sox builds the phone channel (scripts/system-deps.sh)")
def test_the_phone_channel_gives_the_same_file_every_time(tmp_path: Path) -> None:
    # sox dithers with fresh random noise unless run repeatable, which alone moved a WER by 0.1
    first, second = (telephone(samples.sample_wav(), tmp_path / f"{k}.wav", 20.0, seed=1) for k in "ab")
    assert first.read_bytes() == second.read_bytes()
