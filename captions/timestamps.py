"""Timestamp parsing (strict and lenient) and formatting for the timed-block formats (SRT, WebVTT, SBV)."""

from __future__ import annotations

import re

STRICT_SRT = re.compile(r"^\d{2,}:\d{2}:\d{2},\d{3}$")
STRICT_VTT = re.compile(r"^(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}$")
STRICT_SBV = re.compile(r"^\d+:\d{2}:\d{2}\.\d{3}$")
# What people actually write: missing hours, one-digit fields, '.' or ',' or ':' before the fraction.
_LENIENT = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,:](\d{1,3}))?$")


def parse_lenient(raw: str) -> int | None:
    """Milliseconds, or None when the text is not a timestamp at all."""
    m = _LENIENT.match(raw.strip())
    if not m:
        return None
    hours, minutes, seconds, frac = m.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        return None
    ms = int((frac or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + ms


def _hms(ms: int) -> tuple[int, int, int, int]:
    ms = max(0, ms)
    s, ms = divmod(ms, 1000)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return h, m, s, ms


def fmt_srt(ms: int) -> str:
    h, m, s, f = _hms(ms)
    return f"{h:02d}:{m:02d}:{s:02d},{f:03d}"


def fmt_vtt(ms: int) -> str:
    h, m, s, f = _hms(ms)
    return f"{h:02d}:{m:02d}:{s:02d}.{f:03d}"


def fmt_sbv(ms: int) -> str:
    h, m, s, f = _hms(ms)
    return f"{h}:{m:02d}:{s:02d}.{f:03d}"


def fmt_clock(ms: int) -> str:
    """[HH:]MM:SS for humans (docx, txt, CLI)."""
    h, m, s, _ = _hms(ms)
    return f"{h:02d}:{m:02d}:{s:02d}"
