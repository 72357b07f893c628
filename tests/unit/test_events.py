"""The event envelope and its tagged union: one model on both sides of Kafka."""

from __future__ import annotations

import json

import pytest
from faust.serializers import codecs

from schemas.codec import register_codec
from schemas.events import (
    SCHEMA_VERSION,
    ErrorInfo,
    EventDecodeError,
    JobCanceled,
    JobCompleted,
    JobCompletedPayload,
    JobCreated,
    JobCreatedPayload,
    JobFailed,
    JobFailedPayload,
    JobProgress,
    JobQueued,
    JobStageCompleted,
    JobStageStarted,
    ProgressPayload,
    Stage,
    StageCompletedPayload,
    StagePayload,
    decode_event,
    encode_event,
)
from schemas.options import JobOptions

IDS = {"job_id": "job-1", "account_id": "acct-1"}

ALL_EVENTS = [
    JobCreated(**IDS, payload=JobCreatedPayload(media_key="m", filename="a.wav", content_type="audio/wav", size_bytes=3, options=JobOptions(language="en"))),
    JobQueued(**IDS),
    JobStageStarted(**IDS, payload=StagePayload(stage=Stage.decoding)),
    JobProgress(**IDS, payload=ProgressPayload(stage=Stage.transcribing, progress=42, completed=2, total=5)),
    JobStageCompleted(**IDS, payload=StageCompletedPayload(stage=Stage.transcribing, elapsed_s=1.5)),
    JobCompleted(**IDS, payload=JobCompletedPayload(result_key="r", duration=30.0, language="en")),
    JobFailed(**IDS, payload=JobFailedPayload(stage=Stage.decoding, error=ErrorInfo(code="media_decode_error", message="bad"))),
    JobCanceled(**IDS),
]


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda e: e.type)
def test_round_trip_keeps_type_and_fields(event: object) -> None:
    decoded = decode_event(encode_event(event))  # type: ignore[arg-type]
    assert type(decoded) is type(event)
    assert decoded == event


def test_envelope_carries_the_documented_fields() -> None:
    body = json.loads(encode_event(ALL_EVENTS[1]))
    assert {"event_id", "type", "schema_version", "job_id", "account_id", "occurred_at", "payload"} <= body.keys()
    assert body["schema_version"] == SCHEMA_VERSION
    assert body["occurred_at"].endswith("Z")


def test_event_ids_are_unique_per_event() -> None:
    assert JobQueued(**IDS).event_id != JobQueued(**IDS).event_id


@pytest.mark.parametrize(
    "raw",
    [b"not json", b"{}", b'{"type": "job.exploded", "job_id": "j", "account_id": "a"}', b'{"type": "job.progress", "job_id": "j", "account_id": "a", "payload": {"stage": "transcribing", "progress": 101, "completed": 0, "total": 0}}'],
)
def test_garbage_and_unknown_types_raise_decode_error(raw: bytes) -> None:
    with pytest.raises(EventDecodeError):
        decode_event(raw)


def test_newer_schema_version_is_refused_not_misread() -> None:
    body = json.loads(encode_event(ALL_EVENTS[1]))
    body["schema_version"] = SCHEMA_VERSION + 1
    with pytest.raises(EventDecodeError, match="schema_version"):
        decode_event(json.dumps(body))


def test_faust_codec_decodes_what_the_api_encodes() -> None:
    name = register_codec()
    codec = codecs.get_codec(name)
    for event in ALL_EVENTS:
        assert codec.loads(encode_event(event)) == event
        assert codec.dumps(event) == encode_event(event)
