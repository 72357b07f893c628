"""Word error rate with the normalisation speech benchmarks use (case, punctuation, spacing)."""

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
