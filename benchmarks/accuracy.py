"""Accuracy by condition: WER, speech covered, the longest repeated phrase and DER, platform beside the plain
libraries, for each offline model. A benchmark, not a test: it prints a table (and writes JSON with --out).

Conditions (synthesised on the fly with espeak-ng and sox, seeded, see benchmarks/conditions.py):
  clean            scripted held-out two-party calls (analysis/evaluation/callset.py), one voice per party
  telephone N dB   the same calls band-passed to 300-3400 Hz, 8 kHz, line noise N dB below speech (one per --snr)
  telephone real N dB  pyannote.audio's real two-speaker call through the same channel (sample.wav/.stm)
  meeting          a three-speaker meeting (three espeak voices)
  sample           pyannote.audio's real two-speaker call as recorded (sample.wav, sample.stm, sample.rttm)
  silence          room tone only; music  a plucked chord progression only (any word there is a hallucination)

WER is scored twice:
  WER        after Whisper's English text normaliser (transformers' `EnglishTextNormalizer`, the one OpenAI's
             Whisper paper and the Hugging Face Open ASR leaderboard score with): Whisper writes "four one five"
             as "415" and "twenty dollars" as "$20", "I'm" and "I am" are one thing, and "uh"/"um" are dropped;
             without it a correct transcript is charged for its spelling of numbers. Its British/American
             spelling map is left empty (that ships with the Whisper tokenizer's files, not offline here).
             Note it also joins a spelled digit run into one token ("four one five five" -> "4155").
  WER basic  case, punctuation and spacing only (tests/support/wer.py), kept beside it so nothing is hidden.

Sides:
  plain     faster-whisper's BatchedInferencePipeline on the file (its own VAD), the library alone;
            pyannote's SpeakerDiarization on the bundled weights, called directly
  batched   the platform's replica path without the guard: decode, Silero VAD clips, `AsrWorker.transcribe_mixed`
  platform  the same with the quality guard (inference/guard.py), i.e. what a Serve replica returns, merged by
            `inference.pipeline._transcript`; diarization through `DiarizationWorker` (what its replica runs),
            without and with the true speaker count as `num_speakers`
The platform is run in-process (no Ray): the replica's code on the same clips, so chunking and merging are
measured, not Ray's transport (benchmarks/asr_plain.py measures that).

    .venv/bin/python -m benchmarks.accuracy --calls 2 --models tiny.en base --out .parlance/accuracy.json
    .venv/bin/python -m benchmarks.accuracy --snr 30 20 15 ...   # one pair of telephone rows per line-noise level
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.conditions import RefTurn, music, silence, telephone

MODEL_CACHE = Path.home() / ".cache" / "parlance" / "models"
MEETING_VOICES = (("en-us+m3", 20), ("en-gb+f2", 70), ("de+m2", 50))  # a German voice reading English: distinct
MEETING = [
    (0, "Good morning everyone, let's start with the release plan for next week."),
    (1, "The build is ready, but two tests still fail on the payment service."),
    (2, "I can look at those today, they fail only when the database is slow."),
    (0, "Good. Then we ship on Thursday if both are fixed by Wednesday night."),
    (1, "Agreed. I will write the release notes tomorrow morning."),
    (2, "And I will tell support what changes for customers."),
]
COVER_S = 1.0  # a reference word counts as covered when some output word lies within a second of it


@dataclass
class Case:
    condition: str
    name: str
    path: Path
    turns: list[RefTurn]  # reference: text, speaker, time
    speakers: bool = True  # DER applies

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.turns)


@dataclass
class Row:
    condition: str
    model: str
    side: str
    wer: list[float] = field(default_factory=list)  # Whisper-normalised
    wer_basic: list[float] = field(default_factory=list)  # case and punctuation only
    covered: list[float] = field(default_factory=list)
    repeat: int = 0
    words: int = 0  # output words on the no-speech conditions
    seconds: float = 0.0


def telephone_condition(snr_db: float, real: bool = False) -> str:
    return f"telephone{' real' if real else ''} {snr_db:g} dB"


def build_cases(folder: Path, calls: int, snrs: Sequence[float]) -> list[Case]:
    from analysis.evaluation.callset import generate
    from analysis.evaluation.synth import MONO_VOICES, synthesise

    cases: list[Case] = []
    for call in [c for c in generate() if c.split == "heldout"][:calls]:
        turns = call.party_turns()
        clean = folder / f"{call.id}.wav"
        times = synthesise(turns, clean, voices=MONO_VOICES)
        ref = [RefTurn(a, b, f"party{p}", text) for (a, b), (p, text) in zip(times, turns)]
        cases.append(Case("clean", call.id, clean, ref))
        for snr in snrs:
            phone = telephone(clean, folder / f"{call.id}-phone-{snr:g}.wav", snr, seed=1)
            cases.append(Case(telephone_condition(snr), call.id, phone, ref))
    meeting = folder / "meeting.wav"
    times = synthesise(MEETING, meeting, voices=MEETING_VOICES)  # type: ignore[arg-type]  # three parties
    cases.append(Case("meeting", "meeting-3", meeting, [RefTurn(a, b, f"p{p}", t) for (a, b), (p, t) in zip(times, MEETING)]))
    from tests.support import samples

    real = [RefTurn(s.start, s.end, s.speaker, s.text) for s in samples.sample_stm()]
    cases.append(Case("sample", "pyannote-sample", samples.sample_wav(), real))
    # real speech through the phone channel: espeak's formant voices are not what a narrowband call sounds like
    for snr in snrs:
        phone = telephone(samples.sample_wav(), folder / f"sample-phone-{snr:g}.wav", snr, seed=1)
        cases.append(Case(telephone_condition(snr, real=True), "pyannote-sample", phone, real))
    cases.append(Case("silence", "room-tone", silence(folder / "silence.wav"), [], speakers=False))
    cases.append(Case("music", "chords", music(folder / "music.wav"), [], speakers=False))
    return cases


def reference_words(turns: Sequence[RefTurn]) -> list[tuple[str, float]]:
    """Each reference word with a time: spread evenly over its turn (the synthesis gives turn times only)."""
    out: list[tuple[str, float]] = []
    for turn in turns:
        words = turn.text.split()
        out += [(w, turn.start + (k + 0.5) / len(words) * (turn.end - turn.start)) for k, w in enumerate(words)]
    return out


def covered(turns: Sequence[RefTurn], times: Sequence[float]) -> float:
    """Share of reference words within COVER_S of some output word ("speech covered")."""
    ref = reference_words(turns)
    if not ref:
        return 1.0
    grid = np.sort(np.asarray(times, dtype=float))
    if grid.size == 0:
        return 0.0
    hits = 0
    for _, t in ref:
        k = int(np.searchsorted(grid, t))
        near = [abs(grid[j] - t) for j in (k - 1, k) if 0 <= j < grid.size]
        hits += min(near) <= COVER_S
    return hits / len(ref)


def longest_repeat(text: str) -> int:
    """Times in a row the most repeated phrase (1-12 words) occurs; 1 when nothing repeats."""
    from inference.guard import MAX_NGRAM, _norm

    words = [_norm(w) for w in text.split()]
    best = 1
    for n in range(1, MAX_NGRAM + 1):
        for i in range(len(words) - n):
            times = 1
            while words[i + times * n : i + (times + 1) * n] == words[i : i + n]:
                times += 1
            best = max(best, times)
    return best


class Asr:
    """One model, loaded once, run three ways on a file: plain, batched (unguarded) and platform (guarded)."""

    def __init__(self, model: str, threads: int) -> None:
        from faster_whisper import BatchedInferencePipeline

        from inference.asr import AsrWorker

        self.model = model
        self.worker = AsrWorker(model, str(MODEL_CACHE), "cpu", "int8", threads)
        self.plain_pipeline = BatchedInferencePipeline(self.worker.model)  # the same weights, the library's path

    def plain(self, path: Path) -> tuple[str, list[float]]:
        from faster_whisper import decode_audio

        segments, _ = self.plain_pipeline.transcribe(
            decode_audio(str(path)), language="en", batch_size=8, beam_size=5, vad_filter=True, word_timestamps=True
        )
        segments = list(segments)
        return " ".join(s.text.strip() for s in segments), [(w.start + w.end) / 2 for s in segments for w in s.words or []]

    def platform(self, path: Path, guarded: bool) -> tuple[str, list[float], list[str]]:
        from inference.asr import MixedClip
        from inference.chunking import find_clips
        from inference.config import InferenceConfig
        from inference.decode import SAMPLE_RATE, decode_media, duration_s
        from inference.pipeline import _transcript

        audio = decode_media(path)
        clips = find_clips(audio, InferenceConfig())
        batch = [
            MixedClip(audio[int(c.start_s * SAMPLE_RATE) : int(c.end_s * SAMPLE_RATE)], c.start_s, "en", None, c.speech)
            for c in clips
        ]
        results = self.worker.transcribe_mixed(batch, 8, 5, guarded=guarded)
        transcript = _transcript([s for r in results for s in r], duration_s(audio), "en", None, self.model)
        return transcript.text, [(w.start + w.end) / 2 for w in transcript.words], transcript.warnings


def asr_rows(cases: list[Case], models: Sequence[str], threads: int) -> list[Row]:
    from tests.support.wer import wer, whisper_wer

    rows: list[Row] = []
    for model in models:
        asr = Asr(model, threads)
        for side in ("plain", "batched", "platform"):
            by_condition: dict[str, Row] = {}
            for case in cases:
                row = by_condition.setdefault(case.condition, Row(case.condition, model, side))
                started = time.perf_counter()
                if side == "plain":
                    text, times = asr.plain(case.path)
                else:
                    text, times, _warnings = asr.platform(case.path, guarded=side == "platform")
                row.seconds += time.perf_counter() - started
                row.repeat = max(row.repeat, longest_repeat(text))
                if case.turns:
                    row.wer.append(whisper_wer(case.text, text))
                    row.wer_basic.append(wer(case.text, text))
                    row.covered.append(covered(case.turns, times))
                else:
                    row.words += len(text.split())
                print(f"  {model:8s} {side:8s} {case.condition:9s} {case.name}: {text[:70]!r}", flush=True)
            rows += by_condition.values()
    return rows


def der_rows(cases: list[Case], threads: int) -> list[dict[str, Any]]:
    """DER (collar 0.25 s, overlap scored) of plain pyannote and of the platform's diarization worker."""
    import torch
    from pyannote.core import Annotation, Segment
    from pyannote.metrics.diarization import DiarizationErrorRate

    from inference.decode import SAMPLE_RATE, decode_media
    from inference.diarization.diarizer import _turns
    from inference.diarization.offline import build_offline_pipeline
    from inference.diarization.worker import DiarizationWorker

    if threads:
        torch.set_num_threads(threads)
    plain = build_offline_pipeline()
    worker = DiarizationWorker({"threads": threads})
    out: dict[tuple[str, str], list[float]] = {}
    for case in (c for c in cases if c.speakers):
        ref = Annotation()
        for turn in case.turns:
            ref[Segment(turn.start, turn.end)] = turn.speaker
        audio = decode_media(case.path)
        file = {"waveform": torch.from_numpy(audio)[None], "sample_rate": SAMPLE_RATE, "uri": case.name}
        output = plain(file)
        sides = {
            "plain": _turns(getattr(output, "speaker_diarization", output), audio.shape[0] / SAMPLE_RATE),
            "platform": worker.diarize(audio, {"mode": "speaker"}),
            # the job option `diarization.num_speakers` set to the true count
            "platform + num_speakers": worker.diarize(audio, {"mode": "speaker", "num_speakers": len(ref.labels())}),
        }
        for side, turns in sides.items():
            hyp = Annotation()
            for k, t in enumerate(turns):
                hyp[Segment(t["start"], t["end"]), k] = t["speaker"]
            out.setdefault((case.condition, side), []).append(float(DiarizationErrorRate(collar=0.25)(ref, hyp)))
    return [{"condition": c, "side": s, "der": round(float(np.mean(v)), 3), "files": len(v)} for (c, s), v in out.items()]


def table(rows: list[Row], der: list[dict[str, Any]]) -> str:
    lines = [
        "| condition | model | side | WER | WER basic | speech covered | longest repeat | words on no-speech | seconds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]

    def mean(values: list[float]) -> str:
        return f"{np.mean(values):.3f}" if values else "-"

    for r in sorted(rows, key=lambda r: (r.condition, r.model, ["plain", "batched", "platform"].index(r.side))):
        words = str(r.words) if not r.wer else "-"
        lines.append(
            f"| {r.condition} | {r.model} | {r.side} | {mean(r.wer)} | {mean(r.wer_basic)} | {mean(r.covered)}"
            f" | {r.repeat} | {words} | {r.seconds:.1f} |"
        )
    lines += ["", "| condition | diarization | DER |", "|---|---|---|"]
    lines += [f"| {d['condition']} | {d['side']} | {d['der']:.3f} |" for d in der]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2, help="held-out calls per call condition")
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    parser.add_argument(
        "--snr", type=float, nargs="+", default=[20.0], help="telephone line noise, dB below speech; one row per value"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-der", action="store_true", help="skip diarization")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = build_cases(Path(tmp), args.calls, args.snr)
        rows = asr_rows(cases, args.models, args.threads)
        der = [] if args.no_der else der_rows(cases, args.threads)
    print(table(rows, der))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"asr": [r.__dict__ for r in rows], "der": der, "args": vars(args)}, default=str, indent=1))


if __name__ == "__main__":
    main()
