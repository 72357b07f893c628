"""Builds small media files on the fly (PyAV encoders, stdlib wave) so decode tests need no fixtures on disk."""

from __future__ import annotations

import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def tone_with_silence(seconds_tone: float, seconds_silence: float, sr: int) -> np.ndarray:
    """A 440 Hz sine then silence: distinctive enough to check duration and that samples survive."""
    t = np.arange(int(seconds_tone * sr)) / sr
    tone = 0.5 * np.sin(2 * np.pi * 440 * t)
    return np.concatenate([tone, np.zeros(int(seconds_silence * sr))]).astype(np.float32)


def write_wav(path: Path, samples: np.ndarray, sr: int, channels: int = 1) -> Path:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    if channels > 1:
        pcm = np.repeat(pcm[:, None], channels, axis=1).reshape(-1)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(sr)
        wav.writeframes(pcm.tobytes())
    return path


def write_encoded(path: Path, samples: np.ndarray, sr: int, codec: str, container: str | None = None) -> Path:
    """Encode mono float samples with a PyAV audio codec (mp3, vorbis, opus, aac ...)."""
    with av.open(str(path), mode="w", format=container) as out:
        stream = out.add_stream(codec, rate=sr)
        stream.layout = "mono"
        frame_size = stream.codec_context.frame_size or 1024
        fmt = stream.codec_context.format.name
        pts = 0
        for start in range(0, len(samples), frame_size):
            chunk = samples[start : start + frame_size]
            frame = av.AudioFrame.from_ndarray(chunk[None, :].astype(np.float32), format="flt", layout="mono")
            frame.sample_rate = sr
            frame.pts = pts
            frame.time_base = Fraction(1, sr)
            pts += len(chunk)
            resampled = av.AudioResampler(format=fmt, layout="mono", rate=sr).resample(frame)
            for rf in resampled:
                for packet in stream.encode(rf):
                    out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def write_silent_video(path: Path, seconds: float = 1.0) -> Path:
    """An MP4 with a video stream and no audio stream at all."""
    fps = 10
    with av.open(str(path), mode="w") as out:
        stream = out.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for i in range(int(seconds * fps)):
            frame = av.VideoFrame.from_ndarray(np.full((64, 64, 3), i * 10 % 255, dtype=np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path
