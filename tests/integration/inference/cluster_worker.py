"""A worker process's inference half, joined to a Ray cluster: runs jobs concurrently, prints one JSON line.

Run by test_shared_cluster.py as a separate process (two at once against one head), exactly as a
`parlance worker` builds its inference: `RayRuntime` + `TranscriptionPipeline` + `DiarizationStage` from one
`InferenceConfig`, the cluster named by `RAY_ADDRESS` (token auth from the environment).

argv: media path, number of ASR jobs, number of diarized jobs among them.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from inference.config import InferenceConfig
from inference.diarization.stage import DiarizationStage
from inference.pipeline import TranscriptionPipeline
from inference.runtime import RayRuntime
from schemas.options import JobOptions


async def main(media: Path, jobs: int, diarized: int) -> dict[str, object]:
    # A CPU cluster that reserves a core per ASR replica: the layout that deadlocked two workers before
    # (each sized its own pool to the cluster's 2 CPUs and got one of its two actors).
    cfg = InferenceConfig(asr_cpus_per_replica=1)
    runtime = RayRuntime(cfg)
    runtime.start()
    pipeline = TranscriptionPipeline(runtime, cfg)
    diarization = DiarizationStage(runtime, cfg)

    async def job(index: int) -> dict[str, object]:
        prepared = await pipeline.prepare(media)
        turns = None
        if index < diarized:
            turns_task = asyncio.create_task(diarization.run_for_job(prepared.audio_ref, media, {"enabled": True}))
        transcript = await pipeline.transcribe(prepared, JobOptions())
        if index < diarized:
            turns = await turns_task
        return {"text": transcript.text, "words": len(transcript.words), "speakers": sorted({t["speaker"] for t in turns or []})}

    started = time.monotonic()
    results = await asyncio.gather(*(job(i) for i in range(jobs)))
    handle = await runtime.asr(cfg.asr_model)
    pids = sorted({(await handle.describe.remote())["pid"] for _ in range(8)})
    owns = runtime.owns_cluster
    runtime.stop()
    return {"owns_cluster": owns, "jobs": results, "asr_replica_pids": pids, "wall_s": time.monotonic() - started}


if __name__ == "__main__":
    out = asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
    print(json.dumps(out))
