"""Audio clips and video cards with PyAV. CPU-bound: the worker runs these in a thread.

Clips are cut from the job's listening copy (mono Opus, streams/listening_copy.py): the source media is gone
once a job completes. Decoding to samples and cutting by sample index (not by seeking) makes the cut exact to
the sample whatever the container's seek granularity.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np

CLIP_RATE = 48_000  # Opus and AAC both take 48 kHz; one rate for the clip and the video's sound
CLIP_PADDING_S = 0.25  # a breath before and after, so a clip does not start mid-consonant
CLIP_CONTENT_TYPE = "audio/ogg"
VIDEO_CONTENT_TYPE = "video/mp4"


def decode_mono(source: Path, start_s: float, end_s: float, rate: int = CLIP_RATE) -> np.ndarray:
    """Float32 mono samples of [start_s, end_s) of any media PyAV reads."""
    import av  # heavy, worker-only

    start_s = max(0.0, start_s)
    pieces: list[np.ndarray] = []
    with av.open(str(source)) as src:
        if not src.streams.audio:
            raise ValueError("no audio stream")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        for frame in src.decode(src.streams.audio[0]):
            for out in resampler.resample(frame):
                pieces.append(out.to_ndarray().reshape(-1))
            if frame.time is not None and frame.time > end_s + 1.0:
                break
        for out in resampler.resample(None):
            pieces.append(out.to_ndarray().reshape(-1))
    audio = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
    return audio[int(start_s * rate) : int(end_s * rate)].astype(np.float32)


def clip_bounds(start: float, end: float) -> tuple[float, float]:
    return max(0.0, start - CLIP_PADDING_S), end + CLIP_PADDING_S


def _add_audio(container: object, samples: np.ndarray, stream: object, rate: int) -> None:
    import av

    frame_size = getattr(stream, "frame_size", 0) or 960
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    for i in range(0, pcm.shape[0], frame_size):
        chunk = pcm[i : i + frame_size]
        if chunk.shape[0] < frame_size:
            chunk = np.pad(chunk, (0, frame_size - chunk.shape[0]))
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = rate, i, Fraction(1, rate)
        for packet in stream.encode(frame):  # type: ignore[attr-defined]
            container.mux(packet)  # type: ignore[attr-defined]
    for packet in stream.encode(None):  # type: ignore[attr-defined]
        container.mux(packet)  # type: ignore[attr-defined]


def encode_clip(samples: np.ndarray, rate: int = CLIP_RATE) -> bytes:
    """Mono Opus in Ogg (~48 kbit/s): small, and every browser plays it."""
    import av

    buf = io.BytesIO()
    with av.open(buf, mode="w", format="ogg") as dst:
        stream = dst.add_stream("libopus", rate=rate)
        stream.bit_rate = 48_000
        stream.layout = "mono"
        _add_audio(dst, samples, stream, rate)
    return buf.getvalue()


def encode_video(
    frame_at: Callable[[float], np.ndarray], samples: np.ndarray, rate: int = CLIP_RATE, fps: int = 12
) -> bytes:
    """H.264 (yuv420p, ultrafast) + AAC in MP4: what social players accept. `frame_at(progress)` gives an RGB
    frame for progress 0..1; 12 fps is plenty for a card whose only motion is a progress bar."""
    import av

    duration = max(samples.shape[0] / rate, 1.0 / fps)
    n_frames = max(1, int(round(duration * fps)))
    first = frame_at(0.0)
    height, width = first.shape[:2]
    buf = io.BytesIO()
    with av.open(buf, mode="w", format="mp4") as dst:
        video = dst.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "28"}
        audio = dst.add_stream("aac", rate=rate)
        audio.layout = "mono"
        for index in range(n_frames):
            image = first if index == 0 else frame_at(index / max(1, n_frames - 1))
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = index
            for packet in video.encode(frame):
                dst.mux(packet)
        for packet in video.encode(None):
            dst.mux(packet)
        _add_audio(dst, samples, audio, rate)
    return buf.getvalue()
