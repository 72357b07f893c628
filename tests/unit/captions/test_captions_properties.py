"""Property tests: whatever the cues, fixing never drops or reorders words and never leaves overlaps or
non-positive durations — for every preset, and through a render → parse round trip."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from captions.fixes import apply_fixes
from captions.ir import Cue, words_of
from captions.parse import parse_bytes
from captions.presets import PRESETS
from captions.render import render

WORD = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzé,.?!'"), min_size=1, max_size=14).filter(lambda w: w.strip(",.?!'") != "")
LONG_WORD = st.text(alphabet="xyz", min_size=30, max_size=60)


@st.composite
def cue_lists(draw: st.DrawFn) -> list[Cue]:
    n = draw(st.integers(min_value=0, max_value=25))
    cues, t = [], draw(st.integers(0, 5000))
    for _ in range(n):
        words = draw(st.lists(st.one_of(WORD, LONG_WORD), min_size=1, max_size=30))
        sep = draw(st.sampled_from([" ", "\n"]))
        start = t + draw(st.integers(-3000, 3000))  # overlaps and equal starts on purpose
        start = max(start, cues[-1].start_ms if cues else 0)  # input in start order: order is what we keep
        dur = draw(st.integers(-500, 40_000))  # zero, negative and very long durations too
        speaker = draw(st.sampled_from([None, "A", "B"]))
        cues.append(Cue(start, start + dur, sep.join(words), speaker))
        t = start + max(dur, 0)
    return cues


def _all_words(cues: list[Cue]) -> list[str]:
    return [w for c in cues for w in words_of(c.text)]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cues=cue_lists(), preset=st.sampled_from(sorted(PRESETS)))
def test_fixes_keep_words_in_order_and_never_overlap(cues: list[Cue], preset: str) -> None:
    before = _all_words(cues)
    fixed, _ = apply_fixes(cues, PRESETS[preset])
    assert _all_words(fixed) == before
    for c in fixed:
        assert c.start_ms >= 0 and c.end_ms > c.start_ms
    for a, b in zip(fixed, fixed[1:]):
        assert a.end_ms <= b.start_ms


@settings(max_examples=40, deadline=None)
@given(cues=cue_lists(), preset=st.sampled_from(sorted(PRESETS)))
def test_fixed_output_round_trips_through_the_preset_format(cues: list[Cue], preset: str) -> None:
    from captions.ir import CaptionDoc

    rules = PRESETS[preset]
    fixed, _ = apply_fixes(cues, rules)
    out = render(CaptionDoc(fixed), rules.output_format)
    assert isinstance(out, str)
    if not fixed:
        return
    back = parse_bytes(out.encode()).doc.cues
    assert [(c.start_ms, c.end_ms) for c in back] == [(c.start_ms, c.end_ms) for c in fixed]
    assert _all_words(back) == _all_words(fixed)
