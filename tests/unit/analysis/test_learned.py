"""The learned call-type and outcome classifier (analysis.learned) and its fitting (analysis.evaluation.train)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from analysis.evaluation import callset, score
from analysis.learned import WORD_SETTINGS, CallClassifier, LinearModel, VotingModel, WordModel


def test_scoring_reproduces_the_fitted_model():
    """The runtime's numpy softmax gives what scikit-learn's model would, so the shipped coefficients are all it
    needs."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    x = rng.normal(size=(90, 8))
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0.5).astype(int)
    fitted = LogisticRegression(max_iter=1000).fit(x, y)
    ours = LinearModel.from_sklearn(fitted)
    np.testing.assert_allclose(ours.log_proba(x), fitted.predict_log_proba(x), atol=1e-6)


def test_word_scoring_reproduces_the_fitted_pipeline():
    """The word model rebuilt from its vocabulary and idf reads a text as the fitted vectorizer and regression do."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = ["I want to upgrade my plan", "refund the double charge please", "upgrade to the faster plan",
             "the charge on my bill is wrong", "can I get the premium upgrade", "a refund for last month's bill"]
    labels = ["sales", "billing", "sales", "billing", "sales", "billing"]
    vectorizer = TfidfVectorizer(**WORD_SETTINGS)
    fitted = LogisticRegression(max_iter=1000).fit(vectorizer.fit_transform(texts), labels)
    ours = WordModel(list(vectorizer.get_feature_names_out()), vectorizer.idf_, LinearModel.from_sklearn(fitted))
    for text in ["an upgrade please", "my bill has a wrong charge", "words it never saw"]:
        np.testing.assert_allclose(ours.log_proba(text),
                                   fitted.predict_log_proba(vectorizer.transform([text]))[0], atol=1e-6)


def _toy(labels: list[str]) -> LinearModel:
    return LinearModel(labels, np.eye(len(labels), 4, dtype=np.float32) * 5, np.zeros(len(labels), np.float32))


def _voting(labels: list[str], pooling: str) -> VotingModel:
    """Sentence and call models that read the vectors' axes; a word model for which "upgrade" means the first
    label and "refund" the second."""
    words = LinearModel(labels, np.eye(len(labels), 2, dtype=np.float32) * 8, np.zeros(len(labels), np.float32))
    return VotingModel(labels, _toy(labels), _toy(labels), WordModel(["upgrade", "refund"], np.ones(2), words),
                       pooling)  # type: ignore[arg-type]


def _classifier(trained_on: dict | None = None) -> CallClassifier:
    return CallClassifier(_voting(["sales", "billing", "other"], "mean"), _voting(["resolved", "partial"], "sum"),
                          trained_on or {})


def test_the_three_models_vote_and_none_decides_alone():
    model = _classifier()
    routine = np.full((1, 4), 0.0, np.float32)  # equally far from every label
    sales = np.array([[1, 0, 0, 0]], np.float32)
    billing = np.array([[0, 1, 0, 0]], np.float32)
    assert model.classify_type(np.vstack([routine, sales, sales, billing]), ["an upgrade"])[0] == "sales"
    # The sentences and the call's gist say billing; the words alone say sales: billing.
    assert model.classify_type(np.vstack([routine, billing]), ["an upgrade"])[0] == "billing"
    # Routine sentences leave it to the words.
    assert model.classify_type(routine, ["about a refund"])[0] == "billing"
    assert model.classify_type(np.zeros((0, 4), np.float32), []) == (None, {})
    assert model.classify_outcome(np.array([[0, 1, 0, 0]], np.float32), ["thanks"])[0] == "partial"


def test_the_customers_words_vote_on_the_type_when_the_customer_spoke():
    """The fourth member reads the customer's sentences alone; without them (no customer found, or a model
    fitted before the member existed) the other three decide."""
    three = _classifier()
    four = CallClassifier(dataclasses.replace(three.call_type, customer_words=three.call_type.words),
                          three.outcome, {})
    routine = np.zeros((1, 4), np.float32)  # the sentence and call models are undecided
    # The agent's upgrade talk outweighs the customer's one refund in the whole call's words.
    texts = ["an upgrade", "an upgrade", "about a refund"]
    assert three.classify_type(routine, texts, ["about a refund"])[0] == "sales"
    assert four.classify_type(routine, texts)[0] == "sales"
    assert four.classify_type(routine, texts, [])[0] == "sales"
    assert four.classify_type(routine, texts, ["about a refund"])[0] == "billing"


def test_a_saved_model_loads_back_the_same(tmp_path: Path):
    model = _classifier({"parts": ["tune"]})
    model.save(tmp_path / "m.npz")
    back = CallClassifier.load(tmp_path / "m.npz")
    assert back.trained_on == {"parts": ["tune"]} and back.call_type.labels == ["sales", "billing", "other"]
    assert back.call_type.pooling == "mean" and back.outcome.pooling == "sum"
    assert back.outcome.words.vocabulary == ["upgrade", "refund"]
    np.testing.assert_allclose(back.outcome.call.coef, model.outcome.call.coef)
    vectors = np.array([[0.2, 0.9, 0, 0], [1, 0, 0, 0]], np.float32)
    np.testing.assert_allclose(back.call_type.proba(vectors, ["refund it"]),
                               model.call_type.proba(vectors, ["refund it"]), atol=1e-6)
    assert back.call_type.customer_words is None  # a model without the customer's words loads as one


def test_the_customers_words_are_saved_and_loaded(tmp_path: Path):
    three = _classifier()
    model = CallClassifier(dataclasses.replace(three.call_type, customer_words=three.call_type.words),
                           three.outcome, {})
    model.save(tmp_path / "m.npz")
    back = CallClassifier.load(tmp_path / "m.npz")
    assert back.call_type.customer_words is not None and back.outcome.customer_words is None
    assert back.call_type.customer_words.vocabulary == ["upgrade", "refund"]
    vectors = np.array([[0.2, 0.9, 0, 0]], np.float32)
    np.testing.assert_allclose(back.call_type.proba(vectors, ["refund it"], ["an upgrade"]),
                               model.call_type.proba(vectors, ["refund it"], ["an upgrade"]), atol=1e-6)


def test_the_shipped_model_was_fitted_on_every_part_of_the_call_set():
    """A part added to the call set without refitting would leave the shipped model behind it; a held-out part
    (callset.HELD_OUT) must never be fitted on."""
    from analysis.evaluation.train import people_words

    model = CallClassifier.load()
    assert sorted(model.trained_on["parts"]) == sorted(callset.FITTED)
    assert not set(model.trained_on["parts"]) & set(callset.HELD_OUT)
    for task, labels in ((model.call_type, callset.TYPES), (model.outcome, callset.OUTCOMES)):
        for member in (task.sentences, task.call, task.words.linear):
            assert sorted(member.labels) == sorted(labels)
        assert (task.customer_words is not None) == (task is model.call_type)
        assert task.sentences.coef.shape[1] == task.call.coef.shape[1] == 384  # all-MiniLM-L6-v2
        assert task.words.linear.coef.shape[1] == len(task.words.vocabulary) == len(task.words.idf) > 100
        # A caller's name is drawn whatever the label: no term of a word model holds one.
        for words in (task.words, task.customer_words or task.words):
            assert not {w for term in words.vocabulary for w in term.split()} & people_words()


def test_fitted_without_a_part_it_still_reads_that_part(analyzer, tmp_path: Path):
    """The check the shipped model cannot give on the parts it saw: fitted on the script text of every fitted
    part (callset.FITTED) but the last, it classifies the last one's calls with ASR-like noise. The three-model
    vote measured type / outcome 0.792 / 0.833 with blind6 last (fitted on the parts before it), 0.917 / 0.958
    with blind7 last, 0.708 / 0.958 with blind8 last and 0.667 / 0.958 with blind9 last (the sentence model
    alone: 0.708 / 0.792 with blind6 last); with the customer's words as a fourth voter, 0.792 / 0.792,
    0.875 / 0.958, 0.708 / 0.958 and 0.750 / 0.958 on the same four, 0.750 / 1.000 with blind10 last and
    0.792 / 0.958 with blind11 last. The floors leave two calls of margin under the lowest, so a part added
    later may be harder and still pass."""
    from analysis.analyzer import Analyzer, AnalyzerConfig
    from analysis.evaluation.noise import noisy_utterances
    from analysis.evaluation.train import examples, fit

    held_out = callset.FITTED[-1]
    calls = callset.generate()
    fit(examples([c for c in calls if c.split in callset.FITTED and c.split != held_out], analyzer)).save(
        tmp_path / "m.npz")
    learned = Analyzer(AnalyzerConfig(classifier_path=tmp_path / "m.npz"), models=analyzer.models)
    scores = [score.score(c, learned.analyze(noisy_utterances(c), "pro", language="en"), None, True)
              for c in calls if c.split == held_out]
    assert score.accuracy(scores, "call_type") >= 0.58
    assert score.accuracy(scores, "call_outcome") >= 0.75


@pytest.mark.parametrize("kind", ["learned", "rules"])
def test_either_classifier_can_be_chosen(analyzer, kind):
    from analysis.analyzer import Analyzer, AnalyzerConfig
    from analysis.evaluation.noise import noisy_utterances

    chosen = Analyzer(AnalyzerConfig(classifier=kind), models=analyzer.models)
    assert (chosen.classifier is not None) == (kind == "learned")
    call = next(c for c in callset.generate() if c.call_type == "billing")
    assert chosen.analyze(noisy_utterances(call), "pro", language="en").call_type in callset.TYPES
