"""Call type and outcome from a linear classifier over sentence embeddings, learned from the labelled call set.

Why a learned model beside the rules: the rules read structure well (who asks for what, which digits answer a
card question) but decide the type from vocabulary, and every new part of the call set brought vocabulary they
had not seen (docs/analysis.md, first looks). A multinomial logistic regression on the same MiniLM sentence
vectors, fitted on every labelled call, weighs all of a call's sentences instead of the single best match to a
few hand-written descriptions; left-one-part-out it generalised better than the rules did on their first looks.

Scoring is a matrix product and a softmax, so this module needs only numpy; fitting uses scikit-learn and lives
in `analysis.evaluation.train`, which writes `data/call_classifier.npz` (a few kB: coefficients, intercepts and
labels, no pickle). The file records what it was fitted on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_PATH = Path(__file__).parent / "data" / "call_classifier.npz"


@dataclass(frozen=True)
class LinearModel:
    """A multinomial logistic regression: P(label | sentence) = softmax(W·x + b)."""

    labels: list[str]
    coef: np.ndarray  # labels × embedding dimension
    intercept: np.ndarray  # labels

    def log_proba(self, vectors: np.ndarray) -> np.ndarray:
        z = vectors @ self.coef.T + self.intercept
        z = z - z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


@dataclass(frozen=True)
class CallClassifier:
    call_type: LinearModel  # fitted on the sentences before the closing (why the customer called)
    outcome: LinearModel  # fitted on the closing sentences (how it ended)
    trained_on: dict  # parts, sources and settings, for the record

    def classify_type(self, vectors: np.ndarray) -> tuple[str | None, dict[str, float]]:
        """The label with the highest mean probability over the call's sentences: each sentence votes with its
        whole distribution, so routine talk (near uniform) moves nothing and no single sentence decides."""
        if not len(vectors):
            return None, {}
        mean = np.exp(self.call_type.log_proba(vectors)).mean(axis=0)
        return _best(self.call_type.labels, mean)

    def classify_outcome(self, vectors: np.ndarray) -> tuple[str | None, dict[str, float]]:
        """The label with the highest summed log-probability over the closing sentences (they all describe one
        ending, so their evidence adds up)."""
        if not len(vectors):
            return None, {}
        return _best(self.outcome.labels, self.outcome.log_proba(vectors).sum(axis=0))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path, type_labels=np.array(self.call_type.labels), type_coef=self.call_type.coef,
            type_intercept=self.call_type.intercept, outcome_labels=np.array(self.outcome.labels),
            outcome_coef=self.outcome.coef, outcome_intercept=self.outcome.intercept,
            trained_on=np.array(json.dumps(self.trained_on, sort_keys=True)))

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> CallClassifier:
        with np.load(path, allow_pickle=False) as f:
            return cls(
                LinearModel([str(x) for x in f["type_labels"]], f["type_coef"].astype(np.float32),
                            f["type_intercept"].astype(np.float32)),
                LinearModel([str(x) for x in f["outcome_labels"]], f["outcome_coef"].astype(np.float32),
                            f["outcome_intercept"].astype(np.float32)),
                json.loads(str(f["trained_on"])))


def _best(labels: list[str], scores: np.ndarray) -> tuple[str, dict[str, float]]:
    by_label = {lab: float(s) for lab, s in zip(labels, scores)}
    return max(by_label, key=by_label.__getitem__), by_label
