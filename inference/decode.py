"""Decode any common audio/video container to 16 kHz mono float32 with PyAV (via faster-whisper).

Synchronous on purpose: the pipeline runs it with `asyncio.to_thread`, so PyAV's C code never blocks the loop.
Every failure becomes a `MediaDecodeError` whose message a customer can act on.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from inference.errors import MediaDecodeError, MediaTooLongError

SAMPLE_RATE = 16_000


def decode_media(path: Path | str, max_seconds: float | None = None) -> np.ndarray:
    """Return the first audio stream of `path` as 16 kHz mono float32; raise MediaDecodeError otherwise.

    With `max_seconds`, media whose container declares a longer duration is refused before decoding, so a
    10-hour upload never costs 2 GB of samples just to be rejected (the exact check follows decoding).
    """
    from faster_whisper import decode_audio

    media = Path(path)
    if not media.is_file():
        raise MediaDecodeError("could not decode media: the file does not exist")
    if media.stat().st_size == 0:
        raise MediaDecodeError("could not decode media: the file is empty")
    declared = _probe_duration(media)
    if max_seconds is not None and declared is not None and declared > max_seconds + 1.0:
        raise MediaTooLongError(f"media is {declared:.0f} s long; the limit is {max_seconds:.0f} s")
    try:
        audio = decode_audio(str(media), sampling_rate=SAMPLE_RATE)
    except av.error.InvalidDataError as exc:
        raise MediaDecodeError("could not decode media: invalid data found (corrupt or not audio/video)") from exc
    except (av.error.FFmpegError, ValueError, RuntimeError, OSError) as exc:
        raise MediaDecodeError(f"could not decode media: {exc}") from exc
    if audio.size == 0:
        raise MediaDecodeError("could not decode media: the audio stream is zero-length")
    if max_seconds is not None and audio.shape[0] / SAMPLE_RATE > max_seconds:
        raise MediaTooLongError(f"media is {audio.shape[0] / SAMPLE_RATE:.0f} s long; the limit is {max_seconds:.0f} s")
    return np.ascontiguousarray(audio, dtype=np.float32)


def _probe_duration(media: Path) -> float | None:
    """Open the container once: refuse media without audio (decode_audio would fail obscurely) and return
    the declared duration in seconds, if the container states one."""
    try:
        with av.open(str(media), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise MediaDecodeError("could not decode media: no audio stream")
            stream = container.streams.audio[0]
            if stream.duration is not None and stream.time_base is not None:
                return float(stream.duration * stream.time_base)
            return container.duration / av.time_base if container.duration is not None else None
    except MediaDecodeError:
        raise
    except av.error.InvalidDataError as exc:
        raise MediaDecodeError("could not decode media: invalid data found (corrupt or not audio/video)") from exc
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        raise MediaDecodeError(f"could not decode media: {exc}") from exc


def duration_s(audio: np.ndarray) -> float:
    """Seconds of 16 kHz audio."""
    return float(audio.shape[0]) / SAMPLE_RATE
