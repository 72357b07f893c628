"""API errors of the captions routes, on the one ApiError envelope."""

from __future__ import annotations

from api.errors import ApiError


class ProcessingFailed(ApiError):
    """The caption file could not be read; the message is the parser's reason."""

    status, type = 422, "processing_failed"


class InvalidParameter(ApiError):
    """A bad preset or format name: the request is wrong, not the file (422, like every invalid parameter)."""

    status, type = 422, "validation_error"
