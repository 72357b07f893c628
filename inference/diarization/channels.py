"""Decode every channel separately (stereo call recordings: one party per channel).

`inference.decode.decode_media` downmixes to mono for ASR; channel diarization needs the channels apart.
PyAV resamples to 16 kHz float planar keeping the source layout, so channel k of the result is channel k
of the file.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from inference.decode import SAMPLE_RATE
from inference.errors import MediaDecodeError

MAX_CHANNELS = 8


def decode_channels(path: Path | str, max_seconds: float | None = None) -> np.ndarray:
    """(channels, samples) float32 at 16 kHz; a mono file gives one row. Raises MediaDecodeError."""
    media = Path(path)
    if not media.is_file() or media.stat().st_size == 0:
        raise MediaDecodeError("could not decode media: the file does not exist or is empty")
    chunks: list[np.ndarray] = []
    try:
        with av.open(str(media), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise MediaDecodeError("could not decode media: no audio stream")
            stream = container.streams.audio[0]
            channels = min(MAX_CHANNELS, max(1, stream.codec_context.channels or 1))
            layout = "mono" if channels == 1 else ("stereo" if channels == 2 else stream.layout.name)
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
            limit = None if max_seconds is None else int(max_seconds * SAMPLE_RATE)
            total = 0
            for frame in container.decode(stream):
                frame.pts = None
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray())
                    total += chunks[-1].shape[1]
                if limit is not None and total > limit:
                    raise MediaDecodeError(f"media is longer than {max_seconds:.0f} s")
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray())
    except MediaDecodeError:
        raise
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        raise MediaDecodeError(f"could not decode media: {exc}") from exc
    if not chunks:
        raise MediaDecodeError("could not decode media: the audio stream is zero-length")
    audio = np.concatenate(chunks, axis=1).astype(np.float32, copy=False)
    return np.ascontiguousarray(audio)
