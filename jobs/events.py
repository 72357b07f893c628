"""One constructor per job event, from the job it is about: the API's use cases, the orchestrator, the sandbox
and the reaper all build their events here (ids filled in, payloads typed)."""

from __future__ import annotations

from schemas.events import (
    ErrorInfo,
    JobCanceled,
    JobCanceledPayload,
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
    QueuedPayload,
    QueuedReason,
    Stage,
    StageCompletedPayload,
    StagePayload,
)
from schemas.options import JobOptions
from store.models import Job


def created(job: Job, options: JobOptions) -> JobCreated:
    payload = JobCreatedPayload(
        media_key=job.media_key,
        filename=job.filename,
        content_type=job.content_type,
        size_bytes=job.size_bytes,
        options=options,
        media_url=job.media_url,
    )
    return JobCreated(job_id=job.id, account_id=job.account_id, payload=payload)


def queued(job: Job, reason: QueuedReason = QueuedReason.submitted) -> JobQueued:
    return JobQueued(job_id=job.id, account_id=job.account_id, payload=QueuedPayload(reason=reason))


def stage_started(job: Job, stage: Stage) -> JobStageStarted:
    return JobStageStarted(job_id=job.id, account_id=job.account_id, payload=StagePayload(stage=stage))


def stage_completed(job: Job, stage: Stage, elapsed_s: float) -> JobStageCompleted:
    payload = StageCompletedPayload(stage=stage, elapsed_s=elapsed_s)
    return JobStageCompleted(job_id=job.id, account_id=job.account_id, payload=payload)


def progress(job: Job, stage: Stage, percent: int, completed: int, total: int) -> JobProgress:
    payload = ProgressPayload(stage=stage, progress=percent, completed=completed, total=total)
    return JobProgress(job_id=job.id, account_id=job.account_id, payload=payload)


def completed(job: Job, result_key: str, duration: float, language: str) -> JobCompleted:
    payload = JobCompletedPayload(result_key=result_key, duration=duration, language=language)
    return JobCompleted(job_id=job.id, account_id=job.account_id, payload=payload)


def failed(job: Job, stage: Stage | None, error: ErrorInfo) -> JobFailed:
    return JobFailed(job_id=job.id, account_id=job.account_id, payload=JobFailedPayload(stage=stage, error=error))


def canceled(job: Job, reason: str) -> JobCanceled:
    return JobCanceled(job_id=job.id, account_id=job.account_id, payload=JobCanceledPayload(reason=reason))
