"""/metrics, request ids and JSON logs."""

from __future__ import annotations

import json
import logging

import pytest

from api.logs import JsonFormatter, RequestContext  # noqa: F401 - the middleware under test
from schemas.context import bind_job_id, job_id_var
from streams.metrics import observe_stage
from tests.integration.api.conftest import Env, auth


async def test_metrics_show_requests_jobs_and_stages(env: Env) -> None:
    key = await env.key()
    await env.job_id(key)
    assert (await env.client.get("/v1/jobs/nope", headers=auth(key))).status_code == 404
    observe_stage("decoding", 0.25)
    r = await env.client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    # Route templates, never raw ids.
    assert 'route="/v1/jobs/{job_id}",status="404"' in text
    assert 'route="/v1/jobs",status="201"' in text
    assert "/v1/jobs/nope" not in text
    assert 'parlance_jobs{status="queued"} 1.0' in text
    assert 'parlance_jobs{status="completed"} 0.0' in text
    assert 'parlance_stage_duration_seconds_count{stage="decoding"}' in text


async def test_request_id_echoed_or_generated(env: Env) -> None:
    r = await env.client.get("/v1/pricing", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    generated = (await env.client.get("/v1/pricing", headers={"X-Request-ID": "bad id\n"})).headers["x-request-id"]
    assert generated != "bad id\n" and len(generated) == 32
    # Errors carry it too.
    assert "x-request-id" in (await env.client.get("/v1/jobs")).headers


async def test_json_logs_carry_request_and_job_ids(env: Env, caplog: pytest.LogCaptureFixture) -> None:
    key = await env.key()
    job_id = await env.job_id(key)
    records: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(JsonFormatter().format(record))

    logger = logging.getLogger("api.test_probe")
    handler = Capture()
    logger.addHandler(handler)
    try:
        import api.jobs.endpoints as endpoints

        original = endpoints.service.get_owned_job

        async def logged(state, principal, jid):  # type: ignore[no-untyped-def]
            logger.warning("reading job", extra={"extra_field": 7})
            return await original(state, principal, jid)

        endpoints.service.get_owned_job = logged  # type: ignore[assignment]
        try:
            r = await env.client.get(f"/v1/jobs/{job_id}", headers={**auth(key), "X-Request-ID": "req-1"})
        finally:
            endpoints.service.get_owned_job = original  # type: ignore[assignment]
    finally:
        logger.removeHandler(handler)
    assert r.status_code == 200
    doc = json.loads(records[-1])
    assert doc["request_id"] == "req-1" and doc["job_id"] == job_id
    assert doc["message"] == "reading job" and doc["level"] == "WARNING" and doc["extra_field"] == 7


def test_job_id_bound_outside_a_request_reaches_json_logs() -> None:
    """The worker binds a job id through schemas.context (it never imports api); the API's formatter reads it."""
    record = logging.makeLogRecord({"name": "streams.orchestrator", "levelname": "INFO", "msg": "stage done"})
    token = bind_job_id("job_worker_1")
    try:
        doc = json.loads(JsonFormatter().format(record))
    finally:
        job_id_var.reset(token)
    assert doc["job_id"] == "job_worker_1" and "request_id" not in doc
    assert "job_id" not in json.loads(JsonFormatter().format(record))
