"""A job event's payload: the links only a completed job has, the error only a failed one has, and the stored
form (a JSON column) reading back into the body that is sent with every value intact."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import get_args

from schemas.events import WEBHOOK_EVENTS, ErrorInfo, JobCompleted, JobCompletedPayload, JobFailed, JobFailedPayload
from store.models import Job
from webhooks.payloads import JobEventBody, JobEventName, JobEventPayload, job_event_payload

CREATED = datetime(2026, 11, 30, 9, 0, 0, tzinfo=timezone.utc)


def _job(status: str, **fields: object) -> Job:
    return Job(id="job_1", account_id="acct", status=status, created_at=CREATED, sandbox=False,
               options={"metadata": {"crm": "42"}}, **fields)


def test_the_subscribable_events_are_the_terminal_ones() -> None:
    assert get_args(JobEventName) == WEBHOOK_EVENTS


def test_a_completed_job_links_its_result_and_every_export() -> None:
    job = _job("completed", completed_at=CREATED.replace(minute=5, microsecond=250), duration=31.2)
    event = JobCompleted(job_id="job_1", account_id="acct", payload=JobCompletedPayload(result_key="r", duration=31.2, language="en"))
    payload = job_event_payload(job, event, "https://api.example/")
    assert payload.result_url == "https://api.example/v1/jobs/job_1/result"
    assert payload.exports["srt"] == "https://api.example/v1/jobs/job_1/exports/srt" and len(payload.exports) == 6
    assert (payload.error, payload.metadata, payload.duration) == (None, {"crm": "42"}, 31.2)
    stored = payload.model_dump(mode="json")
    assert stored["completed_at"] == "2026-11-30T09:05:00.000250Z" and stored["status"] == "completed"
    # What the dispatcher sends is the stored row read back plus the delivery id: every value survives the trip.
    body = JobEventBody.model_validate({**stored, "delivery_id": "dlv_1"}).model_dump_json()
    assert json.loads(body) == {**stored, "delivery_id": "dlv_1"}
    assert JobEventPayload.model_validate(stored) == payload


def test_a_failed_job_carries_its_error_and_no_links() -> None:
    job = _job("failed", error_code="media_decode_error", error_message="bad")
    event = JobFailed(job_id="job_1", account_id="acct", payload=JobFailedPayload(stage=None, error=ErrorInfo(code="media_decode_error", message="bad")))
    payload = job_event_payload(job, event, None)
    assert (payload.exports, payload.result_url, payload.completed_at) == ({}, None, None)
    assert payload.error is not None and (payload.error.code, payload.error.message) == ("media_decode_error", "bad")
