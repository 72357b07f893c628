"""The job state machine: allowed transitions and how each event projects onto the row."""

from __future__ import annotations

import pytest

from schemas.events import (
    ErrorInfo,
    JobCanceled,
    JobCompleted,
    JobCompletedPayload,
    JobFailed,
    JobFailedPayload,
    JobProgress,
    JobQueued,
    QueuedPayload,
    QueuedReason,
    JobStageStarted,
    ProgressPayload,
    Stage,
    StagePayload,
)
from jobs.lifecycle import InvalidTransition, apply_event
from store.models import Job

IDS = {"job_id": "j", "account_id": "a"}


def _job(status: str) -> Job:
    return Job(id="j", account_id="a", status=status, progress=0, options={})


def _progress(p: int) -> JobProgress:
    return JobProgress(**IDS, payload=ProgressPayload(stage=Stage.transcribing, progress=p, completed=0, total=1))


def test_happy_path_projects_every_field() -> None:
    job = _job("pending")
    apply_event(job, JobQueued(**IDS))
    assert job.status == "queued" and job.queued_at is not None
    job.status = "processing"  # the claim (compare-and-set in store.jobs) does this
    apply_event(job, JobStageStarted(**IDS, payload=StagePayload(stage=Stage.decoding)))
    assert job.stage == "decoding" and job.started_at is not None
    apply_event(job, _progress(40))
    done = JobCompleted(**IDS, payload=JobCompletedPayload(result_key="r", duration=12.5, language="en"))
    apply_event(job, done)
    assert (job.status, job.progress, job.duration, job.language, job.result_key) == ("completed", 100, 12.5, "en", "r")
    assert job.completed_at == done.occurred_at and job.stage is None


def test_progress_never_moves_backwards() -> None:
    job = _job("processing")
    apply_event(job, _progress(60))
    apply_event(job, _progress(30))  # a slower actor's batch reported late
    assert job.progress == 60


@pytest.mark.parametrize(
    "status,event",
    [
        ("completed", JobStageStarted(**IDS, payload=StagePayload(stage=Stage.decoding))),
        ("completed", JobFailed(**IDS, payload=JobFailedPayload(stage=None, error=ErrorInfo(code="x", message="y")))),
        ("failed", JobCompleted(**IDS, payload=JobCompletedPayload(result_key="r", duration=1, language="en"))),
        ("canceled", JobProgress(**IDS, payload=ProgressPayload(stage=Stage.transcribing, progress=1, completed=0, total=1))),
        ("queued", JobQueued(**IDS)),
        ("completed", JobCanceled(**IDS)),
    ],
)
def test_finished_or_wrong_state_rejects_the_event(status: str, event: object) -> None:
    job = _job(status)
    with pytest.raises(InvalidTransition):
        apply_event(job, event)  # type: ignore[arg-type]
    assert job.status == status


def test_failure_records_code_and_message() -> None:
    job = _job("processing")
    apply_event(job, JobFailed(**IDS, payload=JobFailedPayload(stage=Stage.decoding, error=ErrorInfo(code="media_decode_error", message="empty file"))))
    assert (job.status, job.error_code, job.error_message) == ("failed", "media_decode_error", "empty file")
    assert job.lease_owner is None


def test_the_reaper_takes_a_job_back_from_a_lost_worker() -> None:
    job = _job("processing")
    job.lease_owner, job.stage, job.progress = "dead-worker", "transcribing", 40
    apply_event(job, JobQueued(**IDS, payload=QueuedPayload(reason=QueuedReason.lease_expired)))
    assert (job.status, job.stage, job.progress, job.lease_owner, job.lease_expires_at) == ("queued", None, 0, None, None)


@pytest.mark.parametrize(
    "status,reason",
    [
        ("queued", QueuedReason.lease_expired),  # only a processing job has a lease to lose
        ("completed", QueuedReason.lease_expired),
        ("processing", QueuedReason.reannounced),  # only a queued job is announced again
        ("failed", QueuedReason.reannounced),
    ],
)
def test_recovery_applies_only_where_its_reason_holds(status: str, reason: QueuedReason) -> None:
    job = _job(status)
    with pytest.raises(InvalidTransition):
        apply_event(job, JobQueued(**IDS, payload=QueuedPayload(reason=reason)))
    assert job.status == status


def test_an_upload_that_never_came_fails_the_pending_job() -> None:
    job = _job("pending")
    apply_event(job, JobFailed(**IDS, payload=JobFailedPayload(stage=None, error=ErrorInfo(code="upload_expired", message="m"))))
    assert (job.status, job.error_code) == ("failed", "upload_expired")
