"""Finding 2: sk_test_ keys acted on live jobs (read, export, archive, delete) and live keys on sandbox jobs.
Test and live are separate worlds now: jobs, lists, usage counts, webhooks and keys."""

from __future__ import annotations

from tests.integration.api.conftest import Env, auth


async def _pair(env: Env, scopes: list[str] | None = None) -> tuple[str, str]:
    """A live and a test key of one account."""
    live = await env.key(account="acme", scopes=scopes)
    test = await env.key(account="acme", scopes=scopes, live=False)
    return live, test


async def test_a_test_key_cannot_touch_a_live_job(env: Env) -> None:
    live, test = await _pair(env)
    job = await env.job_id(live)
    await env.fail(job)  # finished: every route below would act on it
    for method, path in (
        ("GET", f"/v1/jobs/{job}"), ("GET", f"/v1/jobs/{job}/result"), ("GET", f"/v1/jobs/{job}/exports/srt"),
        ("PATCH", f"/v1/jobs/{job}/archive"), ("POST", f"/v1/jobs/{job}/retry"), ("POST", f"/v1/jobs/{job}/cancel"),
        ("DELETE", f"/v1/jobs/{job}"),
    ):
        r = await env.client.request(method, path, headers=auth(test))
        assert r.status_code == 404, (method, path, r.status_code, r.text)
    assert (await env.client.get(f"/v1/jobs/{job}", headers=auth(live))).status_code == 200  # still there


async def test_a_live_key_cannot_touch_a_sandbox_job(env: Env) -> None:
    live, test = await _pair(env)
    job = await env.job_id(test)
    for method, path in (("GET", f"/v1/jobs/{job}"), ("POST", f"/v1/jobs/{job}/cancel"), ("PATCH", f"/v1/jobs/{job}/archive")):
        assert (await env.client.request(method, path, headers=auth(live))).status_code == 404, path
    assert (await env.client.get(f"/v1/jobs/{job}", headers=auth(test))).json()["data"]["status"] == "queued"


async def test_lists_and_usage_are_split_by_world(env: Env) -> None:
    live, test = await _pair(env)
    live_job, test_job = await env.job_id(live), await env.job_id(test)
    assert [j["id"] for j in (await env.client.get("/v1/jobs", headers=auth(live))).json()["data"]] == [live_job]
    assert [j["id"] for j in (await env.client.get("/v1/jobs", headers=auth(test))).json()["data"]] == [test_job]
    live_usage = (await env.client.get("/v1/account/usage", headers=auth(live))).json()["data"]
    test_usage = (await env.client.get("/v1/account/usage", headers=auth(test))).json()["data"]
    assert live_usage["jobs_by_status"] == {"queued": 1} and test_usage["jobs_by_status"] == {"queued": 1}


async def test_webhook_endpoints_are_split_by_world(env: Env) -> None:
    live, test = await _pair(env, scopes=["jobs:read", "jobs:write", "webhooks:write"])
    made = {}
    for name, key in (("live", live), ("test", test)):
        r = await env.client.post("/v1/webhooks", json={"url": f"http://127.0.0.1:9/{name}", "events": ["job.canceled"]},
                                  headers=auth(key))
        assert r.status_code == 201, r.text
        made[name] = r.json()["data"]["id"]
    for name, key in (("live", live), ("test", test)):
        listed = [h["id"] for h in (await env.client.get("/v1/webhooks", headers=auth(key))).json()["data"]]
        assert listed == [made[name]]
    assert (await env.client.delete(f"/v1/webhooks/{made['live']}", headers=auth(test))).status_code == 404
    # A sandbox job's event goes to the test endpoint only.
    job = await env.job_id(test)
    assert (await env.client.post(f"/v1/jobs/{job}/cancel", headers=auth(test))).status_code == 200
    test_deliveries = (await env.client.get(f"/v1/webhooks/{made['test']}/deliveries", headers=auth(test))).json()["data"]
    live_deliveries = (await env.client.get(f"/v1/webhooks/{made['live']}/deliveries", headers=auth(live))).json()["data"]
    assert [d["job_id"] for d in test_deliveries] == [job] and live_deliveries == []


async def test_a_test_admin_manages_test_keys_only(env: Env) -> None:
    live_admin = await env.key(account="acme", scopes=["admin"])
    test_admin = await env.key(account="acme", scopes=["admin"], live=False)
    r = await env.client.post("/v1/keys", json={"scopes": ["jobs:read"], "live": True}, headers=auth(test_admin))
    assert r.status_code == 403, r.text
    listed = (await env.client.get("/v1/keys", headers=auth(test_admin))).json()["data"]
    assert {k["live"] for k in listed} == {False}
    live_id = (await env.client.get("/v1/keys", headers=auth(live_admin))).json()["data"]
    live_ids = [k["id"] for k in live_id if k["live"]]
    assert (await env.client.delete(f"/v1/keys/{live_ids[0]}", headers=auth(test_admin))).status_code == 404


async def test_idempotency_keys_do_not_cross_worlds(env: Env) -> None:
    live, test = await _pair(env)
    first = await env.submit(live, headers={"Idempotency-Key": "same"})
    assert first.status_code == 201
    r = await env.submit(test, headers={"Idempotency-Key": "same"})
    assert r.status_code == 409 and first.json()["data"]["id"] not in r.text
