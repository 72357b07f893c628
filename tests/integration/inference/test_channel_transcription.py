"""A stereo call in `channel` diarization mode through the real job path: the Serve ASR application (tiny.en,
each channel's clips in the same batches), the diarization application's channel mode, and the merge.

The call (`benchmarks.stereo_channels.overlapping_call`) is espeak-ng speech, one party per channel, with what
real call recorders add: each party bleeds into the other's channel 20 dB down, and at the end both talk at once.
Every turn must come back once, with its party's speaker: not doubled by the bleed, and both parties' words
present where they overlap.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pyannote.audio", reason="channel diarization needs torch + pyannote.audio (docs/diarization.md)")

from benchmarks.stereo_channels import overlapping_call, transcribe_call
from inference.config import InferenceConfig
from inference.runtime import RayRuntime

pytestmark = pytest.mark.slow

if shutil.which("espeak-ng") is None:
    pytest.skip("espeak-ng synthesises the call (scripts/system-deps.sh)", allow_module_level=True)

# Share of a turn's words that must come back with its speaker (tiny.en mishears some espeak words).
TURN_RECALL_MIN = 0.6


def words_of(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower()).split()


@pytest.fixture(scope="module")
def runtime() -> Iterator[RayRuntime]:
    cfg = InferenceConfig(ray_num_cpus=2, ray_object_store_bytes=256 * 1024 * 1024)
    runtime = RayRuntime(cfg)
    runtime.start()
    yield runtime
    runtime.stop()


async def test_every_turn_of_a_stereo_call_comes_back_once_with_its_party(runtime: RayRuntime, tmp_path: Path) -> None:
    path, turns = overlapping_call(tmp_path)
    merged = await transcribe_call(runtime, path)
    for segment in merged.segments:
        print(f"{segment.start:6.2f}-{segment.end:6.2f} {segment.speaker}: {segment.text}")  # shown with -s or on failure
    party_label = {s.source: s.label for s in merged.speakers or []}
    assert set(party_label) == {"channel_1", "channel_2"}
    label = [party_label["channel_1"], party_label["channel_2"]]
    said = [(re.sub(r"[^\w]", "", w.word.lower()), w.start, w.end, w.speaker) for w in merged.words]
    for party, text, start, end in turns:
        inside = [(token, speaker) for token, a, b, speaker in said if a < end + 0.3 and b > start - 0.3]
        expected = words_of(text)
        own = [token for token, speaker in inside if speaker == label[party]]
        found = sum(1 for token in expected if token in own)
        assert found >= TURN_RECALL_MIN * len(expected), (text, own)
        # Not doubled: the other party says none of this turn's words (the bleed on its channel was dropped).
        doubled = [token for token, speaker in inside if speaker == label[1 - party] and token in expected]
        assert not doubled, (text, doubled, inside)
        # Once: no word of the turn comes back twice from its own speaker.
        repeats = [token for token in set(own) if token in expected and own.count(token) > expected.count(token)]
        assert not repeats, (text, own)
    # Words are in time order, and every segment has one of the two parties.
    assert [w.start for w in merged.words] == sorted(w.start for w in merged.words)
    assert {s.speaker for s in merged.segments} == set(label)
