"""Running the processes: the API (uvicorn), the worker (Faust), or both in one process (`parlance up`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator

import faust
import uvicorn

from api.app import create_app as create_api
from api.settings import ApiSettings
from metering.clickhouse import ClickHouseClients
from streams.app import WorkerApp
from streams.app import create_app as create_worker
from streams.settings import WorkerSettings

log = logging.getLogger(__name__)


class _QuietSignalsServer(uvicorn.Server):
    """uvicorn inside the Faust worker's loop: Faust owns the signals and tells the server when to stop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class EmbeddedApi:
    """The API served from the worker process (a WorkerApp companion)."""

    def __init__(self, settings: ApiSettings, clickhouse: Callable[[], ClickHouseClients | None] | None = None) -> None:
        config = uvicorn.Config(
            create_api(settings, clickhouse=clickhouse),
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level.lower(),
        )
        self._server = _QuietSignalsServer(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._server.serve(), name="embedded-api")
        while not self._server.started:
            if self._task.done():
                self._task.result()  # raises the startup error (port taken, ...)
                raise RuntimeError("the API stopped during startup")
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        self._server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._task, timeout=15)


def run_api(settings: ApiSettings) -> None:
    uvicorn.run(create_api(settings), host=settings.host, port=settings.port, log_level=settings.log_level.lower())


def _run_faust(app: WorkerApp, settings: WorkerSettings) -> None:
    worker = faust.Worker(app, loglevel=settings.log_level.lower(), redirect_stdouts=False)
    worker.execute_from_commandline()


def run_worker(settings: WorkerSettings) -> None:
    if settings.worker_metrics_port is not None:
        # Under `parlance up` the API's /metrics shows the worker's series; a lone worker needs its own endpoint.
        from prometheus_client import start_http_server

        start_http_server(settings.worker_metrics_port)
    _run_faust(create_worker(settings), settings)


def run_all(api_settings: ApiSettings, worker_settings: WorkerSettings) -> None:
    """API and worker in one process (one owner for local state such as an embedded database).

    chDB opens one data directory per process: the worker's resources open ClickHouse (before companions
    start) and the API uses those same clients instead of opening the directory a second time.
    """
    app = create_worker(worker_settings)
    app.companions.append(EmbeddedApi(api_settings, clickhouse=lambda: app.resources.clickhouse))
    _run_faust(app, worker_settings)
