"""The sentence encoder's cache: a repeated sentence is not encoded again, its vector is the one a fresh
encoding gives, and the cache (`SentenceVectors`) stays within its size."""

from __future__ import annotations

import numpy as np

from analysis.models import Encoder, SentenceVectors


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
    assert encoder.encode([]).shape == (0, 384)


def test_the_least_recently_used_sentence_leaves_first():
    recent = SentenceVectors(size=2)
    one = np.ones(384, np.float32)
    recent.keep({"a": one, "b": one})
    recent.keep({"a": one})  # a is now the most recent
    recent.keep({"c": one})  # b leaves
    assert list(recent) == ["a", "c"]
    assert set(recent.known(["b", "a", "c"])) == {"a", "c"}
