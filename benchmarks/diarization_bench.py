"""Diarization: DER and real-time factor of the offline pipeline next to plain pyannote.audio on the same file.

Settings, each run in its own process (so peak RSS is its own), each timed on a warm pipeline:
  plain     pyannote.audio's SpeakerDiarization on the same bundled weights, used as its docs show: the file
            path in (pyannote's own torchcodec decoding), default batch sizes (1), CAM++ run on every
            (10 s chunk, speaker) pair, segmentation step 0.1
  parlance  inference.diarization.Diarizer: PyAV decode, batches of 16, CAM++ frame features shared across
            overlapping chunks (shared_frames.py), step 0.1
  fast      the same with segmentation step 0.2 (half the segmentation windows)

`--repeat N` tiles the file N times (and its RTTM, shifted), e.g. `--repeat 120` turns sample.wav into 60 min
for the memory check. DER uses pyannote.metrics with a 0.25 s collar.

    python benchmarks/diarization_bench.py [AUDIO --rttm REF.rttm] [--repeat N] [--settings plain,parlance,fast]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PYANNOTE_METRICS_ENABLED"] = "false"


def tiled(audio_path: Path, rttm: Path, repeat: int, folder: Path) -> tuple[Path, Path]:
    """The recording and its reference repeated `repeat` times back to back."""
    import wave

    import numpy as np

    from inference.decode import SAMPLE_RATE, decode_media

    audio = decode_media(audio_path)
    duration = audio.shape[0] / SAMPLE_RATE
    out_wav, out_rttm = folder / f"tiled{repeat}.wav", folder / f"tiled{repeat}.rttm"
    with wave.open(str(out_wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
        for _ in range(repeat):
            out.writeframes(pcm)
    lines = []
    for k in range(repeat):
        for raw in rttm.read_text().splitlines():
            parts = raw.split()
            if len(parts) >= 8 and parts[0] == "SPEAKER":
                parts[1] = "tiled"
                parts[3] = f"{float(parts[3]) + k * duration:.3f}"
                lines.append(" ".join(parts))
    out_rttm.write_text("\n".join(lines) + "\n")
    return out_wav, out_rttm


def run_one(setting: str, audio_path: Path, rttm: Path) -> dict[str, object]:
    import torch
    from pyannote.core import Annotation, Segment
    from pyannote.database.util import load_rttm
    from pyannote.metrics.diarization import DiarizationErrorRate

    from inference.decode import SAMPLE_RATE, decode_media
    from inference.diarization.diarizer import Diarizer, DiarizerSettings
    from inference.diarization.offline import OfflinePipelineConfig, build_offline_pipeline

    threads = torch.get_num_threads()
    t0 = time.perf_counter()
    if setting == "plain":
        pipeline = build_offline_pipeline(OfflinePipelineConfig(shared_frames=False, batch_size=1))
        pipeline.embedding_batch_size = 1
        load_s = time.perf_counter() - t0

        def diarize() -> Annotation:
            return pipeline(str(audio_path)).speaker_diarization
    else:
        step = {"parlance": 0.1, "fast": 0.2}[setting]
        diarizer = Diarizer(DiarizerSettings(segmentation_step=step))
        load_s = time.perf_counter() - t0

        def diarize() -> Annotation:
            turns = diarizer.diarize(decode_media(audio_path))
            hyp = Annotation()
            for i, t in enumerate(turns):
                hyp[Segment(t["start"], t["end"]), i] = t["speaker"]
            return hyp

    from inference.decode import _probe_duration

    duration = _probe_duration(audio_path) or decode_media(audio_path).shape[0] / SAMPLE_RATE
    if duration <= 120:
        diarize()  # warm-up on short files; long ones are timed cold (the warm-up would double the run)
    t0 = time.perf_counter()
    hyp = diarize()
    elapsed = time.perf_counter() - t0
    reference = next(iter(load_rttm(str(rttm)).values()))
    der = DiarizationErrorRate(collar=0.25)(reference, hyp)
    return {
        "setting": setting,
        "audio_s": round(duration, 1),
        "seconds": round(elapsed, 2),
        "rtf_x": round(duration / elapsed, 1),
        "der_pct": round(100 * der, 2),
        "speakers": len(hyp.labels()),
        "load_s": round(load_s, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "torch_threads": threads,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("audio", nargs="?", type=Path)
    ap.add_argument("--rttm", type=Path)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--settings", default="plain,parlance,fast")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.audio, args.rttm)))
        return
    if args.audio is None:
        from tests.support import samples

        args.audio, args.rttm = samples.sample_wav(), samples.sample_dir() / "sample.rttm"
    if args.rttm is None:
        ap.error("--rttm is needed with an audio file")
    with tempfile.TemporaryDirectory() as folder:
        audio, rttm = args.audio, args.rttm
        if args.repeat > 1:
            audio, rttm = tiled(audio, rttm, args.repeat, Path(folder))
        rows = []
        for setting in args.settings.split(","):
            cmd = [sys.executable, "-W", "ignore", __file__, str(audio), "--rttm", str(rttm), "--one", setting]
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{setting}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(json.dumps(rows[-1]), flush=True)
    print(f"\n{'setting':<10}{'audio s':>9}{'time s':>9}{'x RT':>8}{'DER %':>8}{'spk':>5}{'peak RSS MB':>13}")
    for r in rows:
        print(f"{r['setting']:<10}{r['audio_s']:>9}{r['seconds']:>9}{r['rtf_x']:>8}{r['der_pct']:>8}{r['speakers']:>5}{r['peak_rss_mb']:>13}")
    base = next((r for r in rows if r["setting"] == "plain"), None)
    if base:
        for r in rows:
            if r is not base:
                print(f"{r['setting']}: {float(base['seconds']) / float(r['seconds']):.1f}x faster than plain pyannote")


if __name__ == "__main__":
    main()
