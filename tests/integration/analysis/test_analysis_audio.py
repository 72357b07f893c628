"""End to end on audio: a call synthesised with espeak-ng (two voices) → ASR → diarization → analysis.

Skipped until the `analyzing` stage is wired into the orchestrator (see docs/analysis.md, "Wiring"): the test
belongs with that wiring, where it can submit the synthesised WAV over the API with `analysis: "pro"` and
`redact_pii: true` and check `ai_analysis` (roles, call type, PII types) and that no planted value reaches the
result or the exports.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.skip(reason="the analyzing stage is not wired into streams/orchestrator yet (lead's task)")


def test_synthesised_call_through_asr_diarization_and_analysis():  # pragma: no cover - skipped
    raise AssertionError("wire the analyzing stage first")
