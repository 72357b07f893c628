"""The caption IR: what every parser produces and every writer consumes.

Plain slotted dataclasses, not pydantic: the QA engine touches every cue several times and a 10,000-cue file
must go through in well under a second. The JSON form of the IR (`developer-json`) is validated at the edge
by `captions.jsonir`, so the loose-typing risk stays at that boundary.

Times are integer milliseconds: every caption format is millisecond (or coarser) precision, and integers make
"no overlaps" an exact comparison instead of a float tolerance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Styling markup we recognise inside cue text: HTML-ish tags (<i>, <b>, <u>, <font ...>, WebVTT <c.x>, <v ...>,
# <ruby>, inline <00:00:01.000> timestamps) and ASS override blocks ({\i1}, {\an8}).
_TAG = re.compile(r"</?(?:i|b|u|s|c|v|font|ruby|rt|lang|span)(?:[.\s][^>]*)?>|<\d{1,2}:\d{2}(?::\d{2})?\.\d{3}>|\{\\[^}]*\}", re.I)
# Markup a WebVTT player understands (the html5 preset keeps it); anything else (<font>, ASS blocks) goes.
_NON_VTT = re.compile(r"</?(?:font|span)(?:\s[^>]*)?>|\{\\[^}]*\}", re.I)
_SPACES = re.compile(r"[ \t]+")


@dataclass(slots=True)
class CueWord:
    """A timed word inside a cue (exports keep them so `developer-json` carries word timings)."""

    text: str
    start_ms: int
    end_ms: int
    speaker: str | None = None


@dataclass(slots=True)
class Cue:
    """One caption on screen. `text` holds the display lines joined by "\\n" and may contain styling markup
    (see `visible_text`); `speaker` is optional (diarization adds it later)."""

    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = None
    words: list[CueWord] | None = None
    # 1-based line of the source file where the cue began, for diagnostics; None for generated cues.
    source_line: int | None = None
    # Index of the input cue this one came from (splits share it, merges keep the first), so fixes can point
    # at the input the user has open.
    origin: int | None = None

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def visible(self) -> str:
        return visible_text(self.text)


@dataclass(slots=True)
class CaptionDoc:
    cues: list[Cue] = field(default_factory=list)
    language: str | None = None
    title: str | None = None


# Opening and closing tags by name (<i>, </i>, <c.loud>, <v Alice>); not the inline <00:00:01.000> timestamps.
_NAMED_TAG = re.compile(r"<(/?)([A-Za-z]+)(?:[.\s][^>]*)?>")


def balance_tags(texts: list[str]) -> list[str]:
    """Texts of the cues one cue was split into, with its styling carried across the cuts: a tag still open at
    the end of a part is closed there and reopened at the start of the next. WebVTT closes open tags at the
    end of a cue and ignores a stray closing tag, so without this the italics of a long italic cue stop at
    its first part."""
    out: list[str] = []
    open_tags: list[tuple[str, str]] = []  # (name, the opening tag as written), outermost first
    for text in texts:
        prefix = "".join(tag for _, tag in open_tags)
        for m in _NAMED_TAG.finditer(text):
            name = m.group(2).lower()
            if not m.group(1):
                open_tags.append((name, m.group(0)))
                continue
            for k in range(len(open_tags) - 1, -1, -1):  # the innermost open tag of that name
                if open_tags[k][0] == name:
                    del open_tags[k]
                    break
        suffix = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        out.append(prefix + text + suffix)
    return out


def strip_markup(text: str) -> str:
    return _TAG.sub("", text)


def strip_non_vtt_markup(text: str) -> str:
    return _NON_VTT.sub("", text)


def has_markup(text: str) -> bool:
    # Every tag starts with "<" or "{": most cues have neither, and two substring scans beat the regex.
    return ("<" in text or "{" in text) and _TAG.search(text) is not None


def visible_text(text: str) -> str:
    """What a viewer reads: markup removed, runs of spaces collapsed, lines kept."""
    if "<" in text or "{" in text:
        text = _TAG.sub("", text)
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    return "\n".join([line.strip() for line in text.split("\n")]) if "\n" in text else text.strip()


def words_of(text: str) -> list[str]:
    """The visible words of a text, in order: what fixes must never drop or reorder."""
    return strip_markup(text).split()
