"""One error base for inference so callers map every failure to a job error with a stable code."""

from __future__ import annotations


class InferenceError(Exception):
    """Base class: `code` is machine-readable (goes into job.failed), `message` is for humans."""

    code: str = "inference_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class MediaDecodeError(InferenceError):
    """The media is corrupt, empty, not audio, has no audio stream or zero-length audio."""

    code = "media_decode_error"


class MediaTooLongError(InferenceError):
    """The media is longer than the configured maximum; refused before any ASR work is spent on it."""

    code = "media_too_long"


class ModelNotAllowedError(InferenceError):
    """The requested ASR model is unknown here or not on the worker's allow-list."""

    code = "model_not_allowed"


class LanguageNotSupportedError(InferenceError):
    """A language other than English was requested from an English-only model (refused, not silently ignored)."""

    code = "language_not_supported"


class TranscriptionError(InferenceError):
    """An ASR actor failed or died while transcribing."""

    code = "transcription_error"


class DiarizationError(InferenceError):
    """Speaker diarization failed (model load, a dead actor, bad audio for the pipeline)."""

    code = "diarization_error"


def error_summary(exc: BaseException) -> str:
    """Ray wraps remote errors in long tracebacks; the last line is the part a person needs."""
    lines = str(exc).strip().splitlines()
    return lines[-1][:300] if lines else type(exc).__name__
