"""`POST /v1/jobs/{id}/uploaded` on the local store, where upload URLs are the API's own: a client that always
calls it works with either store (409 before the upload, the job as it is after)."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.integration.api.conftest import Env, auth
from tests.support.samples import sample_wav


async def test_uploaded_is_safe_to_call_with_the_api_upload_route(env: Env) -> None:
    key = await env.key()
    created = (await env.client.post("/v1/jobs", headers=auth(key), json={"filename": "call.wav"})).json()["data"]
    url = urlsplit(created["upload_url"])
    assert url.path == f"/v1/uploads/{created['id']}"  # the API's own signed route, not a store's
    before = await env.client.post(f"/v1/jobs/{created['id']}/uploaded", headers=auth(key))
    assert before.status_code == 409
    put = await env.client.put(f"{url.path}?{url.query}", content=sample_wav().read_bytes(), headers={"Content-Type": "audio/wav"})
    assert put.status_code == 200, put.text
    after = await env.client.post(f"/v1/jobs/{created['id']}/uploaded", headers=auth(key))
    assert after.status_code == 200 and after.json()["data"]["status"] == "queued"
    other = await env.key()  # tenancy: another account's key sees no such job
    assert (await env.client.post(f"/v1/jobs/{created['id']}/uploaded", headers=auth(other))).status_code == 404
