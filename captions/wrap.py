"""Line wrapping on word boundaries. Never splits inside a word: a single word longer than the line stays whole
(the QA engine reports it as `line_too_long`; cutting it would change the text)."""

from __future__ import annotations

import math

from captions.ir import strip_markup

_CLAUSE_END = (",", ";", ":", ".", "?", "!", "…", "—")


def vlen(token: str) -> int:
    """Visible length: markup does not take room on screen."""
    if "<" in token or "{" in token:
        return len(strip_markup(token))
    return len(token)


def visible_lengths(tokens: list[str]) -> list[int]:
    # Most cues carry no markup: one scan of the joined text then plain len() per token.
    joined = "".join(tokens)
    if "<" not in joined and "{" not in joined:
        return list(map(len, tokens))
    return [vlen(t) if ("<" in t or "{" in t) else len(t) for t in tokens]


def _greedy(tokens: list[str], width: int, lens: list[int] | None = None) -> list[list[str]]:
    lens = lens or visible_lengths(tokens)
    lines: list[list[str]] = []
    cur: list[str] = []
    used = 0
    for tok, n in zip(tokens, lens):
        if cur and used + 1 + n > width:
            lines.append(cur)
            cur, used = [tok], n
        else:
            used = used + 1 + n if cur else n
            cur.append(tok)
    if cur:
        lines.append(cur)
    return lines


def line_count(tokens: list[str], max_chars: int) -> int:
    return len(_greedy(tokens, max_chars))


def fits(tokens: list[str], max_chars: int, max_lines: int) -> bool:
    """Whether the tokens fit one cue (a lone over-long word fits: it cannot be split)."""
    if len(tokens) <= 1:
        return True
    lens = visible_lengths(tokens)
    total = sum(lens) + len(tokens) - 1
    if total <= max_chars:
        return True
    if total > max_chars * max_lines:
        return False
    # Greedy wrapping gives the fewest lines; a line is only over-long when it is one over-long word.
    lines = 1
    used = 0
    for i, n in enumerate(lens):
        if i and used + 1 + n > max_chars:
            lines += 1
            used = n
        else:
            used = used + 1 + n if i else n
        if lines > max_lines:
            return False
    return True


def wrap(tokens: list[str], max_chars: int) -> list[str]:
    """Wrap into as few lines as greedy needs, then balance them (bottom-heavy pyramids read better than one
    full line and a dangling word), preferring a break after a clause for two lines."""
    if not tokens:
        return [""]
    lens = visible_lengths(tokens)
    total = sum(lens) + len(tokens) - 1
    if total <= max_chars:
        return [" ".join(tokens)]
    if total <= 2 * max_chars + 1:
        # A balanced two-line split exists exactly when greedy needs two lines (greedy uses the fewest lines).
        two = _best_two(tokens, max_chars, lens)
        if two is not None:
            return two
    greedy = _greedy(tokens, max_chars, lens)
    if len(greedy) == 1:
        return [" ".join(greedy[0])]
    if len(greedy) == 2:
        return [" ".join(ln) for ln in greedy]
    for width in range(math.ceil(total / len(greedy)), max_chars):
        lines = _greedy(tokens, width, lens)
        if len(lines) == len(greedy):
            return [" ".join(ln) for ln in lines]
    return [" ".join(ln) for ln in greedy]


def _best_two(tokens: list[str], max_chars: int, lens: list[int]) -> list[str] | None:
    total = sum(lens) + len(tokens) - 1
    best: tuple[float, int] | None = None
    left = -1
    for i in range(1, len(tokens)):
        left += lens[i - 1] + 1
        right = total - left - 1
        if left > max_chars or right > max_chars:
            continue
        cost = abs(left - right) - (8 if tokens[i - 1].endswith(_CLAUSE_END) else 0)
        if best is None or cost < best[0]:
            best = (cost, i)
    if best is None:
        return None
    i = best[1]
    return [" ".join(tokens[:i]), " ".join(tokens[i:])]


def rewrap(text: str, max_chars: int) -> str:
    """Re-lay out a cue's text (all whitespace, including old line breaks, is a word boundary)."""
    return "\n".join(wrap(text.split(), max_chars))
