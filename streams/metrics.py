"""Worker-side Prometheus series: how long jobs spend in each stage.

Registered in prometheus-client's default registry, the one the API's `/metrics` renders, so under
`parlance up` (API and worker in one process) one scrape shows both. A standalone worker exposes the same
registry on `PARLANCE_WORKER_METRICS_PORT` when that is set.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Histogram

from schemas.events import JobEvent, JobStageCompleted

STAGE_SECONDS = Histogram(
    "parlance_stage_duration_seconds",
    "Seconds a job spent in a stage (decoding, transcribing, ...), observed by the worker.",
    ["stage"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
)


def observe_stage(stage: str, seconds: float) -> None:
    STAGE_SECONDS.labels(stage=stage).observe(max(0.0, seconds))


def observe_committed(events: Iterable[JobEvent]) -> None:
    """Called after the transaction that recorded `events` committed (a rolled-back stage is not observed)."""
    for event in events:
        if isinstance(event, JobStageCompleted):
            observe_stage(event.payload.stage.value, event.payload.elapsed_s)
