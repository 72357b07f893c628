"""Quote cards with Pillow, from the account's theme: the image card, and the frames of the video card.

Fonts are a fixed list (schemas.quotes.FONTS) mapped to files the worker image ships (fonts-dejavu,
fonts-liberation); a missing file falls back to Pillow's bundled font so a render never fails on a font.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from schemas.quotes import Quote, Theme

IMAGE_SIZE = (1080, 1080)
VIDEO_SIZE = (720, 720)  # a third of the pixels of the image card: encoding on the worker's CPU stays quick
_FONT_DIR = Path("/usr/share/fonts/truetype")
_FONT_FILES = {
    "dejavu-sans": "dejavu/DejaVuSans-Bold.ttf",
    "dejavu-serif": "dejavu/DejaVuSerif-Bold.ttf",
    "dejavu-mono": "dejavu/DejaVuSansMono-Bold.ttf",
    "liberation-sans": "liberation/LiberationSans-Bold.ttf",
    "liberation-serif": "liberation/LiberationSerif-Bold.ttf",
}


def _font(name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = _FONT_DIR / _FONT_FILES[name]
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def _pattern(draw: ImageDraw.ImageDraw, theme: Theme, size: tuple[int, int]) -> None:
    w, h = size
    step = max(24, w // 24)
    colour = tuple(int(c * 0.8 + a * 0.2) for c, a in zip(_rgb(theme.background_color), _rgb(theme.accent_color)))
    if theme.pattern == "dots":
        for x in range(step // 2, w, step):
            for y in range(step // 2, h, step):
                draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=colour)
    elif theme.pattern in ("lines", "grid"):
        for x in range(0, w + h, step):
            draw.line((x, 0, x - h, h), fill=colour, width=1)
        if theme.pattern == "grid":
            for x in range(0, w + h, step):
                draw.line((x - h, 0, x, h), fill=colour, width=1)


def draw_card(quote: Quote, theme: Theme, size: tuple[int, int] = IMAGE_SIZE, speaker: str | None = None) -> Image.Image:
    """The card: pattern, the quote wrapped to fit (the font shrinks for long quotes), the speaker, watermark."""
    w, h = size
    image = Image.new("RGB", size, _rgb(theme.background_color))
    draw = ImageDraw.Draw(image)
    _pattern(draw, theme, size)
    margin = w // 12
    draw.rectangle((margin, margin, margin + w // 90 + 2, h - margin - h // 5), fill=_rgb(theme.accent_color))
    text = f"\u201c{quote.text}\u201d"
    box_w, box_h = w - 3 * margin, h - 2 * margin - h // 4
    for font_size in range(w // 14, w // 40, -2):
        font = _font(theme.font, font_size)
        chars = max(8, int(box_w / (font_size * 0.55)))
        lines = textwrap.wrap(text, width=chars)
        line_h = int(font_size * 1.3)
        if len(lines) * line_h <= box_h:
            break
    y = margin + max(0, (box_h - len(lines) * line_h) // 2)
    for line in lines:
        draw.text((2 * margin, y), line, font=font, fill=_rgb(theme.text_color))
        y += line_h
    who = speaker or quote.speaker_label
    if who:
        draw.text((2 * margin, h - margin - h // 6), f"\u2014 {who}", font=_font(theme.font, w // 28), fill=_rgb(theme.accent_color))
    if theme.watermark:
        small = _font(theme.font, w // 45)
        draw.text((w - margin, h - margin // 2), theme.watermark, font=small, fill=_rgb(theme.text_color), anchor="rs")
    return image


def waveform(samples: np.ndarray, bars: int = 60) -> list[float]:
    """Peak level per bar, 0..1 (the loudest bar is 1)."""
    if samples.size == 0:
        return [0.0] * bars
    chunks = np.array_split(np.abs(samples), bars)
    peaks = np.array([c.max() if c.size else 0.0 for c in chunks])
    top = float(peaks.max()) or 1.0
    return [float(p / top) for p in peaks]


class VideoFrames:
    """Frames of the video card: the card, a waveform under it, and a playhead filling the waveform."""

    def __init__(self, quote: Quote, theme: Theme, samples: np.ndarray, speaker: str | None = None) -> None:
        self.base = draw_card(quote, theme, VIDEO_SIZE, speaker)
        self.theme = theme
        self.levels = waveform(samples)
        w, h = VIDEO_SIZE
        self.area = (w // 12, h - h // 10 - 40, w - w // 12, h - h // 10)

    def __call__(self, progress: float) -> np.ndarray:
        image = self.base.copy()
        draw = ImageDraw.Draw(image)
        x0, y0, x1, y1 = self.area
        bar_w = (x1 - x0) / len(self.levels)
        played = progress * len(self.levels)
        mid = (y0 + y1) / 2
        for i, level in enumerate(self.levels):
            half = max(1.0, level * (y1 - y0) / 2)
            colour = self.theme.accent_color if i < played else self.theme.text_color
            bx = x0 + i * bar_w
            draw.rectangle((bx + 1, mid - half, bx + bar_w - 2, mid + half), fill=_rgb(colour))
        return np.asarray(image)
