"""The sentence encoder's cache: a repeated sentence is not encoded again, its vector is the one a fresh
encoding gives, and the cache stays within its size."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from analysis.models import Encoder


def test_a_cached_sentence_gets_the_vector_a_fresh_encoding_gives(analyzer, monkeypatch):
    encoder: Encoder = analyzer.models.encoder
    texts = ["Thanks for calling Northwind, this is Dana.", "My router keeps dropping.", "Is there anything else?"]
    fresh = encoder._encode(texts)
    encoder.encode(texts[:2])
    sent: list[list[str]] = []
    real = encoder._encode
    monkeypatch.setattr(encoder, "_encode", lambda batch: sent.append(batch) or real(batch))
    got = encoder.encode([texts[1], texts[2], texts[0], texts[1]])
    assert sent == [[texts[2]]]  # only the sentence not seen before, once
    np.testing.assert_allclose(got, fresh[[1, 2, 0, 1]], atol=1e-5)


def test_the_least_recently_used_sentence_leaves_first():
    encoder = Encoder.__new__(Encoder)  # no model loaded: a fake forward pass is enough to test the cache
    encoder._cache, encoder._cache_size, encoder._cache_lock = OrderedDict(), 2, threading.Lock()
    sent: list[list[str]] = []
    encoder._encode = lambda batch: sent.append(batch) or np.ones((len(batch), 384), np.float32)  # type: ignore
    encoder.encode(["a", "b"])
    encoder.encode(["a"])  # a is now the most recent
    encoder.encode(["c"])  # b leaves
    assert list(encoder._cache) == ["a", "c"]
    encoder.encode(["b", "a"])
    assert sent == [["a", "b"], ["c"], ["b"]]
    assert encoder.encode([]).shape == (0, 384)
