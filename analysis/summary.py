"""Extractive summary: the sentences closest to the call's centre of meaning, picked without repeats (MMR)."""

from __future__ import annotations

import numpy as np

from analysis.text import Sentence, clean


def summarize(sents: list[Sentence], vectors: np.ndarray, n: int = 4, diversity: float = 0.35,
              min_words: int = 5) -> str | None:
    usable = [i for i, s in enumerate(sents) if len(s.text.split()) >= min_words]
    if not usable:
        return None
    vecs = vectors[usable]
    centroid = vecs.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    relevance = vecs @ centroid
    chosen: list[int] = []
    while len(chosen) < min(n, len(usable)):
        if chosen:
            redundancy = (vecs @ vecs[chosen].T).max(axis=1)
            score = (1 - diversity) * relevance - diversity * redundancy
            score[chosen] = -np.inf
        else:
            score = relevance.copy()
        chosen.append(int(np.argmax(score)))
    picked = sorted((sents[usable[i]] for i in chosen), key=lambda s: s.index)
    return " ".join(f"{s.role}: {clean(s.text)}" if s.role else clean(s.text) for s in picked)
