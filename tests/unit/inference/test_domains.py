"""Issue 17.4: every domain the API accepts has a bundled context, and the hint string keeps the client's words."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from inference.domains import DOMAINS, domain_vocabulary
from inference.pipeline import asr_hints
from schemas.options import DomainName, JobOptions


def test_every_accepted_domain_has_a_context() -> None:
    assert set(DOMAINS) == set(DomainName.__args__)  # type: ignore[attr-defined]
    for context in DOMAINS.values():
        # Whisper's prompt holds ~224 tokens; the domain alone must leave room for a client's vocabulary.
        assert len(", ".join([context.prompt, *context.terms])) < 500


def test_order_and_cap_keep_the_clients_vocabulary() -> None:
    assert domain_vocabulary(None, ["Quvexa"]) == ["Quvexa"]
    hints = domain_vocabulary("legal", ["Quvexa", "Brightlink"])
    assert hints[:3] == [DOMAINS["legal"].prompt, "Quvexa", "Brightlink"]
    long_vocab = [f"Term{i:03d}xx" for i in range(100)]  # 100 terms of 10 characters: past the 800-character cap
    hotwords = asr_hints(domain_vocabulary("medical", long_vocab))["hotwords"]
    assert hotwords.startswith(DOMAINS["medical"].prompt) and "Term000xx" in hotwords and len(hotwords) <= 800


def test_unknown_domain_is_refused() -> None:
    assert JobOptions(domain="medical").domain == "medical"
    with pytest.raises(ValidationError):
        JobOptions.model_validate({"domain": "astrology"})
