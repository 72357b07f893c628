"""One error base class, one handler, one envelope: {"error": {"type", "message", "status"}}.

Every error leaves through here, including FastAPI's validation errors, unknown routes (404) and wrong
methods (405), so clients parse a single shape.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from jobs import errors as jobs_errors
from schemas.validation import validation_message

log = logging.getLogger(__name__)

_STATUS_TYPES = {
    400: "validation_error",
    401: "unauthorized",
    402: "insufficient_credits",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class ErrorBody(BaseModel):
    type: str
    message: str
    status: int


class ErrorEnvelope(BaseModel):
    error: ErrorBody


class ApiError(Exception):
    status: int = 400
    type: str = "validation_error"

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}


class Unauthorized(ApiError):
    status, type = 401, "unauthorized"

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"WWW-Authenticate": "Bearer"})


class InsufficientCredits(ApiError):
    """The plan's hard cap has no minutes left for this job (the message says how many are)."""

    status, type = 402, "insufficient_credits"


class ConcurrencyLimit(ApiError):
    """The plan's number of jobs in flight is reached; retry when one finishes."""

    status, type = 429, "concurrency_limit"


class Forbidden(ApiError):
    status, type = 403, "forbidden"


class NotFound(ApiError):
    status, type = 404, "not_found"


class Conflict(ApiError):
    status, type = 409, "conflict"


class PayloadTooLarge(ApiError):
    status, type = 413, "payload_too_large"


class UnsupportedMediaType(ApiError):
    status, type = 415, "unsupported_media_type"


class ValidationFailed(ApiError):
    status, type = 422, "validation_error"


class Unavailable(ApiError):
    status, type = 503, "unavailable"


def error_response(status: int, type_: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorEnvelope(error=ErrorBody(type=type_, message=message, status=status))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


# The job domain's refusals (jobs/errors.py) in the API's words; most specific first.
_JOB_ERRORS: tuple[tuple[type[jobs_errors.JobError], type[ApiError]], ...] = (
    (jobs_errors.JobNotFound, NotFound),
    (jobs_errors.JobConflict, Conflict),
    (jobs_errors.InsufficientCredits, InsufficientCredits),
    (jobs_errors.ConcurrencyLimit, ConcurrencyLimit),
)


def from_job_error(exc: jobs_errors.JobError) -> ApiError:
    for domain, api in _JOB_ERRORS:
        if isinstance(exc, domain):
            return api(exc.message)
    raise TypeError(f"no API error for {type(exc).__name__}") from exc


@contextlib.contextmanager
def job_errors_as_api() -> Iterator[None]:
    """Around a job use case: its refusals leave as the API's errors, so every caller of `api.jobs` (the routes,
    the console's forms) handles one kind."""
    try:
        yield
    except jobs_errors.JobError as exc:
        raise from_job_error(exc) from exc


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.type, exc.message, exc.headers)

    @app.exception_handler(jobs_errors.JobError)
    async def _job_error(_: Request, exc: jobs_errors.JobError) -> JSONResponse:
        api = from_job_error(exc)
        return error_response(api.status, api.type, api.message, api.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "validation_error", validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Starlette answers 400 for a body it cannot parse (malformed multipart, bad form data); the contract
        # (docs/api.md) says an invalid body is 422 validation_error, like every other invalid input.
        status = 422 if exc.status_code == 400 else exc.status_code
        type_ = _STATUS_TYPES.get(status, "internal_error" if status >= 500 else "validation_error")
        message = str(exc.detail) if exc.detail else type_
        if status == 404 and exc.detail == "Not Found":
            message = "no such route"
        return error_response(status, type_, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        # This handler runs outside the middlewares, so the request id header is added here.
        request_id = request.scope.get("state", {}).get("request_id")
        headers = {"X-Request-ID": request_id} if request_id else None
        return error_response(500, "internal_error", "internal error; the incident was logged", headers)


def error_docs(*errors: type[ApiError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for route-specific errors (the common ones are on every route)."""
    return {e.status: {"model": ErrorEnvelope, "description": f"{e.type} error"} for e in errors}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorEnvelope, "description": f"{type_} error"}
    for code, type_ in _STATUS_TYPES.items()
    if code in (401, 403, 404, 405, 413, 415, 422, 429, 500, 503)
}
