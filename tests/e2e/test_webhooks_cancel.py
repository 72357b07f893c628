"""Webhooks and cancel through the whole stack: a real job completes and a receiver on 127.0.0.1 gets signed
POSTs (checked with the Standard Webhooks library, as a customer would) for the endpoint and for the job's webhook_url; the source media is
gone after completion; a job canceled right after submission ends canceled and never completes."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from tests.e2e.conftest import Stack, wait_for_job
from tests.support.samples import sample_wav


class _Receiver:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.requests.append((self.path, dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    rec = _Receiver()
    yield rec
    rec.server.shutdown()


def _valid(secret: str, headers: dict[str, str], body: bytes) -> bool:
    try:
        Webhook(secret).verify(body, headers)  # also refuses a timestamp more than 5 minutes away
    except WebhookVerificationError:
        return False
    return True


def test_completed_job_fires_signed_webhooks(stack: Stack, receiver: _Receiver) -> None:
    key = stack.new_key(scopes="jobs:read,jobs:write,webhooks:write")
    with stack.client(key) as client:
        hook = client.post("/v1/webhooks", json={"url": f"{receiver.url}/endpoint", "events": ["job.completed"]}).json()["data"]
        with sample_wav().open("rb") as fh:
            r = client.post("/v1/jobs", files={"file": ("sample.wav", fh, "audio/wav")},
                            data={"options": json.dumps({"webhook_url": f"{receiver.url}/job", "metadata": {"ref": "e2e"}})})
        assert r.status_code == 201, r.text
        created = r.json()["data"]
        job, _ = wait_for_job(client, created["id"])
        assert job["status"] == "completed"
        deadline = time.monotonic() + 30
        while len(receiver.requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        by_path = {path: (headers, body) for path, headers, body in receiver.requests}
        assert set(by_path) == {"/endpoint", "/job"}, receiver.requests
        for path, secret in (("/endpoint", hook["secret"]), ("/job", created["webhook_secret"])):
            headers, body = by_path[path]
            assert _valid(secret, headers, body), path
            payload = json.loads(body)
            assert (payload["event"], payload["job_id"], payload["status"]) == ("job.completed", job["id"], "completed")
            assert payload["metadata"] == {"ref": "e2e"} and payload["completed_at"] and "srt" in payload["exports"]
            assert headers["X-Parlance-Event"] == "job.completed" and headers["webhook-id"] == payload["delivery_id"]
        deliveries = client.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["data"]
        assert [(d["status"], len(d["attempts"])) for d in deliveries] == [("succeeded", 1)]
    media = Path(stack.env["PARLANCE_DATA_DIR"]) / "objects" / "media" / job["id"]
    assert not media.exists(), "source media is deleted once the job completes"


def test_cancel_right_after_submission_never_completes(stack: Stack) -> None:
    key = stack.new_key()
    with stack.client(key) as client, sample_wav().open("rb") as fh:
        created = client.post("/v1/jobs", files={"file": ("sample.wav", fh, "audio/wav")}).json()["data"]
        r = client.post(f"/v1/jobs/{created['id']}/cancel")
        assert r.status_code == 200, r.text
        assert r.json()["data"]["status"] == "canceled"
        time.sleep(8)  # longer than the job would take: the worker must not complete it behind the cancel
        job = client.get(f"/v1/jobs/{created['id']}").json()["data"]
        assert (job["status"], job["cost_cents"]) == ("canceled", None)
        assert client.get("/v1/account/usage").json()["data"]["minutes_reserved"] == 0
