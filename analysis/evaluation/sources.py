"""A labelled call as the analysis reads it: the real pipeline's transcript of its synthesised audio (cached),
or its script as written. Shared by the accuracy benchmark and the classifier's fitting (analysis.evaluation.train).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from analysis.evaluation import callset
from analysis.evaluation.synth import MONO_VOICES, synthesise
from analysis.schema import Utterance


def cached(call: callset.ScriptedCall, cache: Path) -> bool:
    """Whether `call`'s audio for its current script is in `cache` (its transcript may still be missing)."""
    meta = cache / "audio" / f"{call.id}.json"
    # JSON has no tuples: compare as lists (comparing lists with tuples re-synthesised every call on every run).
    return meta.is_file() and json.loads(meta.read_text())["turns"] == [list(t) for t in call.party_turns()]


def audio_utterances(calls: list[callset.ScriptedCall], cache: Path, transcribe: bool,
                     asr_model: str = "tiny.en") -> dict[str, tuple]:
    """call id → (utterances, synthesis times); synthesises and transcribes what is not cached yet."""
    from analysis.evaluation.pipeline import AudioPipeline, cached_transcribe
    from analysis.transcript import utterances_from_transcript

    pipeline = None
    out = {}
    for call in calls:
        wav, meta = cache / "audio" / f"{call.id}.wav", cache / "audio" / f"{call.id}.json"
        turns = call.party_turns()
        if not (wav.is_file() and cached(call, cache)):
            wav.parent.mkdir(parents=True, exist_ok=True)
            times = synthesise(turns, wav, stereo=call.stereo, voices=None if call.stereo else MONO_VOICES)
            meta.write_text(json.dumps({"turns": turns, "times": times}))
        times = [tuple(t) for t in json.loads(meta.read_text())["times"]]
        if pipeline is None and transcribe:
            pipeline = AudioPipeline(asr_model)
        t0 = time.perf_counter()
        try:
            doc = cached_transcribe(pipeline, wav, "channel" if call.stereo else "speaker", cache / "transcripts",
                                    asr_model=asr_model)
        except LookupError:  # --no-transcribe: only what is cached
            continue
        out[call.id] = (utterances_from_transcript(doc), times, time.perf_counter() - t0)
    return out


def script_utterances(call: callset.ScriptedCall) -> tuple[list[Utterance], list[tuple[float, float]]]:
    """The script itself as utterances (no ASR, perfect diarization): separates analysis errors from ASR's."""
    utts, times, t = [], [], 0.0
    for party, text in call.party_turns():
        dur = len(text.split()) * 0.4
        utts.append(Utterance(speaker=f"SPEAKER_0{party}", start=round(t, 2), end=round(t + dur, 2), text=text))
        times.append((t, t + dur))
        t += dur + 0.7
    return utts, times
