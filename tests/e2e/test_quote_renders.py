"""Issue 17.1 through the whole stack (`parlance up`: the API, Kafka, the Faust worker's `render_quotes` agent):
a sandbox job's quotes rendered as an image card by the worker, and the PNG served back. A sandbox job keeps no
listening copy, so this card comes without a clip (tests/integration/issue17/test_quotes.py covers clips and
video on real audio)."""

from __future__ import annotations

import io
import time

from PIL import Image

from tests.e2e.conftest import Stack, wait_for_job


def test_worker_renders_a_quote_card(stack: Stack) -> None:
    key = stack.new_key(test=True)
    with stack.client(key) as client:
        r = client.post("/v1/jobs", json={"media_url": "https://93.184.216.34/a.wav", "options": {"sandbox": {"finish_in": 0}}})
        assert r.status_code == 201, r.text
        job, _ = wait_for_job(client, r.json()["data"]["id"], timeout_s=60)
        assert job["status"] == "completed"
        quotes = client.get(f"/v1/jobs/{job['id']}/quotes").json()["data"]
        assert quotes, "the sandbox sample call has quotable sentences"
        qid = quotes[0]["id"]
        assert client.post(f"/v1/quotes/{qid}/render-image").status_code == 202
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            render = client.get(f"/v1/render/ri_{qid}").json()["data"]
            if render["status"] in ("completed", "failed"):
                break
            time.sleep(0.3)
        assert render["status"] == "completed", render
        png = client.get(render["url"])
        assert png.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(png.content)).size == (1080, 1080)
