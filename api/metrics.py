"""Prometheus metrics: request latency by route template and status, and jobs by status (read from the job store
on each scrape). Stage durations are the worker's (streams/metrics.py); they show here too because both live in
prometheus-client's default registry.

The metric objects are process-wide, in that default registry: under `parlance up` (API and worker in one
process) one `/metrics` shows both. That is the one deliberate exception to "nothing built at import": a
registry per app would need the orchestrator to hold the API's app, and several apps in one process (tests)
would each want their own copy of the same series.
"""

from __future__ import annotations

import time

from fastapi import APIRouter, FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import StateDep
from schemas.events import JobStatus
from store.jobs import count_all_by_status

REQUEST_SECONDS = Histogram(
    "parlance_http_request_duration_seconds",
    "API request latency by route template, method and status.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
JOBS = Gauge("parlance_jobs", "Jobs in the job store by status (read on scrape).", ["status"])
def route_template(scope: Scope) -> str:
    """The matched route's full template. FastAPI keeps routers included with a prefix as their own routes, so
    `scope["route"]` has the path without the prefix; the effective route context has the full one."""
    context = (scope.get("fastapi") or {}).get("effective_route_context")
    template = getattr(context, "path_format", None)
    if template:
        return str(template)
    route = scope.get("route")
    return str(getattr(route, "path_format", None) or getattr(route, "path", None) or "<unmatched>")


class RequestMetrics:
    """Times every HTTP request. The label is the matched route's template (`/v1/jobs/{job_id}`), never the raw
    path, so ids do not explode the series; unmatched paths share one label."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            template = route_template(scope)
            if template != "/metrics":
                REQUEST_SECONDS.labels(method=scope.get("method", ""), route=template, status=str(status)).observe(
                    time.perf_counter() - start
                )


router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def metrics(state: StateDep) -> Response:
    """Prometheus text format. One GROUP BY on the indexed status column per scrape."""
    async with state.sessions() as session:
        counts = await count_all_by_status(session)
    for status in JobStatus:
        JOBS.labels(status=status.value).set(counts.get(status.value, 0))
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def install_metrics(app: FastAPI) -> None:
    app.add_middleware(RequestMetrics)
    app.include_router(router)
