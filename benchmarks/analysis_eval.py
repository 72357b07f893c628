"""Quality of the offline call analysis on the labelled synthetic set (tests/unit/analysis/callset.py).

Prints call type / outcome accuracy (with confusion), role accuracy, PII recall (a planted value counts as caught
when detected spans cover all of its characters; typed recall also needs the right type) and precision (detected
spans that overlap a planted value), extraction hit rates, and the time per call.

    HF_HUB_OFFLINE=1 python benchmarks/analysis_eval.py [--per-cell 2] [--seed 7]
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "unit" / "analysis")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import callset  # noqa: E402

from analysis.analyzer import Analyzer  # noqa: E402
from analysis.pii import join_texts, split_spans  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-cell", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    analyzer = Analyzer()
    load_s = time.perf_counter() - t0
    calls = callset.generate(args.per_cell, args.seed)
    type_ok = outcome_ok = roles_ok = 0
    confusion = {k: collections.Counter() for k in ("type", "outcome")}
    planted = caught = typed = 0
    detected = true_pos = 0
    per_type = collections.defaultdict(lambda: [0, 0])
    fields = collections.defaultdict(lambda: [0, 0])
    missed: list[str] = []
    false_pos: list[str] = []
    t_analyse = 0.0
    for call in calls:
        t = time.perf_counter()
        res = analyzer.analyze(call.utterances, "pro", duration=call.utterances[-1].end, language="en")
        t_analyse += time.perf_counter() - t
        type_ok += res.call_type == call.call_type
        outcome_ok += res.call_outcome == call.outcome
        confusion["type"][(call.call_type, res.call_type)] += 1
        confusion["outcome"][(call.outcome, res.call_outcome)] += 1
        roles_ok += res.speaker_roles.get(call.agent_label) == "Agent"
        # PII: detection over the same joined text the analyzer uses
        texts = [u.text for u in call.utterances]
        joined, starts = join_texts(texts)
        spans = analyzer.pii.detect(joined)
        for kind, value in call.planted:
            pos = 0
            while (i := joined.find(value, pos)) >= 0:
                pos = i + len(value)
                planted += 1
                per_type[kind][1] += 1
                cover = [s for s in spans if s.start < pos and s.end > i]
                covered = set()
                for s in cover:
                    covered.update(range(max(i, s.start), min(pos, s.end)))
                ok = len(covered) == len(value)
                caught += ok
                typed += ok and any(s.type == kind for s in cover)
                per_type[kind][0] += ok
                if not ok:
                    missed.append(f"{call.id} {kind}: {value!r} → {[(s.type, joined[s.start:s.end]) for s in cover]}")
        values = [(joined.find(v), v) for _, v in call.planted]
        for s in spans:
            detected += 1
            hit = any(i >= 0 and s.start < i + len(v) and s.end > i for i, v in values) or any(
                joined.find(v, s.start - len(v)) >= 0 and s.start < joined.find(v, s.start - len(v)) + len(v)
                and s.end > joined.find(v, s.start - len(v)) for _, v in call.planted)
            true_pos += hit
            if not hit:
                false_pos.append(f"{call.id} {s.type}: {joined[s.start:s.end]!r}")
        e = call.expect
        checks = {"customer.name": (res.customer.name, e["customer_name"]),
                  "customer.email": (res.customer.email, e["email"]),
                  "customer.phone": (res.customer.phone, e["phone"]),
                  "agent.name": (res.agent.name, e["agent_name"]),
                  "recording_disclosure": (res.compliance.recording_disclosure, e["recording_disclosure"] == "yes")}
        for k in ("pending_balance", "payment_today", "recurring_amount", "payment_method", "billing_date"):
            if k in e:
                checks[f"financial.{k}"] = (getattr(res.financial, k), e[k])
        for k, (got, want) in checks.items():
            fields[k][1] += 1
            fields[k][0] += got == want
        if args.verbose and (res.call_type != call.call_type or res.call_outcome != call.outcome):
            print(f"  {call.id}: type {call.call_type}->{res.call_type} outcome {call.outcome}->{res.call_outcome}")
    n = len(calls)
    print(f"calls: {n} ({len(callset.TYPES)} types x {len(callset.OUTCOMES)} outcomes x {args.per_cell})")
    print(f"model load: {load_s:.2f} s; analysis: {1000 * t_analyse / n:.0f} ms per call (pro)")
    print(f"call_type accuracy: {type_ok / n:.3f}   (target >= 0.8)")
    print(f"call_outcome accuracy: {outcome_ok / n:.3f}")
    print(f"agent role correct: {roles_ok / n:.3f}")
    print(f"PII recall (value fully covered): {caught / planted:.3f} ({caught}/{planted})   (target >= 0.95)")
    print(f"PII recall (covered and right type): {typed / planted:.3f}")
    print(f"PII precision (spans on a planted value): {true_pos / max(1, detected):.3f} ({true_pos}/{detected})")
    for kind, (ok, tot) in sorted(per_type.items()):
        print(f"  recall {kind:<14} {ok / tot:.3f} ({ok}/{tot})")
    for k, (ok, tot) in sorted(fields.items()):
        print(f"  extract {k:<28} {ok / tot:.3f} ({ok}/{tot})")
    for name, conf in confusion.items():
        wrong = {f"{a}->{b}": c for (a, b), c in conf.items() if a != b}
        print(f"{name} confusions: {wrong or 'none'}")
    if args.verbose:
        print("missed PII:", *missed[:30], sep="\n  ")
        print("false positives:", *false_pos[:30], sep="\n  ")


if __name__ == "__main__":
    main()
