"""usage.recorded: deterministic ids, wire format, refusal of what this process cannot read."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from metering.events import UsageDecodeError, UsageRecorded, decode_usage, encode_usage, usage_event_id


def _event(**overrides: object) -> UsageRecorded:
    fields: dict[str, object] = dict(
        account_id="acct", job_id="job-1", quantity_seconds=12.5, billable_seconds=15, plan="pro",
        occurred_at=datetime(2025, 1, 31, 23, 0, tzinfo=timezone.utc), cost_cents=Decimal("0.3750"),
    )
    fields.update(overrides)
    return UsageRecorded.for_job(**fields)  # type: ignore[arg-type]


def test_event_id_is_derived_from_job_and_kind() -> None:
    assert _event().event_id == _event().event_id == usage_event_id("job-1", "transcription_seconds")
    assert _event(kind="diarization_seconds").event_id != _event().event_id
    assert _event(job_id="job-2").event_id != _event().event_id


def test_round_trip() -> None:
    event = _event()
    assert decode_usage(encode_usage(event)) == event


def test_occurred_at_is_normalised_to_utc_and_must_be_aware() -> None:
    plus2 = timezone(timedelta(hours=2))
    event = _event(occurred_at=datetime(2025, 2, 1, 1, 0, tzinfo=plus2))
    assert event.occurred_at == datetime(2025, 1, 31, 23, 0, tzinfo=timezone.utc)
    assert event.occurred_at.tzinfo == timezone.utc
    with pytest.raises(ValueError):
        _event(occurred_at=datetime(2025, 1, 1))


@pytest.mark.parametrize("raw", [b"not json", b"{}", encode_usage(_event()).replace(b'"schema_version":1', b'"schema_version":9')])
def test_undecodable_or_newer_events_are_refused(raw: bytes) -> None:
    with pytest.raises(UsageDecodeError):
        decode_usage(raw)
