"""Contract tests for /v1/jobs beyond creation: list/filter/paginate, cancel, retry, archive, delete,
Idempotency-Key, tenancy and the error envelope."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from metering.reservations import ACTIVE, RELEASED, get_reservation
from schemas.events import decode_event
from store.models import OutboxEvent
from tests.integration.api.conftest import Env, auth


def _error(r, status: int, type_: str) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and (body["error"]["type"], body["error"]["status"]) == (type_, status), body


async def test_list_is_newest_first_paginated_and_filtered(env: Env) -> None:
    key = await env.key()
    ids = [await env.job_id(key) for _ in range(3)]
    r = await env.client.get("/v1/jobs", params={"limit": 2}, headers=auth(key))
    assert r.status_code == 200, r.text
    body = r.json()
    assert [j["id"] for j in body["data"]] == ids[::-1][:2]
    assert body["pagination"] == {"total": 3, "limit": 2, "offset": 0, "has_more": True}
    r = await env.client.get("/v1/jobs", params={"limit": 2, "offset": 2}, headers=auth(key))
    assert [j["id"] for j in r.json()["data"]] == [ids[0]] and r.json()["pagination"]["has_more"] is False
    await env.fail(ids[1])
    r = await env.client.get("/v1/jobs", params={"status": "failed"}, headers=auth(key))
    assert [j["id"] for j in r.json()["data"]] == [ids[1]]
    first = (await env.client.get(f"/v1/jobs/{ids[0]}", headers=auth(key))).json()["data"]
    r = await env.client.get("/v1/jobs", params={"created_after": first["created_at"]}, headers=auth(key))
    assert [j["id"] for j in r.json()["data"]] == ids[:0:-1]
    r = await env.client.get("/v1/jobs", params={"created_before": first["created_at"]}, headers=auth(key))
    assert r.json()["data"] == []
    job = r.json()
    assert job["pagination"]["total"] == 0


async def test_list_validation_errors_use_the_envelope(env: Env) -> None:
    key = await env.key()
    _error(await env.client.get("/v1/jobs", params={"limit": 101}, headers=auth(key)), 422, "validation_error")
    _error(await env.client.get("/v1/jobs", params={"status": "nope"}, headers=auth(key)), 422, "validation_error")
    _error(await env.client.get("/v1/jobs", params={"created_after": "2026-01-01T00:00:00"}, headers=auth(key)), 422, "validation_error")
    _error(await env.client.get("/v1/jobs"), 401, "unauthorized")
    _error(await env.client.put("/v1/jobs", headers=auth(key)), 405, "method_not_allowed")


async def test_tenancy_other_accounts_jobs_are_not_found(env: Env) -> None:
    mine, theirs = await env.key(), await env.key()
    job = await env.job_id(theirs)
    assert (await env.client.get("/v1/jobs", headers=auth(mine))).json()["pagination"]["total"] == 0
    for method, path in [("GET", f"/v1/jobs/{job}"), ("POST", f"/v1/jobs/{job}/cancel"), ("POST", f"/v1/jobs/{job}/retry"),
                         ("PATCH", f"/v1/jobs/{job}/archive"), ("DELETE", f"/v1/jobs/{job}"), ("GET", f"/v1/jobs/{job}/result")]:
        _error(await env.client.request(method, path, headers=auth(mine)), 404, "not_found")
    assert (await env.client.get(f"/v1/jobs/{job}", headers=auth(theirs))).json()["data"]["status"] == "queued"


async def test_read_only_key_cannot_change_jobs(env: Env) -> None:
    writer = await env.key(account="shared-acct")
    reader = await env.key(account="shared-acct", scopes=["jobs:read"])
    job = await env.job_id(writer)
    assert (await env.client.get(f"/v1/jobs/{job}", headers=auth(reader))).status_code == 200
    _error(await env.client.post(f"/v1/jobs/{job}/cancel", headers=auth(reader)), 403, "forbidden")


async def test_cancel_releases_the_reservation_and_emits_job_canceled(env: Env) -> None:
    key = await env.key()
    job = await env.job_id(key)
    async with env.state.sessions() as session:
        assert (await get_reservation(session, job)).status == ACTIVE  # type: ignore[union-attr]
    r = await env.client.post(f"/v1/jobs/{job}/cancel", headers=auth(key))
    assert r.status_code == 200, r.text
    assert r.json()["data"]["status"] == "canceled" and r.json()["data"]["completed_at"] is not None
    async with env.state.sessions() as session:
        assert (await get_reservation(session, job)).status == RELEASED  # type: ignore[union-attr]
        rows = (await session.execute(select(OutboxEvent).where(OutboxEvent.key == job).order_by(OutboxEvent.id))).scalars()
        assert [decode_event(row.value).type for row in rows][-1] == "job.canceled"
    assert not (env.tmp_path / "objects" / "media" / job).exists()
    _error(await env.client.post(f"/v1/jobs/{job}/cancel", headers=auth(key)), 409, "conflict")


async def test_cancel_of_a_processing_job_takes_its_lease(env: Env) -> None:
    key = await env.key()
    job = await env.job_id(key)
    await env.start_processing(job)
    r = await env.client.post(f"/v1/jobs/{job}/cancel", headers=auth(key))
    assert r.status_code == 200 and r.json()["data"]["status"] == "canceled"
    async with env.state.sessions() as session:
        from store.jobs import get_job

        row = await get_job(session, job)
        assert row is not None and row.lease_owner is None


async def test_retry_only_failed_jobs_at_most_three_times(env: Env) -> None:
    key = await env.key()
    job = await env.job_id(key)
    _error(await env.client.post(f"/v1/jobs/{job}/retry", headers=auth(key)), 409, "conflict")  # queued
    for n in range(1, 4):
        await env.fail(job)
        r = await env.client.post(f"/v1/jobs/{job}/retry", headers=auth(key))
        assert r.status_code == 200, r.text
        data = r.json()["data"]
        assert (data["status"], data["retry_count"], data["error"], data["progress"]) == ("queued", n, None, 0)
        async with env.state.sessions() as session:
            assert (await get_reservation(session, job)).status == ACTIVE  # type: ignore[union-attr]
    await env.fail(job)
    r = await env.client.post(f"/v1/jobs/{job}/retry", headers=auth(key))
    _error(r, 409, "conflict")
    assert "3 times" in r.json()["error"]["message"]


async def test_archive_toggles_and_filters(env: Env) -> None:
    key = await env.key()
    a, b = await env.job_id(key), await env.job_id(key)
    r = await env.client.patch(f"/v1/jobs/{a}/archive", headers=auth(key))
    assert r.status_code == 200 and r.json()["data"]["is_archived"] is True
    archived = (await env.client.get("/v1/jobs", params={"archived": "true"}, headers=auth(key))).json()["data"]
    active = (await env.client.get("/v1/jobs", params={"archived": "false"}, headers=auth(key))).json()["data"]
    assert [j["id"] for j in archived] == [a] and [j["id"] for j in active] == [b]
    r = await env.client.patch(f"/v1/jobs/{a}/archive", headers=auth(key))
    assert r.json()["data"]["is_archived"] is False


async def test_delete_refuses_running_jobs_and_removes_finished_ones(env: Env) -> None:
    key = await env.key()
    job = await env.job_id(key)
    _error(await env.client.delete(f"/v1/jobs/{job}", headers=auth(key)), 409, "conflict")
    await env.fail(job)
    (env.tmp_path / "objects" / "results" / job).mkdir(parents=True)
    (env.tmp_path / "objects" / "results" / job / "transcript.json").write_text("{}")
    r = await env.client.delete(f"/v1/jobs/{job}", headers=auth(key))
    assert r.status_code == 204 and r.content == b""
    _error(await env.client.get(f"/v1/jobs/{job}", headers=auth(key)), 404, "not_found")
    assert not (env.tmp_path / "objects" / "results" / job).exists()
    assert not (env.tmp_path / "objects" / "media" / job).exists()


async def test_idempotency_key_returns_the_same_job(env: Env) -> None:
    key = await env.key()
    headers = {"Idempotency-Key": "order-42"}
    first = await env.submit(key, options={"language": "en"}, headers=headers)
    again = await env.submit(key, options={"language": "en"}, headers=headers)
    assert first.status_code == 201 and again.status_code == 200, again.text
    assert again.json()["data"]["id"] == first.json()["data"]["id"] and again.headers["Idempotent-Replayed"] == "true"
    _error(await env.submit(key, options={"language": "de"}, headers=headers), 409, "conflict")
    other = await env.key()  # keys are per account
    assert (await env.submit(other, options={"language": "en"}, headers=headers)).status_code == 201
    assert (await env.client.get("/v1/jobs", headers=auth(key))).json()["pagination"]["total"] == 1


async def test_concurrent_requests_with_one_idempotency_key_make_one_job(env: Env) -> None:
    key = await env.key()
    responses = await asyncio.gather(*(env.submit(key, headers={"Idempotency-Key": "same"}) for _ in range(4)))
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 201], [r.text for r in responses]
    assert len({r.json()["data"]["id"] for r in responses}) == 1


async def test_options_metadata_and_webhook_secret(env: Env) -> None:
    key = await env.key()
    r = await env.submit(key, options={"metadata": {"crm_id": "42"}, "vocabulary": ["Parlance"], "webhook_url": "http://127.0.0.1:9/hook"})
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert data["metadata"] == {"crm_id": "42"} and data["webhook_secret"].startswith("whsec_")
    again = (await env.client.get(f"/v1/jobs/{data['id']}", headers=auth(key))).json()["data"]
    assert again["webhook_secret"] is None and again["retry_count"] == 0 and again["is_archived"] is False
    _error(await env.submit(key, options={"metadata": {"k": 5}}), 422, "validation_error")
    _error(await env.submit(key, options={"webhook_url": "ftp://x"}), 422, "validation_error")
