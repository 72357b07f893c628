"""Structured logs: one JSON formatter, a request id per HTTP request, the job id where one is known.

`PARLANCE_LOG_FORMAT=json` switches every handler of the root and uvicorn loggers to `JsonFormatter`; the
default (`text`) leaves local logs as they are. The request id comes from `X-Request-ID` (when it is a sane
token) or is generated, is echoed in the response header, and rides a context variable into every record
logged while the request runs; the job id comes from the route's `{job_id}` or from `schemas.context.bind_job_id`
(the context variables live there, so the worker binds them without importing the API).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import datetime, timezone
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schemas.context import bind_job_id, bind_request_id, job_id_var, request_id_var

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")

_scope_var: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("parlance_scope", default=None)

# LogRecord attributes that are not `extra` fields.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def current_job_id() -> str | None:
    """The bound job id, else the `{job_id}` of the HTTP route being served."""
    job_id = job_id_var.get()
    if job_id is not None:
        return job_id
    scope = _scope_var.get()
    if scope is not None:  # the router stores path params in the request's scope once it matched
        value = (scope.get("path_params") or {}).get("job_id")
        return str(value) if value is not None else None
    return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, request_id, job_id, extras, exc_info."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        job_id = getattr(record, "job_id", None) or current_job_id()
        if request_id:
            doc["request_id"] = request_id
        if job_id:
            doc["job_id"] = job_id
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in doc:
                doc[key] = value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)
        if record.exc_info:
            doc["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False)


# A signed route's query string is its credential (upload URLs: `expires` + `signature`, valid for hours), and
# access logs, error logs and HTTP client logs all print URLs. Every such query string becomes "?[redacted]".
SIGNED_ROUTES = ("/v1/uploads/",)
_SIGNED_QUERY = re.compile("(" + "|".join(re.escape(r) for r in SIGNED_ROUTES) + r"[^?\s\"']*)\?[^\s\"']*")
_LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "httpx")


# Presigned object-store URLs (S3: X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token) and any other
# `signature=` parameter are credentials wherever they appear.
_SIGNED_PARAM = re.compile(r"(?i)(\b(?:x-amz-)?(?:signature|credential|security-token)=)[^&\s\"']+")


def redact(text: str) -> str:
    """`text` with the query string of every signed-route URL, and every signature parameter, replaced."""
    return _SIGNED_PARAM.sub(r"\1[redacted]", _SIGNED_QUERY.sub(r"\1?[redacted]", text))


class RedactSignedUrls(logging.Filter):
    """Rewrites a record's message and arguments in place (keeping their types: uvicorn's access formatter
    unpacks a 5-tuple of arguments), so every formatter and handler sees the redacted line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


_REDACTION = RedactSignedUrls()


def install_redaction() -> None:
    """Idempotent: the filter on the loggers that print URLs and on every handler they have now (a handler
    filter also catches records propagated from child loggers)."""
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if _REDACTION not in logger.filters:
            logger.addFilter(_REDACTION)
        for handler in logger.handlers:
            if _REDACTION not in handler.filters:
                handler.addFilter(_REDACTION)


def configure_logging(log_format: str, level: str = "INFO") -> None:
    """Idempotent. Signed URLs are always redacted (`install_redaction`). `json`: every handler of the root and
    uvicorn loggers formats with JsonFormatter (a stderr handler is added to the root when it has none).
    `text`: the format stays as it is."""
    install_redaction()
    if log_format != "json":
        return
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
        root.setLevel(level.upper())
    formatter = JsonFormatter()
    for name in ("", "uvicorn", "uvicorn.error", "uvicorn.access"):
        for handler in logging.getLogger(name).handlers:
            handler.setFormatter(formatter)
    install_redaction()  # the root handler added above


class RequestContext:
    """Gives each HTTP request its id (echoed as `X-Request-ID`) and makes it, and the request's job id, visible
    to log records."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(REQUEST_ID_HEADER.lower().encode(), b"").decode("latin-1")
        request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        tokens = (bind_request_id(request_id), _scope_var.set(scope), bind_job_id(None))
        # Left set when the app raises: the outermost error handler logs the exception with this request's ids
        # (uvicorn runs each request in its own task, so nothing leaks into the next one).
        await self.app(scope, receive, send_with_id)
        job_id_var.reset(tokens[2])
        _scope_var.reset(tokens[1])
        request_id_var.reset(tokens[0])


def install_request_context(app: FastAPI) -> None:
    app.add_middleware(RequestContext)
