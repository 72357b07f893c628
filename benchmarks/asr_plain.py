"""Plain faster-whisper vs the platform pipeline on the same file and model: the platform's overhead as a ratio.

`run_plain` is faster-whisper's own BatchedInferencePipeline (its VAD, its batching) with the model directory
resolved by `inference.models`, so both sides load the same weights. `run_platform` is the Ray pipeline with warm
actors. Model load is excluded from both wall times; decode + VAD + ASR are included in both.

    python3.11 -m benchmarks.asr_plain sample.wav --repeat 20 --cpu-threads 2 --platform --runs 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import tempfile
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np

from inference.models import resolve_model


def _peak_rss_mb(pid: int | None = None) -> float:
    """Peak resident memory (VmHWM) of `pid`, or of this process."""
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_plain(
    path: str | Path, model: str = "tiny.en", batch_size: int = 8, cpu_threads: int = 0, runs: int = 1
) -> dict[str, Any]:
    """Transcribe with plain faster-whisper (vad_filter=True, word timestamps), consuming every segment.

    Best of `runs`, like `run_platform`, so neither side is charged CTranslate2's first-call warm-up alone.
    """
    from faster_whisper import BatchedInferencePipeline, WhisperModel, decode_audio

    cache = Path.home() / ".cache" / "parlance" / "models"
    whisper = WhisperModel(resolve_model(model, cache), device="cpu", compute_type="int8", cpu_threads=cpu_threads)
    batched = BatchedInferencePipeline(whisper)
    walls: list[float] = []
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        audio = decode_audio(str(path))
        segments, info = batched.transcribe(audio, batch_size=batch_size, vad_filter=True, word_timestamps=True)
        text = " ".join(segment.text.strip() for segment in segments)
        walls.append(time.perf_counter() - started)
    wall = min(walls)
    return {
        "audio_s": round(info.duration, 2),
        "wall_s": round(wall, 3),
        "rtf": round(wall / info.duration, 4),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "text": text,
    }


async def _platform(path: Path, model: str, cfg: Any, runs: int) -> dict[str, Any]:
    from schemas.options import JobOptions

    from inference.pipeline import TranscriptionPipeline
    from inference.runtime import RayRuntime

    runtime = RayRuntime(cfg)
    pipeline = TranscriptionPipeline(runtime, cfg)
    try:
        handle = await runtime.asr(model)  # warm: deployment and model load excluded, like run_plain
        walls: list[float] = []
        for _ in range(runs):
            started = time.perf_counter()
            prepared = await pipeline.prepare(path)
            transcript = await pipeline.transcribe(prepared, JobOptions(model=model))
            walls.append(time.perf_counter() - started)
        pids = sorted({(await handle.describe.remote())["pid"] for _ in range(8)})
        wall = min(walls)
        return {
            "audio_s": round(transcript.duration, 2),
            "wall_s": round(wall, 3),
            "rtf": round(wall / transcript.duration, 4),
            "peak_rss_mb": round(_peak_rss_mb() + sum(_peak_rss_mb(pid) for pid in pids), 1),
            "replicas": len(pids),
            "text": transcript.text,
        }
    finally:
        await pipeline.close()
        runtime.stop()


def run_platform(
    path: str | Path, model: str = "tiny.en", num_actors: int = 0, threads: int = 0, runs: int = 1
) -> dict[str, Any]:
    """The Ray pipeline end to end (prepare + transcribe) on a warm Serve application; best of `runs`."""
    from inference.config import InferenceConfig

    cfg = InferenceConfig(asr_model=model, num_asr_actors=num_actors, asr_threads_per_actor=threads)
    return asyncio.run(_platform(Path(path), model, cfg, runs))


def repeat_wav(path: str | Path, times: int, out: Path) -> Path:
    """Concatenate a file `times` over (16 kHz mono WAV) to make a long benchmark input."""
    from faster_whisper import decode_audio

    audio = np.tile(decode_audio(str(path)), times)
    with wave.open(str(out), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--cpu-threads", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="concatenate the input this many times first")
    parser.add_argument("--platform", action="store_true", help="also run the Ray pipeline on the same input")
    parser.add_argument("--actors", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--runs", type=int, default=1, help="best of this many runs, each side")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.path)
        if args.repeat > 1:
            path = repeat_wav(path, args.repeat, Path(tmp) / "repeated.wav")
        plain = run_plain(path, args.model, args.batch_size, args.cpu_threads, args.runs)
        report: dict[str, Any] = {"plain": {k: v for k, v in plain.items() if k != "text"}}
        if args.platform:
            platform = run_platform(path, args.model, args.actors, args.threads, args.runs)
            report["platform"] = {k: v for k, v in platform.items() if k != "text"}
            report["platform_over_plain"] = round(platform["wall_s"] / plain["wall_s"], 3)
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
