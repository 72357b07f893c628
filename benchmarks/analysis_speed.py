"""Time the offline pro analysis of a ~30-minute synthetic call (models loaded once, as in a worker).

Prints model load time, per-call latency percentiles over repeats, stage split of one run, and peak RSS.

    HF_HUB_OFFLINE=1 python benchmarks/analysis_speed.py [--minutes 30] [--repeats 5] [--threads 1]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "unit" / "analysis")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import callset  # noqa: E402

from analysis.analyzer import Analyzer, AnalyzerConfig  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--redact", action="store_true", help="also time analyze(redact_pii=True) and redact_transcript")
    args = ap.parse_args()
    t = time.perf_counter()
    analyzer = Analyzer(AnalyzerConfig(torch_threads=args.threads))
    print(f"model load: {time.perf_counter() - t:.2f} s (once per worker)")
    utts = callset.long_call(args.minutes)
    words = sum(len(u.text.split()) for u in utts)
    print(f"call: {utts[-1].end / 60:.1f} min, {len(utts)} utterances, {words} words, "
          f"{sum(len(u.text) for u in utts)} chars; cpus={os.cpu_count()} load={os.getloadavg()[0]:.2f}")
    analyzer.analyze(utts[:20], "pro")  # warm-up: first torch/spaCy call allocates
    times = []
    for _ in range(args.repeats):
        t = time.perf_counter()
        res = analyzer.analyze(utts, "pro", duration=utts[-1].end, language="en")
        times.append(time.perf_counter() - t)
    times.sort()
    p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
    print(f"analyze(pro): median {statistics.median(times):.2f} s, min {times[0]:.2f} s, p90 {p90:.2f} s, "
          f"max {times[-1]:.2f} s over {args.repeats}  (target < 3 s)")
    t = time.perf_counter()
    analyzer.analyze(utts, "lite")
    print(f"analyze(lite): {time.perf_counter() - t:.2f} s")
    joined = "\n".join(u.text for u in utts)
    t = time.perf_counter()
    analyzer.pii.detect(joined)
    pii_s = time.perf_counter() - t
    t = time.perf_counter()
    analyzer.models.encoder.encode([u.text for u in utts[:48]])
    print(f"  of which PII detection (spaCy+Presidio): {pii_s:.2f} s; embedding 48 sentences: "
          f"{time.perf_counter() - t:.2f} s")
    if args.redact:
        t = time.perf_counter()
        analyzer.analyze(utts, "pro", redact_pii=True)
        print(f"analyze(pro, redact_pii): {time.perf_counter() - t:.2f} s")
        words_doc = [{"word": " " + w, "start": u.start, "end": u.end, "probability": 0.9}
                     for u in utts for w in u.text.split()]
        doc = {"language": "en", "duration": utts[-1].end, "model": "x", "text": " ".join(u.text for u in utts),
               "segments": [{"id": i, "start": u.start, "end": u.end, "text": u.text} for i, u in enumerate(utts)],
               "words": words_doc}
        t = time.perf_counter()
        analyzer.redact_transcript(doc)
        print(f"redact_transcript (words + segments + text): {time.perf_counter() - t:.2f} s")
        # The worker's whole analyzing stage, on a result document as Parlance stores it (words without their
        # leading space, speaker labels on words and segments): pro analysis + redaction + validation.
        from schemas.options import JobOptions
        from schemas.result import Transcript
        from streams.analysis_stage import _analyse

        stored = Transcript.model_validate({
            **doc,
            "words": [{**w, "word": w["word"].strip(), "speaker": u.speaker} for u in utts for w in
                      ({"word": x, "start": u.start, "end": u.end, "probability": 0.9} for x in u.text.split())],
            "segments": [{**seg, "speaker": u.speaker} for seg, u in zip(doc["segments"], utts)],
        })
        stage_times = []
        for _ in range(max(1, args.repeats // 2)):
            t = time.perf_counter()
            _analyse(analyzer, stored, JobOptions(analysis="pro", redact_pii=True))
            stage_times.append(time.perf_counter() - t)
        print(f"worker stage (pro + redact_pii, as streams/analysis_stage.py runs it): median "
              f"{statistics.median(stage_times):.2f} s over {len(stage_times)}")
    print(f"result: type={res.call_type} outcome={res.call_outcome} summary chars={len(res.call_summary or '')}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
