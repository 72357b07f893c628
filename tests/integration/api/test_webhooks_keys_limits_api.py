"""Contract tests for /v1/webhooks, /v1/keys and the per-key rate limit headers."""

from __future__ import annotations

from pathlib import Path

import httpx

from api.app import create_app
from tests.integration.api.conftest import Env, auth, settings_for


async def test_webhook_endpoints_crud_secret_once_and_tenancy(env: Env) -> None:
    key = await env.key(scopes=["jobs:read", "jobs:write", "webhooks:write"])
    r = await env.client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["job.completed"]}, headers=auth(key))
    assert r.status_code == 201, r.text
    hook = r.json()["data"]
    assert hook["secret"].startswith("whsec_") and hook["events"] == ["job.completed"]
    listed = (await env.client.get("/v1/webhooks", headers=auth(key))).json()
    assert [h["id"] for h in listed["data"]] == [hook["id"]] and listed["data"][0]["secret"] is None
    assert listed["pagination"] == {"total": 1, "limit": 20, "offset": 0, "has_more": False}
    deliveries = await env.client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=auth(key))
    assert deliveries.status_code == 200 and deliveries.json()["data"] == []
    other = await env.key(scopes=["webhooks:write"])
    assert (await env.client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=auth(other))).status_code == 404
    assert (await env.client.delete(f"/v1/webhooks/{hook['id']}", headers=auth(other))).status_code == 404
    assert (await env.client.delete(f"/v1/webhooks/{hook['id']}", headers=auth(key))).status_code == 204
    assert (await env.client.get("/v1/webhooks", headers=auth(key))).json()["data"] == []


async def test_webhook_validation_and_scope(env: Env) -> None:
    key = await env.key(scopes=["jobs:read", "jobs:write", "usage:read"])
    r = await env.client.post("/v1/webhooks", json={"url": "https://example.com/h"}, headers=auth(key))
    assert r.status_code == 403 and r.json()["error"]["type"] == "forbidden"
    key = await env.key(scopes=["webhooks:write"])
    for body in ({"url": "ftp://x.example/h"}, {"url": "https://example.com/h", "events": ["job.progress"]}, {"url": "https://example.com/h", "extra": 1}):
        r = await env.client.post("/v1/webhooks", json=body, headers=auth(key))
        assert r.status_code == 422 and r.json()["error"]["type"] == "validation_error", r.text


async def test_cancel_through_the_api_requests_webhook_deliveries(env: Env) -> None:
    key = await env.key(scopes=["jobs:read", "jobs:write", "webhooks:write"])
    hook = (await env.client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/h", "events": ["job.canceled"]}, headers=auth(key))).json()["data"]
    job = await env.job_id(key, options={"webhook_url": "http://127.0.0.1:9/job"})
    assert (await env.client.post(f"/v1/jobs/{job}/cancel", headers=auth(key))).status_code == 200
    [delivery] = (await env.client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=auth(key))).json()["data"]
    assert (delivery["event"], delivery["job_id"], delivery["status"], delivery["attempts"]) == ("job.canceled", job, "pending", [])
    assert delivery["id"].startswith("dlv_") and delivery["payload"]["status"] == "canceled"


async def test_keys_admin_create_list_revoke(env: Env) -> None:
    admin = await env.key(scopes=["admin"], account="keys-acct")
    user = await env.key(account="keys-acct")
    assert (await env.client.get("/v1/keys", headers=auth(user))).status_code == 403
    r = await env.client.post("/v1/keys", json={"scopes": ["jobs:read"], "live": False}, headers=auth(admin))
    assert r.status_code == 201, r.text
    made = r.json()["data"]
    assert made["key"].startswith("sk_test_") and made["prefix"] == made["key"][:16] and made["live"] is False
    listed = (await env.client.get("/v1/keys", headers=auth(admin))).json()
    assert listed["pagination"]["total"] == 3 and all(k["key"] is None for k in listed["data"])
    assert (await env.client.get("/v1/jobs", headers=auth(made["key"]))).status_code == 200
    assert (await env.client.delete(f"/v1/keys/{made['id']}", headers=auth(admin))).status_code == 204
    r = await env.client.get("/v1/jobs", headers=auth(made["key"]))
    assert r.status_code == 401 and r.json()["error"]["type"] == "unauthorized"
    outsider = await env.key(scopes=["admin"])
    assert (await env.client.delete(f"/v1/keys/{made['id']}", headers=auth(outsider))).status_code == 404
    assert (await env.client.post("/v1/keys", json={"scopes": ["root"]}, headers=auth(admin))).status_code == 422


async def test_rate_limit_headers_and_429(tmp_path: Path, sqlite_url: str, kafka_bootstrap: str, topic_prefix: str) -> None:
    app = create_app(settings_for(tmp_path, sqlite_url, kafka_bootstrap, topic_prefix))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            env = Env(app, client, tmp_path)
            key = await env.key(plan="free")  # 10 requests per minute
            remaining = []
            for _ in range(10):
                r = await client.get("/v1/jobs", headers=auth(key))
                assert r.status_code == 200 and r.headers["X-RateLimit-Limit"] == "10"
                remaining.append(int(r.headers["X-RateLimit-Remaining"]))
                assert int(r.headers["X-RateLimit-Reset"]) > 0
            assert remaining == list(range(9, -1, -1))
            r = await client.get("/v1/jobs/nope", headers=auth(key))
            assert r.status_code == 429 and r.json()["error"] == {"type": "rate_limited", "status": 429, "message": r.json()["error"]["message"]}
            assert int(r.headers["Retry-After"]) in range(1, 61) and r.headers["X-RateLimit-Remaining"] == "0"
            other = await env.key(plan="free")  # per key: another key is unaffected
            assert (await client.get("/v1/jobs", headers=auth(other))).status_code == 200
            nf = await client.get("/v1/jobs/nope", headers=auth(other))  # errors carry the headers too
            assert nf.status_code == 404 and nf.headers["X-RateLimit-Remaining"] == "8"
