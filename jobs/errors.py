"""What a job use case refuses, in the domain's words; the API maps each to its envelope (api/errors.py)."""

from __future__ import annotations


class JobError(Exception):
    """Base of the job domain's refusals; `message` is safe to show the client."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class JobNotFound(JobError):
    """No such job for this account and world (test/live): another tenant's job is not found either."""


class JobConflict(JobError):
    """The job's state does not allow the request (cancel a finished job, retry a completed one...)."""


class QuotaRefused(JobError):
    """The account's plan refused the job's reservation."""


class InsufficientCredits(QuotaRefused):
    """A hard-capped plan has too few minutes left for this job."""


class ConcurrencyLimit(QuotaRefused):
    """The plan's number of jobs in flight is reached."""
