"""Plain faster-whisper over many files, one after another: the baseline of `parlance bench throughput`.

What a script without the platform would do with N recordings arriving at once: one model, loaded once
(excluded from the wall time), each file decoded, VAD-cut and transcribed with word timestamps by
BatchedInferencePipeline, its segments consumed. A file's latency is when it finishes, counted from the start
(they all arrived at t = 0).

    python -m benchmarks.asr_sequential --model tiny.en --cpu-threads 2 a.wav b.wav ...
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path
from typing import Any

from inference.models import resolve_model


def run_sequential(paths: list[Path], model: str = "tiny.en", cpu_threads: int = 0, batch_size: int = 8) -> dict[str, Any]:
    from faster_whisper import BatchedInferencePipeline, WhisperModel, decode_audio

    cache = Path.home() / ".cache" / "parlance" / "models"
    whisper = WhisperModel(resolve_model(model, cache), device="cpu", compute_type="int8", cpu_threads=cpu_threads)
    batched = BatchedInferencePipeline(whisper)
    finished: list[float] = []
    audio_s = 0.0
    started = time.perf_counter()
    for path in paths:
        audio = decode_audio(str(path))
        audio_s += audio.shape[0] / 16000
        segments, _info = batched.transcribe(audio, batch_size=batch_size, vad_filter=True, word_timestamps=True)
        for _segment in segments:  # a generator: the work happens here
            pass
        finished.append(time.perf_counter() - started)
    return {
        "wall_s": finished[-1] if finished else 0.0,
        "audio_s": audio_s,
        "latencies_s": finished,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--cpu-threads", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args()
    print(json.dumps(run_sequential(args.paths, args.model, args.cpu_threads, args.batch_size)))


if __name__ == "__main__":
    main()
