"""Domain errors. The API maps them to its envelope (422 processing_failed, 400 validation_error); the domain
never imports `api`."""

from __future__ import annotations


class CaptionError(Exception):
    """Base for everything the captions package raises on purpose."""


class CaptionParseError(CaptionError):
    """The input is not a caption file we can read; the message is the parser's reason, safe to show."""


class UnknownPreset(CaptionError):
    """A preset name that is not in `captions.presets.PRESETS`."""


class UnknownFormat(CaptionError):
    """An output format we do not write."""
