"""Finding 5: signed upload URLs, signature included (valid 4 h), were written to the access log. A real
uvicorn server's own access log (its handlers, its formatter, stdout and stderr) must show `?[redacted]` instead."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.app import create_app
from store.keys import create_key, get_or_create_account
from tests.integration.api.conftest import auth, settings_for
from tests.support.samples import sample_wav


@pytest.mark.parametrize("log_format", ["text", "json"])
async def test_signed_upload_urls_never_reach_the_access_log(
    tmp_path: Path, sqlite_url: str, kafka_bootstrap: str, topic_prefix: str, capfd: pytest.CaptureFixture[str],
    log_format: str,
) -> None:
    app = create_app(settings_for(tmp_path, sqlite_url, kafka_bootstrap, topic_prefix, log_format=log_format))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, access_log=True, log_level="info"))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        async with app.state.parlance.sessions.begin() as session:
            account = await get_or_create_account(session, f"acct-{uuid.uuid4().hex[:8]}", "business")
            _, key = await create_key(session, account)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            r = await client.post("/v1/jobs", headers=auth(key), json={"filename": "call.wav"})
            assert r.status_code == 201, r.text
            upload_url = r.json()["data"]["upload_url"]
            signature = upload_url.split("signature=")[1]
            put = await client.put(upload_url, content=sample_wav().read_bytes(), headers={"Content-Type": "audio/wav"})
            assert put.status_code == 200, put.text
            bad = await client.put(upload_url.replace(signature, "0" * 64), content=b"x")
            assert bad.status_code in (403, 409)
    finally:
        server.should_exit = True
        await serving
    captured = capfd.readouterr()
    err = captured.out + captured.err  # uvicorn's access log goes to stdout, its error log to stderr
    job_id = r.json()["data"]["id"]
    assert f"/v1/uploads/{job_id}?[redacted]" in err, err[-2000:]  # the access log did log the request
    assert signature not in err and "signature=" not in err


def test_presigned_object_store_urls_are_redacted_too() -> None:
    """With an S3 object store the upload URL is the bucket's presigned PUT; its signature never reaches a log."""
    from api.logs import redact

    line = ('PUT https://bucket.s3.example/uploads/j1?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2026'
            '&X-Amz-Security-Token=tok&X-Amz-Signature=abc123 "200"')
    cleaned = redact(line)
    assert "AKIA" not in cleaned and "abc123" not in cleaned and "tok&" not in cleaned
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in cleaned and cleaned.endswith('"200"')
    assert redact("GET /v1/jobs?limit=5&status=queued") == "GET /v1/jobs?limit=5&status=queued"
