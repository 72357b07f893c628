"""`parlance transcribe`: a REST client that submits a file, follows the job and prints the transcript."""

from __future__ import annotations

import json
import mimetypes
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from schemas.result import Transcript

TERMINAL = {"completed", "failed", "canceled"}


class ApiCallFailed(Exception):
    def __init__(self, status: int, type_: str, message: str) -> None:
        super().__init__(f"{status} {type_}: {message}")
        self.status, self.type, self.message = status, type_, message


class JobFailed(Exception):
    def __init__(self, job: dict[str, Any]) -> None:
        error = job.get("error") or {}
        super().__init__(f"job {job['id']} {job['status']}: {error.get('code')}: {error.get('message')}")
        self.job = job


def _data(response: httpx.Response) -> Any:
    if response.is_success:
        return response.json()["data"]
    try:
        error = response.json()["error"]
        raise ApiCallFailed(response.status_code, error["type"], error["message"])
    except (ValueError, KeyError):
        raise ApiCallFailed(response.status_code, "http_error", response.text[:500]) from None


def _get_respecting_limits(client: httpx.Client, path: str, max_wait_s: float = 120.0) -> httpx.Response:
    """GET that waits out a 429 (Retry-After) instead of failing: polling must not break on a low plan limit."""
    while True:
        response = client.get(path)
        if response.status_code != 429:
            return response
        wait = float(response.headers.get("retry-after", "1") or 1)
        if wait > max_wait_s:
            return response
        time.sleep(max(wait, 0.5))


@dataclass
class ParlanceClient:
    base_url: str
    api_key: str
    timeout_s: float = 60.0

    def _client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"Bearer {self.api_key}"}, timeout=self.timeout_s
        )

    def submit(self, path: Path, options: dict[str, Any] | None = None) -> dict[str, Any]:
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        with self._client() as client, path.open("rb") as fh:
            response = client.post(
                "/v1/jobs",
                files={"file": (path.name, fh, content_type)},
                data={"options": json.dumps(options or {})},
            )
        return _data(response)

    def get_job(self, job_id: str) -> dict[str, Any]:
        with self._client() as client:
            return _data(client.get(f"/v1/jobs/{job_id}"))

    def wait(self, job_id: str, console: Console | None = None, poll_s: float = 0.5, timeout_s: float = 24 * 3600) -> dict[str, Any]:
        """Poll until the job ends; shows a progress bar driven by the job's progress when a console is given."""
        deadline = time.monotonic() + timeout_s
        with self._client() as client:
            if console is None:
                while True:
                    job = _data(_get_respecting_limits(client, f"/v1/jobs/{job_id}"))
                    if job["status"] in TERMINAL or time.monotonic() > deadline:
                        return job
                    time.sleep(poll_s)
            columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
            with Progress(*columns, console=console, transient=True) as progress:
                task = progress.add_task("queued", total=100)
                while True:
                    job = _data(_get_respecting_limits(client, f"/v1/jobs/{job_id}"))
                    progress.update(task, completed=job["progress"], description=job["stage"] or job["status"])
                    if job["status"] in TERMINAL or time.monotonic() > deadline:
                        return job
                    time.sleep(poll_s)

    def result(self, job_id: str) -> Transcript:
        with self._client() as client:
            return Transcript.model_validate(_data(_get_respecting_limits(client, f"/v1/jobs/{job_id}/result")))

    def transcribe(self, path: Path, options: dict[str, Any] | None = None, console: Console | None = None) -> Transcript:
        job = self.submit(path, options)
        job = self.wait(job["id"], console)
        if job["status"] != "completed":
            raise JobFailed(job)
        return self.result(job["id"])
