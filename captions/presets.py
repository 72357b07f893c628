"""Platform presets: the rules the segmenter builds cues with and the QA engine checks against.

| preset | output | chars/line | lines | max cps | min dur | max dur | min gap | styling |
|---|---|---|---|---|---|---|---|---|
| youtube | srt | 42 | 2 | 20 | 1000 ms | 7000 ms | 80 ms | no |
| tiktok | srt | 24 | 1 | 25 | 500 ms | 3000 ms | 0 ms | no |
| html5 | vtt | 42 | 2 | 20 | 1000 ms | 7000 ms | 80 ms | yes (WebVTT tags) |
| generic | srt | 42 | 2 | 25 | 700 ms | 10000 ms | 0 ms | no (plain text) |
| lms | ttml | 37 | 2 | 17 | 1500 ms | 6000 ms | 80 ms | no |
| developer-json | json | 42 | 2 | 25 | 500 ms | 10000 ms | 0 ms | no |

Why these numbers: 42 characters × 2 lines and ~17–20 characters per second are the broadcast/streaming norms
(BBC, Netflix timed-text guides); 80 ms is two frames at 25 fps so consecutive cues visibly change. TikTok
captions sit over a vertical video: one short line that changes fast. `lms` follows accessibility guidance for
education (DCMP: ≤ 37 characters, slower reading speed, longer minimum display). `generic` is deliberately
broad so that it flags only captions that are wrong on any platform.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from captions.errors import UnknownPreset


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    output_format: str
    max_chars_per_line: int
    max_lines: int
    max_cps: float
    min_duration_ms: int
    max_duration_ms: int
    min_gap_ms: int
    allow_styling: bool
    description: str

    @property
    def max_chars(self) -> int:
        return self.max_chars_per_line * self.max_lines

    def with_overrides(self, max_chars: int | None = None, max_lines: int | None = None) -> Preset:
        """Per-request `max_chars`/`max_lines` overrides (exports API, CLI)."""
        return replace(
            self,
            max_chars_per_line=max_chars or self.max_chars_per_line,
            max_lines=max_lines or self.max_lines,
        )


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("youtube", "srt", 42, 2, 20.0, 1000, 7000, 80, False, "YouTube uploads: SRT, two lines of 42."),
        Preset("tiktok", "srt", 24, 1, 25.0, 500, 3000, 0, False, "Short-form vertical video: one short line, fast pace."),
        Preset("html5", "vtt", 42, 2, 20.0, 1000, 7000, 80, True, "HTML5 <track>: WebVTT, WebVTT styling tags kept."),
        Preset("generic", "srt", 42, 2, 25.0, 700, 10000, 0, False, "Broad defaults, plain-text SRT."),
        Preset("lms", "ttml", 37, 2, 17.0, 1500, 6000, 80, False, "Learning platforms: IMSC1 TTML, slower reading."),
        Preset("developer-json", "json", 42, 2, 25.0, 500, 10000, 0, False, "The caption IR as JSON, with word timings."),
    )
}


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise UnknownPreset(f"unknown preset '{name}'; use one of: {', '.join(PRESETS)}") from None
