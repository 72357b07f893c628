"""The real audio path for one recording, in-process: decode → VAD clips → faster-whisper → diarization → merge.

The same components the job pipeline runs on Ray (inference.asr.AsrWorker, inference.chunking.find_clips,
inference.diarization.files.diarize_file, inference.speakers.merge_speakers), called directly: the benchmark
and the accuracy tests measure the models and the analysis, not Ray's scheduling. Heavy imports happen in
`AudioPipeline.__init__` (torch, faster-whisper, pyannote).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

DiarizationMode = Literal["channel", "speaker"]


class AudioPipeline:
    """ASR model and diarization pipeline loaded once; `transcribe(path, mode)` → result-shaped dict."""

    def __init__(self, asr_model: str = "tiny.en", threads: int = 0) -> None:
        from inference.asr import AsrWorker
        from inference.config import InferenceConfig
        from inference.diarization.diarizer import Diarizer, DiarizerSettings

        self.cfg = InferenceConfig(asr_model=asr_model)
        self.asr = AsrWorker(asr_model, str(self.cfg.model_cache_dir), cpu_threads=threads)
        self.diarizer = Diarizer(DiarizerSettings(threads=threads))

    def transcribe(self, path: Path, mode: DiarizationMode, num_speakers: int | None = 2) -> dict[str, Any]:
        from inference.decode import decode_media, duration_s
        from inference.diarization.files import diarize_file
        from inference.pipeline import _transcript
        from inference.speakers import merge_speakers

        audio = decode_media(path)
        raw = self._channel_segments(path) if mode == "channel" else None
        if raw is None:
            raw = self._segments(audio)
        transcript = _transcript(raw, duration_s(audio), "en", None, self.cfg.asr_model)
        options: dict[str, Any] = {"enabled": True, "mode": mode}
        if mode == "speaker" and num_speakers:
            options["num_speakers"] = num_speakers
        turns = diarize_file(path, options, diarizer=self.diarizer)
        return merge_speakers(transcript, [dict(t) for t in turns]).model_dump(mode="json")


    def _segments(self, audio: Any) -> list[dict[str, Any]]:
        from inference.chunking import find_clips

        clips = find_clips(audio, self.cfg)
        return self.asr.transcribe_clips(audio, [c.as_dict() for c in clips], "en",
                                         {"batch_size": self.cfg.batch_size, "beam_size": self.cfg.beam_size})

    def _channel_segments(self, path: Path) -> list[dict[str, Any]] | None:
        """`channel` mode as the service runs it (inference.pipeline.TranscriptionPipeline._run_channels): each
        channel transcribed on its own, cross-talk dropped, segments cut at the other party's turns and tagged
        with their channel. None for a single-channel file (transcribed from the downmix, as the service does)."""
        from inference.crosstalk import merge_channels
        from inference.diarization.channels import decode_channels

        channels = decode_channels(path, self.cfg.max_media_seconds)
        if channels.shape[0] < 2:
            return None
        per_channel = [self._segments(row) for row in channels]
        return merge_channels(per_channel, channels)


def cached_transcribe(pipeline: AudioPipeline | None, path: Path, mode: DiarizationMode, cache: Path,
                      num_speakers: int | None = 2, asr_model: str = "tiny.en") -> dict[str, Any]:
    """`pipeline.transcribe`, cached by the audio's bytes, the mode and the ASR model (ASR + diarization are the
    slow part).

    `pipeline` may be None when every file is known to be cached; a miss then raises LookupError.
    """
    # "perch": channel mode transcribes each channel (since issue 16); older downmix transcripts are not reused.
    # The default model adds nothing to the key, so transcripts cached before the model was a choice stay valid.
    tag = ("|perch" if mode == "channel" else "") + ("" if asr_model == "tiny.en" else f"|{asr_model}")
    key = hashlib.sha256(path.read_bytes() + f"|{mode}|{num_speakers}{tag}".encode()).hexdigest()[:20]
    hit = cache / f"{key}.json"
    if hit.is_file():
        return json.loads(hit.read_text())
    if pipeline is None:
        raise LookupError(f"{path.name} is not transcribed yet")
    doc = pipeline.transcribe(path, mode, num_speakers)
    cache.mkdir(parents=True, exist_ok=True)
    hit.write_text(json.dumps(doc))
    return doc
