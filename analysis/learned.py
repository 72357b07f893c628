"""Call type and outcome from linear classifiers learned from the labelled call set, voting together.

Why a learned model beside the rules: the rules read structure well (who asks for what, which digits answer a
card question) but decide the type from vocabulary, and every new part of the call set brought vocabulary they
had not seen (docs/analysis.md, first looks). Models fitted on every labelled call generalised better than the
rules did on their first looks.

Why three: each reads a call differently and fails on different calls. Left-one-part-out over the first eight
parts (docs/analysis.md) the sentence model alone typed 0.797 of the calls, and the soft vote of all three
0.844.
- `sentences`: a logistic regression on each sentence's all-MiniLM-L6-v2 vector; a call's distribution pools its
  sentences' (the mean for the type, so routine talk moves nothing; the sum of log-probabilities for the outcome,
  since every closing sentence describes one ending).
- `call`: a logistic regression on the call's mean sentence vector (the gist of the whole call at once).
- `words`: a logistic regression on tf-idf of the call's words and word pairs, all of its sentences, with
  scikit-learn's `TfidfVectorizer` rebuilt from the shipped vocabulary and idf (exact words: "upgrade",
  "cancel", "refund" weigh what they weigh, where a sentence vector may blur them).
- `customer_words` (the type only): the same on the customer's sentences alone. The customer says why they
  called; the agent's talk ("let me pull up your account", "is there anything else") is much the same on every
  kind of call and dilutes the words model. Left-one-part-out over eleven parts the type went from 0.845 with
  three members to 0.898 with this fourth (docs/analysis.md, round 11); on the outcome it was not tried, since
  how a call ended is said by both parties.
Each gives a distribution over the labels; the label with the highest mean wins (soft voting).

Scoring needs numpy and scikit-learn's vectorizer; fitting lives in `analysis.evaluation.train`, which writes
`data/call_classifier.npz` (coefficients, intercepts, labels, vocabulary and idf, no pickle). The file records
what it was fitted on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

DEFAULT_PATH = Path(__file__).parent / "data" / "call_classifier.npz"
# The vectorizer's settings, fixed: the shipped vocabulary and idf were computed with them. No stop words:
# scikit-learn's English list drops "not", "no" and "cannot", which decide how a call ended.
WORD_SETTINGS = {"ngram_range": (1, 2), "sublinear_tf": True}


@dataclass(frozen=True)
class LinearModel:
    """A multinomial logistic regression: P(label | x) = softmax(W·x + b)."""

    labels: list[str]
    coef: np.ndarray  # labels × features
    intercept: np.ndarray  # labels

    @classmethod
    def from_sklearn(cls, model: Any) -> LinearModel:
        """From a fitted `LogisticRegression`; a two-label one keeps one row (the second label's log-odds), which
        is the softmax of that row beside a row of zeros."""
        coef, intercept = model.coef_, model.intercept_
        if len(model.classes_) == 2:
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
        return cls([str(lab) for lab in model.classes_], coef.astype(np.float32), intercept.astype(np.float32))

    def log_proba(self, x: np.ndarray) -> np.ndarray:
        z = np.asarray(x @ self.coef.T) + self.intercept
        z = z - z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


@dataclass(frozen=True)
class WordModel:
    """A logistic regression on the tf-idf of a call's words and word pairs."""

    vocabulary: list[str]
    idf: np.ndarray
    linear: LinearModel

    @cached_property
    def vectorizer(self) -> TfidfVectorizer:
        vectorizer = TfidfVectorizer(vocabulary=self.vocabulary, **WORD_SETTINGS)
        vectorizer.idf_ = self.idf
        return vectorizer

    def log_proba(self, text: str) -> np.ndarray:
        return self.linear.log_proba(self.vectorizer.transform([text]))[0]


Pooling = Literal["mean", "sum"]


@dataclass(frozen=True)
class VotingModel:
    """One task (call type or outcome): the members' distributions over the same labels, averaged."""

    labels: list[str]
    sentences: LinearModel
    call: LinearModel
    words: WordModel
    pooling: Pooling  # how the sentence model pools a call's sentences
    customer_words: WordModel | None = None  # the type's fourth member: the customer's words alone

    def proba(self, vectors: np.ndarray, texts: list[str], customer_texts: list[str] | None = None) -> np.ndarray:
        """The mean of the members' distributions, in `labels` order (the customer's words vote when the model
        has that member and the customer said something)."""
        sentence_lp = self.sentences.log_proba(vectors)
        pooled = np.exp(sentence_lp).mean(axis=0) if self.pooling == "mean" else _softmax(sentence_lp.sum(axis=0))
        members = [
            (self.sentences.labels, pooled),
            (self.call.labels, np.exp(self.call.log_proba(mean_vector(vectors)[None])[0])),
            (self.words.linear.labels, np.exp(self.words.log_proba(" ".join(texts)))),
        ]
        if self.customer_words is not None and customer_texts:
            members.append((self.customer_words.linear.labels,
                            np.exp(self.customer_words.log_proba(" ".join(customer_texts)))))
        return np.mean([[dict(zip(labels, p)).get(lab, 0.0) for lab in self.labels] for labels, p in members], axis=0)

    def classify(self, vectors: np.ndarray, texts: list[str],
                 customer_texts: list[str] | None = None) -> tuple[str | None, dict[str, float]]:
        if not len(vectors):
            return None, {}
        by_label = dict(zip(self.labels, map(float, self.proba(vectors, texts, customer_texts))))
        return max(by_label, key=by_label.__getitem__), by_label


@dataclass(frozen=True)
class CallClassifier:
    call_type: VotingModel  # fitted on the sentences before the closing (why the customer called)
    outcome: VotingModel  # fitted on the closing sentences (how it ended)
    trained_on: dict  # parts, sources and settings, for the record

    def classify_type(self, vectors: np.ndarray, texts: list[str],
                      customer_texts: list[str] | None = None) -> tuple[str | None, dict[str, float]]:
        """`vectors`: the embedded sentences that state the reason; `texts`: every sentence before the closing
        (verification requests left out); `customer_texts`: the customer's of those."""
        return self.call_type.classify(vectors, texts, customer_texts)

    def classify_outcome(self, vectors: np.ndarray, texts: list[str]) -> tuple[str | None, dict[str, float]]:
        """`vectors` and `texts`: the closing sentences."""
        return self.outcome.classify(vectors, texts)

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {"trained_on": np.array(json.dumps(self.trained_on, sort_keys=True))}
        for task, model in (("type", self.call_type), ("outcome", self.outcome)):
            arrays[f"{task}_labels"] = np.array(model.labels)
            arrays[f"{task}_pooling"] = np.array(model.pooling)
            words = {"": model.words, "customer_": model.customer_words}
            for prefix, word_model in words.items():
                if word_model is not None:
                    arrays[f"{task}_{prefix}vocabulary"] = np.array(word_model.vocabulary)
                    arrays[f"{task}_{prefix}idf"] = word_model.idf
                    arrays.update(_linear_arrays(f"{task}_{prefix}words", word_model.linear))
            for member, linear in (("sentences", model.sentences), ("call", model.call)):
                arrays.update(_linear_arrays(f"{task}_{member}", linear))
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> CallClassifier:
        with np.load(path, allow_pickle=False) as f:
            def linear(prefix: str) -> LinearModel:
                return LinearModel([str(x) for x in f[f"{prefix}_labels"]], f[f"{prefix}_coef"].astype(np.float32),
                                   f[f"{prefix}_intercept"].astype(np.float32))

            def words(prefix: str) -> WordModel | None:
                if f"{prefix}vocabulary" not in f.files:  # a model fitted before the customer's words voted
                    return None
                return WordModel([str(x) for x in f[f"{prefix}vocabulary"]], f[f"{prefix}idf"].astype(np.float64),
                                 linear(f"{prefix}words"))

            def task(name: str) -> VotingModel:
                all_words = words(f"{name}_")
                assert all_words is not None
                pooling: Any = str(f[f"{name}_pooling"])
                return VotingModel([str(x) for x in f[f"{name}_labels"]], linear(f"{name}_sentences"),
                                   linear(f"{name}_call"), all_words, pooling, words(f"{name}_customer_"))

            return cls(task("type"), task("outcome"), json.loads(str(f["trained_on"])))


def _linear_arrays(prefix: str, linear: LinearModel) -> dict[str, np.ndarray]:
    return {f"{prefix}_labels": np.array(linear.labels), f"{prefix}_coef": linear.coef,
            f"{prefix}_intercept": linear.intercept}


def mean_vector(vectors: np.ndarray) -> np.ndarray:
    """A call's sentence vectors averaged and scaled to unit length (what the `call` model reads)."""
    mean = vectors.mean(axis=0)
    return mean / (np.linalg.norm(mean) or 1.0)


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()
