"""Fit the learned call-type and outcome classifier (analysis.learned) on the labelled call set, and measure it
left-one-part-out.

Each call is read the way the analyzer reads it (`Analyzer.embed`): its sentences before the closing, less the
verification requests, are type examples; its closing sentences are outcome examples. Two sources per call: the
transcript faster-whisper wrote of its synthesised audio (the cache that `benchmarks/analysis_eval.py --prepare`
fills) and the script as written, so the models see both clean text and ASR's errors. For each task three
scikit-learn `LogisticRegression`s (lbfgs, multinomial, classes balanced) are fitted (analysis.learned): on every
sentence with its call's label, on each call's mean sentence vector, and on the tf-idf of each call's words
(`TfidfVectorizer`, words and pairs found in at least two texts); the type has a fourth, on the tf-idf of the
customer's words alone. scikit-learn is the well-kept implementation; the
coefficients, the vocabulary and the idf are all the runtime needs.

    HF_HUB_OFFLINE=1 python -m analysis.evaluation.train --cache .parlance/analysis_eval3 [--exclude PART ...]
        [--out analysis/data/call_classifier.npz] [--leave-one-out]

`--leave-one-out` fits once per part on the other parts and scores that part's audio: the learned model's honest
figure on wording it never saw (the outcome as the analyzer decides it: the closing rules first, the model when
they state none). Without it, the model is fitted on every part not excluded and written to `--out`. The parts in
`callset.HELD_OUT` are excluded unless `--exclude` names others.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from analysis import classify, roles as roles_mod  # noqa: E402
from analysis.analyzer import Analyzer, AnalyzerConfig, closing_turns  # noqa: E402
from analysis.evaluation import callset  # noqa: E402
from analysis.evaluation.sources import audio_utterances, cached, script_utterances  # noqa: E402
from analysis.learned import (  # noqa: E402
    DEFAULT_PATH, WORD_SETTINGS, CallClassifier, LinearModel, VotingModel, WordModel, mean_vector)
from analysis.schema import Utterance  # noqa: E402

# Inverse regularisation. The sentence models' were chosen left-one-part-out over 0.3 / 1 / 3 on the first six
# parts; the call model's over 1 / 10 and the word model's over 3 / 10 on the first eight (docs/analysis.md).
SENTENCE_C = {"type": 0.3, "outcome": 1.0}
CALL_C = 10.0
WORDS_C = 10.0
WORDS_MIN_TEXTS = 2  # a word or pair in one text only (a name, a misheard word) says nothing of the label


@dataclass(frozen=True)
class Example:
    call: callset.ScriptedCall
    source: str
    why: np.ndarray  # the type sentences' vectors
    why_texts: list[str]  # every sentence before the closing, less verification requests
    customer_why_texts: list[str]  # the customer's of them
    closing: np.ndarray  # the closing sentences' vectors
    closing_texts: list[str]
    ruled: str | None  # the outcome the closing rules state (None: the model decides)


def examples(calls: list[callset.ScriptedCall], analyzer: Analyzer, cache: Path | None = None) -> list[Example]:
    """Every call's examples from its script and, with a `cache`, its cached audio transcript (calls not yet
    transcribed there are skipped, never synthesised)."""
    audio = audio_utterances([c for c in calls if cached(c, cache)], cache, transcribe=False) if cache else {}
    out = []
    for call in calls:
        sources: dict[str, list[Utterance]] = {"script": script_utterances(call)[0]}
        if call.id in audio:
            sources["audio"] = audio[call.id][0]
        for source, utts in sources.items():
            utts = [u for u in utts if u.text.strip()]
            roles = roles_mod.infer_roles(utts)
            emb = analyzer.embed(utts, roles)
            out.append(Example(call, source, emb.vectors[emb.why_rows], emb.why_texts, emb.customer_why_texts,
                               emb.closing_vectors, emb.closing_texts,
                               classify.closing_outcome(closing_turns(utts, roles))))
    return out


def _linear(x: Any, y: list[str], c: float) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    return LinearModel.from_sklearn(LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y))


def people_words() -> set[str]:
    """The words of the call set's people and email domains. A caller's name is drawn for a call whatever its
    label, so as a feature it is noise the word model would fit (252 of its 6 325 terms were such names, some
    weighted above the 99th percentile); real calls' names say nothing of the type either."""
    people = [*(n for names in callset.PEOPLE.values() for n in names),
              *(a for agents in callset.AGENTS.values() for a in agents),
              *(d.replace(".", " ") for domains in callset.DOMAINS.values() for d in domains)]
    return {w.lower() for p in people for w in p.split()}


def _word_model(docs: list[str], labels: list[str]) -> WordModel:
    """The tf-idf logistic regression on one text per call."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    # People's names leave the vocabulary, not the text: the runtime tokenises as here, and a term it does not
    # know is ignored, so dropping a name cannot change how the words around it are paired.
    found = TfidfVectorizer(min_df=WORDS_MIN_TEXTS, **WORD_SETTINGS).fit(docs).get_feature_names_out()
    names = people_words()
    vectorizer = TfidfVectorizer(vocabulary=[t for t in found if not set(t.split()) & names], **WORD_SETTINGS)
    counts = vectorizer.fit_transform(docs)
    return WordModel([str(w) for w in vectorizer.get_feature_names_out()], vectorizer.idf_.astype(np.float64),
                     _linear(counts, labels, WORDS_C))


def _voting(calls: list[tuple[np.ndarray, list[str], str]], order: list[str], task: str,
            customer_texts: list[list[str]] | None = None) -> VotingModel:
    """The models for one task from (sentence vectors, texts, label) per call, and the customer's words model
    when the customer's texts are given (one list per call, in the same order)."""
    kept = [k for k, c in enumerate(calls) if len(c[0])]
    calls = [calls[k] for k in kept]
    labels = [lab for _, _, lab in calls]
    sentences = _linear(np.vstack([v for v, _, _ in calls]),
                        [lab for v, _, lab in calls for _ in range(len(v))], SENTENCE_C[task])
    call = _linear(np.vstack([mean_vector(v) for v, _, _ in calls]), labels, CALL_C)
    words = _word_model([" ".join(texts) for _, texts, _ in calls], labels)
    customer = _word_model([" ".join(customer_texts[k]) for k in kept], labels) if customer_texts else None
    return VotingModel(order, sentences, call, words, "mean" if task == "type" else "sum", customer)


def fit(train: list[Example], note: dict | None = None) -> CallClassifier:
    return CallClassifier(
        _voting([(e.why, e.why_texts, e.call.call_type) for e in train], callset.TYPES, "type",
                [e.customer_why_texts for e in train]),
        _voting([(e.closing, e.closing_texts, e.call.outcome) for e in train], callset.OUTCOMES, "outcome"),
        {"parts": sorted({e.call.split for e in train}), "sources": sorted({e.source for e in train}),
         "calls": len({e.call.id for e in train}), "sentence_C": SENTENCE_C, "call_C": CALL_C,
         "words_C": WORDS_C, "words_min_texts": WORDS_MIN_TEXTS, **(note or {})})


def predict(model: CallClassifier, e: Example) -> tuple[str | None, str | None]:
    """(call type, outcome) as the analyzer decides them with this model."""
    call_type, _ = model.classify_type(e.why, e.why_texts, e.customer_why_texts)
    outcome = e.ruled or model.classify_outcome(e.closing, e.closing_texts)[0]
    return call_type, outcome


def leave_one_out(data: list[Example], parts: list[str]) -> None:
    print(f"{'held-out part':<14}{'call_type':>12}{'call_outcome':>14}   (audio; fitted on the other parts)")
    total = [0, 0, 0]
    for part in parts:
        model = fit([e for e in data if e.call.split != part])
        test = [e for e in data if e.call.split == part and e.source == "audio"]
        got = [predict(model, e) for e in test]
        right_t = sum(t == e.call.call_type for (t, _), e in zip(got, test))
        right_o = sum(o == e.call.outcome for (_, o), e in zip(got, test))
        total = [total[0] + right_t, total[1] + right_o, total[2] + len(test)]
        print(f"{part:<14}{right_t / max(1, len(test)):>12.3f}{right_o / max(1, len(test)):>14.3f}   "
              f"({len(test)} calls)")
    print(f"{'all':<14}{total[0] / max(1, total[2]):>12.3f}{total[1] / max(1, total[2]):>14.3f}   "
          f"({total[2]} calls)")


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, required=True, help="the analysis_eval cache (audio transcripts)")
    ap.add_argument("--exclude", nargs="*", default=list(callset.HELD_OUT), choices=callset.SPLITS,
                    help="parts kept out of fitting (default: callset.HELD_OUT, never fitted)")
    ap.add_argument("--out", type=Path, default=DEFAULT_PATH)
    ap.add_argument("--leave-one-out", action="store_true", help="print each part's figures fitted on the others")
    args = ap.parse_args()

    analyzer = Analyzer(AnalyzerConfig(classifier="rules"))  # only its encoder and sentence selection are used
    calls = [c for c in callset.generate() if c.split not in args.exclude]
    data = examples(calls, analyzer, args.cache)
    missing = sorted({c.split for c in calls} - {e.call.split for e in data if e.source == "audio"})
    if missing:
        print(f"no cached audio transcripts for {missing}: run benchmarks/analysis_eval.py --prepare", file=sys.stderr)
    if args.leave_one_out:
        leave_one_out(data, [p for p in callset.SPLITS if p not in args.exclude])
        return
    model = fit(data, {"commit": _commit()})
    model.save(args.out)
    print(f"fitted on {model.trained_on}; wrote {args.out}")


if __name__ == "__main__":
    main()
