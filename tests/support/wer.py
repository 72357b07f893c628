"""Word error rate, two ways: `wer` normalises case, punctuation and spacing only (what the tests assert on);
`whisper_wer` first applies Whisper's English text normaliser (what Whisper-family WER is reported with, used by
benchmarks/accuracy.py)."""

from __future__ import annotations

import jiwer

_normalise = jiwer.Compose(
    [
        jiwer.ToLowerCase(),
        jiwer.RemovePunctuation(),
        jiwer.RemoveMultipleSpaces(),
        jiwer.Strip(),
        jiwer.ReduceToListOfListOfWords(),
    ]
)


def wer(reference: str, hypothesis: str) -> float:
    return jiwer.wer(reference, hypothesis, reference_transform=_normalise, hypothesis_transform=_normalise)


def whisper_wer(reference: str, hypothesis: str) -> float:
    """WER after Whisper's English text normaliser (transformers' `EnglishTextNormalizer`, the one OpenAI's
    Whisper paper and the Hugging Face Open ASR leaderboard score with: "four one five" = "415", "$20" = "twenty
    dollars"). Its British/American spelling map is left empty: that ships with the tokenizer's files."""
    from transformers.models.whisper.english_normalizer import EnglishTextNormalizer

    normalise = EnglishTextNormalizer({})  # cheap to build
    return float(jiwer.wer(normalise(reference), normalise(hypothesis)))
