"""The two JSON ways in, and sandbox keys, through the whole stack (`parlance up`, Kafka, the Faust worker):

- `filename` → signed upload URL → PUT of a real recording → transcribed;
- `media_url` → the worker downloads it from a local HTTP server → transcribed;
- an `sk_test_` key: no model runs and nothing is billed, the job stays processing for `finish_in` seconds,
  then completes with the sample result and fires its signed webhook like a real job.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import Stack, wait_for_job
from tests.e2e.test_webhooks_cancel import _Receiver, _valid, receiver  # noqa: F401 - the fixture is used below
from tests.support.samples import sample_wav


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def media_server(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "www"
    root.mkdir()
    (root / "call.wav").write_bytes(sample_wav().read_bytes())

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a: Any, **k: Any) -> None:
            super().__init__(*a, directory=str(root), **k)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_filename_then_signed_put_is_transcribed(stack: Stack) -> None:
    with stack.client(stack.new_key()) as client:
        r = client.post("/v1/jobs", json={"filename": "call.wav", "options": {"language": "en"}})
        assert r.status_code == 201, r.text
        created = r.json()["data"]
        assert created["status"] == "pending" and created["upload_url"]
        put = client.put(_path(created["upload_url"]), content=sample_wav().read_bytes(), headers={"Content-Type": "audio/wav"})
        assert put.status_code == 200, put.text
        job, _ = wait_for_job(client, created["id"])
        assert job["status"] == "completed", job["error"]
        text = client.get(f"/v1/jobs/{job['id']}/result").json()["data"]["text"]
        assert len(text.split()) > 20


def test_media_url_is_downloaded_by_the_worker(stack: Stack, media_server: str) -> None:
    with stack.client(stack.new_key()) as client:
        r = client.post("/v1/jobs", json={"media_url": f"{media_server}/call.wav"})
        assert r.status_code == 201, r.text
        job, _ = wait_for_job(client, r.json()["data"]["id"])
        assert job["status"] == "completed", job["error"]
        assert job["duration"] > 20
        missing = client.post("/v1/jobs", json={"media_url": f"{media_server}/missing.wav"}).json()["data"]
        failed, _ = wait_for_job(client, missing["id"])
        assert failed["status"] == "failed" and failed["error"]["code"] == "media_fetch_error"


def test_sandbox_job_waits_then_completes_unbilled_with_its_webhook(stack: Stack, receiver: _Receiver) -> None:
    key = stack.new_key()
    sandbox_key = stack.new_key(test=True)
    with stack.client(sandbox_key) as client:
        with sample_wav().open("rb") as fh:
            r = client.post("/v1/jobs", files={"file": ("sample.wav", fh, "audio/wav")},
                            data={"options": json.dumps({"sandbox": {"finish_in": 3}, "webhook_url": f"{receiver.url}/hook"})})
        assert r.status_code == 201, r.text
        created = r.json()["data"]
        assert created["sandbox"] is True
        started = time.monotonic()
        seen_processing = False
        while time.monotonic() - started < 60:
            job = client.get(f"/v1/jobs/{created['id']}").json()["data"]
            seen_processing |= job["status"] == "processing"
            if job["status"] in ("completed", "failed"):
                break
            time.sleep(0.2)
        assert seen_processing and job["status"] == "completed"
        assert time.monotonic() - started >= 3  # not before finish_in
        assert job["cost_cents"] is None
        result = client.get(f"/v1/jobs/{job['id']}/result").json()["data"]
        assert result["model"] == "sandbox" and result["words"]
        deadline = time.monotonic() + 30
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.2)
        [(path, headers, body)] = receiver.requests
        assert _valid(created["webhook_secret"], headers, body)
        assert json.loads(body)["event"] == "job.completed"
    # The sandbox account is not the live account: the live key cannot see the job.
    with stack.client(key) as client:
        assert client.get(f"/v1/jobs/{created['id']}").status_code == 404

