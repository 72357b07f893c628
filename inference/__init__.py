"""Speech-to-text inference on Ray Serve: decode → VAD clips → the shared ASR application → merged transcript.

This package knows nothing about HTTP or Kafka; callers pass a media path and job options and get a
`schemas.result.Transcript` back, with progress reported through an async callback.
"""

from inference.config import InferenceConfig
from inference.errors import (
    InferenceError,
    LanguageNotSupportedError,
    MediaDecodeError,
    MediaTooLongError,
    ModelNotAllowedError,
    TranscriptionError,
)

__all__ = [
    "InferenceConfig",
    "InferenceError",
    "LanguageNotSupportedError",
    "MediaDecodeError",
    "MediaTooLongError",
    "ModelNotAllowedError",
    "TranscriptionError",
]
