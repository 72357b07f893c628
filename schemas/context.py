"""The request id and job id of the work running now, for log records.

Plain context variables, so the API (one request id per HTTP request) and the worker (one job id per job it
runs) tag their records without either importing the other's framework; a task started while an id is bound
inherits it. `api/logs.py` sets them from HTTP requests and its JSON formatter reads them.
"""

from __future__ import annotations

import contextvars

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("parlance_request_id", default=None)
job_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("parlance_job_id", default=None)


def bind_job_id(job_id: str | None) -> contextvars.Token[str | None]:
    """Tag every record logged from here on in this task (and tasks it starts) with `job_id`."""
    return job_id_var.set(job_id)


def bind_request_id(request_id: str | None) -> contextvars.Token[str | None]:
    """Tag every record logged from here on in this task (and tasks it starts) with `request_id`."""
    return request_id_var.set(request_id)
