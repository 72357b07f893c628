"""Stereo calls in `channel` diarization mode, before and after per-channel ASR, through the real Ray pipeline
(Serve ASR and diarization applications, then the merge, as the orchestrator runs them).

before  the transcript decoded from the downmix, speakers from channel diarization's turns (what the pipeline
        does for a source whose channels it cannot read apart: `PreparedAudio.media_path=None`)
after   each channel transcribed apart, cross-talk dropped (inference/crosstalk.py)

Calls: held-out scripted calls (analysis/evaluation/callset.py) one party per channel, the same with each party
bleeding into the other channel 20 dB down, and a short call that ends with both parties talking at once
(`overlapping_call`, also the integration test's call). Figures: WER, speech covered (benchmarks/accuracy.py)
and attributed WER: each party's words against that party's reference, averaged over the parties.

    .venv/bin/python -m benchmarks.stereo_channels --calls 19 0
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import re
import tempfile
import wave
from pathlib import Path

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from inference.runtime import RayRuntime
    from schemas.result import Transcript

BLEED = 0.1  # -20 dB
TURNS = [
    (0, "Good morning, thank you for calling the garden centre."),
    (1, "Hello, I would like to order seven yellow tulips."),
    (0, "Certainly. What is your postcode please?"),
    (1, "It is the little cottage behind the church."),
]
# Said at the same time at the end (party 1 starts 0.3 s after party 0).
OVERLAP = [(0, "Your order ships on Friday morning."), (1, "Wonderful, many thanks.")]
OVERLAP_LAG_S = 0.3

RefTurns = list[tuple[int, str, float, float]]  # party, text, start, end


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """(channels, samples) float32 and the rate of a 16-bit WAV."""
    with wave.open(str(path), "rb") as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768
        return data.reshape(-1, w.getnchannels()).T, w.getframerate()


def write_wav(path: Path, audio: np.ndarray, rate: int) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(audio.shape[0])
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(audio.T, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def with_bleed(audio: np.ndarray) -> np.ndarray:
    """Each of two channels also carries the other one BLEED times as loud, as call recorders' cross-talk."""
    return audio + BLEED * audio[::-1]


def overlapping_call(folder: Path) -> tuple[Path, RefTurns]:
    """TURNS one party per channel, then both OVERLAP lines at once, all with -20 dB bleed: the WAV and turns."""
    from analysis.evaluation.synth import synthesise

    times = synthesise(TURNS, folder / "call.wav", stereo=True)
    call, rate = read_wav(folder / "call.wav")
    parts = []
    for party, text in OVERLAP:
        synthesise([(party, text)], folder / f"overlap{party}.wav")
        parts.append(read_wav(folder / f"overlap{party}.wav")[0][0])
    lag = int(OVERLAP_LAG_S * rate)
    tail = np.zeros((2, max(parts[0].size, lag + parts[1].size) + rate), dtype=np.float32)
    tail[0, : parts[0].size] = parts[0]
    tail[1, lag : lag + parts[1].size] = parts[1]
    path = write_wav(folder / "stereo.wav", with_bleed(np.concatenate([call, tail], axis=1)), rate)
    turns = [(p, text, a, b) for (p, text), (a, b) in zip(TURNS, times)]
    t0 = call.shape[1] / rate
    turns.append((0, OVERLAP[0][1], t0, t0 + parts[0].size / rate))
    turns.append((1, OVERLAP[1][1], t0 + lag / rate, t0 + (lag + parts[1].size) / rate))
    return path, turns


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s']", " ", text.lower())).strip()


async def transcribe_call(runtime: RayRuntime, path: Path, downmix: bool = False) -> Transcript:
    """What the orchestrator does for a `channel`-mode job: ASR and diarization of the prepared audio, merged;
    `downmix` transcribes the downmix instead of each channel (the "before" side)."""
    from inference.diarization.stage import DiarizationStage
    from inference.pipeline import TranscriptionPipeline
    from inference.speakers import merge_speakers
    from schemas.options import JobOptions

    options = JobOptions.model_validate(
        {"model": "tiny.en", "language": "en", "diarization": {"enabled": True, "mode": "channel"}}
    )
    assert options.diarization is not None
    pipeline = TranscriptionPipeline(runtime, runtime.cfg)
    prepared = await pipeline.prepare(path)
    if downmix:
        prepared = dataclasses.replace(prepared, media_path=None)
    transcript = await pipeline.transcribe(prepared, options)
    stage = DiarizationStage(runtime, runtime.cfg)
    turns = await stage.run_for_job(prepared.audio_ref, path, options.diarization.model_dump())
    return merge_speakers(transcript, turns)


def _row(name: str, side: str, merged: Transcript, ref: RefTurns) -> str:
    import jiwer

    from benchmarks.accuracy import covered
    from benchmarks.conditions import RefTurn

    words = merged.words
    reference = " ".join(t for _, t, _, _ in sorted(ref, key=lambda r: r[2]))
    wer = jiwer.wer(_norm(reference), _norm(" ".join(w.word for w in words)))
    cover = covered([RefTurn(a, b, f"p{p}", t) for p, t, a, b in ref], [(w.start + w.end) / 2 for w in words])
    source = {s.label: s.source for s in merged.speakers or []}
    attributed = []
    for party in sorted({p for p, _, _, _ in ref}):
        said = _norm(" ".join(w.word for w in words if source.get(w.speaker) == f"channel_{party + 1}"))
        attributed.append(jiwer.wer(_norm(" ".join(t for p, t, _, _ in ref if p == party)), said) if said else 1.0)
    return f"| {name} | {side} | {wer:.3f} | {cover:.3f} | {np.mean(attributed):.3f} |"


async def _main(calls: list[int]) -> None:
    from analysis.evaluation.callset import generate
    from analysis.evaluation.synth import synthesise
    from inference.config import InferenceConfig
    from inference.runtime import RayRuntime

    heldout = [c for c in generate() if c.split == "heldout"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases: list[tuple[str, Path, RefTurns]] = []
        for index in calls:
            turns = heldout[index].party_turns()
            path = folder / f"heldout{index}.wav"
            times = synthesise(turns, path, stereo=True)
            ref = [(p, text, a, b) for (p, text), (a, b) in zip(turns, times)]
            audio, rate = read_wav(path)
            cases.append((f"held-out {index}", path, ref))
            cases.append((f"held-out {index}, -20 dB bleed", write_wav(folder / f"bleed{index}.wav", with_bleed(audio), rate), ref))
        cases.append(("4 turns + both at once, -20 dB bleed", *overlapping_call(folder)))
        runtime = RayRuntime(InferenceConfig(ray_num_cpus=2, ray_object_store_bytes=256 * 1024 * 1024))
        runtime.start()
        print("| call | side | WER | speech covered | attributed WER |\n|---|---|---|---|---|")
        try:
            for name, path, ref in cases:
                for downmix in (True, False):
                    merged = await transcribe_call(runtime, path, downmix)
                    print(_row(name, "before (downmix)" if downmix else "after (per channel)", merged, ref), flush=True)
        finally:
            runtime.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, nargs="+", default=[19, 0], help="held-out call indices")
    asyncio.run(_main(parser.parse_args().calls))


if __name__ == "__main__":
    main()
