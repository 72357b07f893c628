"""Metering over HTTP on a real app (lifespan: migrated SQLite, embedded chDB in the test's data dir, the
local Kafka broker): quotas at submission (402, 429, the media removed), pricing, account usage, analytics."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from api.settings import ApiSettings
from metering.events import UsageRecorded
from metering.plans import PLANS
from metering.reservations import ACTIVE, Reservation
from metering.sink import ClickHouseUsageWriter
from store.keys import create_key, get_or_create_account
from store.types import utcnow
from tests.support.samples import sample_wav


class Env:
    def __init__(self, app: FastAPI, client: httpx.AsyncClient, tmp_path: Path) -> None:
        self.app, self.client, self.tmp_path = app, client, tmp_path

    async def key(self, plan: str = "free", scopes: list[str] | None = None) -> tuple[str, str]:
        async with self.app.state.parlance.sessions.begin() as session:
            account = await get_or_create_account(session, f"acct-{uuid.uuid4().hex[:8]}", plan)
            _, key = await create_key(session, account, scopes)
            return key, account.id

    async def submit(self, key: str) -> httpx.Response:
        return await self.client.post(
            "/v1/jobs", headers=_auth(key), files={"file": ("sample.wav", sample_wav().read_bytes(), "audio/wav")}
        )

    def stored_media(self) -> list[str]:
        """Job ids that have media in the object store."""
        media = self.tmp_path / "objects" / "media"
        return sorted(p.parent.name for p in media.rglob("source")) if media.exists() else []


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
async def env(tmp_path: Path, sqlite_url: str, kafka_bootstrap: str, topic_prefix: str) -> AsyncIterator[Env]:
    settings = ApiSettings(data_dir=tmp_path, database_url=sqlite_url, kafka_bootstrap=kafka_bootstrap, kafka_topic_prefix=topic_prefix)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            yield Env(app, client, tmp_path)


async def test_pricing_is_public(env: Env) -> None:
    r = await env.client.get("/v1/pricing")
    assert r.status_code == 200, r.text
    plans = r.json()["data"]
    assert [p["id"] for p in plans] == ["free", "pro", "business", "enterprise"]
    assert plans[0]["overage_cents_per_minute"] is None and plans[0]["included_minutes"] == 60
    assert Decimal(plans[1]["overage_cents_per_minute"]) == Decimal("1.5")


async def test_second_job_in_flight_on_free_is_429_and_its_media_is_removed(env: Env) -> None:
    key, _ = await env.key("free")  # one job at a time
    first = await env.submit(key)
    assert first.status_code == 201, first.text
    assert first.json()["data"]["cost_cents"] is None
    second = await env.submit(key)
    assert second.status_code == 429, second.text
    error = second.json()["error"]
    assert (error["type"], error["status"]) == ("concurrency_limit", 429)
    assert "at most 1 jobs at once" in error["message"]
    assert env.stored_media() == [first.json()["data"]["id"]]
    usage = (await env.client.get("/v1/account/usage", headers=_auth(key))).json()["data"]
    assert usage["minutes_reserved"] == 0.5 and usage["jobs_by_status"] == {"queued": 1}  # the probed 30 s


async def test_parallel_submissions_admit_exactly_the_plan_s_concurrency(env: Env) -> None:
    import asyncio

    key, _ = await env.key("free")
    responses = await asyncio.gather(*(env.submit(key) for _ in range(8)))
    assert sorted(r.status_code for r in responses) == [201] + [429] * 7, [r.text for r in responses if r.status_code >= 500]
    assert len(env.stored_media()) == 1


async def test_exhausted_hard_cap_is_402_with_what_is_left(env: Env) -> None:
    key, account_id = await env.key("free")
    now = utcnow()
    async with env.app.state.parlance.sessions.begin() as session:
        # 59.8 of the 60 free minutes already used this month (settled by earlier jobs).
        session.add(Reservation(
            job_id=str(uuid.uuid4()), account_id=account_id, plan="free", status="settled", reserved_seconds=0,
            billable_seconds=59 * 60 + 48, cost_cents=Decimal(0), period_start=now.replace(day=1, hour=0, minute=0, second=0, microsecond=0),
        ))
    r = await env.submit(key)
    assert r.status_code == 402, r.text
    error = r.json()["error"]
    assert error["type"] == "insufficient_credits" and "0.2 minutes are left" in error["message"]
    assert env.stored_media() == []


async def test_account_usage_counts_recorded_minutes_and_needs_a_scope(env: Env) -> None:
    key, account_id = await env.key("pro")
    other_key, other_id = await env.key("pro")
    now = utcnow()
    events = [
        UsageRecorded.for_job(account_id=account_id, job_id=f"j{i}", quantity_seconds=89.5, billable_seconds=90,
                              plan="pro", occurred_at=now - timedelta(minutes=i))
        for i in range(4)
    ] + [UsageRecorded.for_job(account_id=other_id, job_id="o1", quantity_seconds=30, billable_seconds=30, plan="pro",
                               occurred_at=now, cost_cents=Decimal("0.75"))]
    await ClickHouseUsageWriter(env.app.state.parlance.clickhouse)(events)

    r = await env.client.get("/v1/account/usage", headers=_auth(key))
    assert r.status_code == 200, r.text
    usage = r.json()["data"]
    assert (usage["account_id"], usage["plan"], usage["minutes_used"]) == (account_id, "pro", 6.0)
    assert usage["minutes_included"] == PLANS["pro"].included_minutes and usage["overage_cost_cents"] == 0

    jobs_only, _ = await env.key("pro", scopes=["jobs:read"])  # keys made before usage:read existed
    assert (await env.client.get("/v1/account/usage", headers=_auth(jobs_only))).status_code == 200
    write_only, _ = await env.key("pro", scopes=["jobs:write"])
    r = await env.client.get("/v1/account/usage", headers=_auth(write_only))
    assert r.status_code == 403 and r.json()["error"]["type"] == "forbidden"
    assert (await env.client.get("/v1/account/usage")).status_code == 401

    # Analytics: own account only; the platform operator's key sees everyone and the top accounts.
    r = await env.client.get("/v1/analytics/usage", headers=_auth(key), params={"granularity": "month"})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["account_id"] == account_id and data["top_accounts"] is None
    assert len(data["points"]) == 1 and data["points"][0]["events"] == 4 and data["points"][0]["billable_minutes"] == 6.0
    operator, _ = await env.key("enterprise", scopes=["platform"])  # made by the CLI only (tests/security)
    data = (await env.client.get("/v1/analytics/usage", headers=_auth(operator), params={"granularity": "day"})).json()["data"]
    assert data["account_id"] is None
    assert sum(p["events"] for p in data["points"]) == 5
    assert [a["account_id"] for a in data["top_accounts"]] == [account_id, other_id]
    assert Decimal(data["top_accounts"][1]["cost_cents"]) == Decimal("0.75")


async def test_analytics_shapes_and_range_validation(env: Env) -> None:
    key, account_id = await env.key("pro")
    r = await env.client.get("/v1/analytics/calls", headers=_auth(key))
    assert r.status_code == 200, r.text
    calls = r.json()["data"]
    assert calls["account_id"] == account_id and calls["calls"] == 0
    assert {"by_call_type", "by_outcome", "by_sentiment", "periods", "minutes", "start", "end"} <= set(calls)
    r = await env.client.get("/v1/analytics/usage", headers=_auth(key),
                             params={"from": "2025-01-01T00:00:00Z", "to": "2025-02-01T00:00:00Z", "granularity": "hour"})
    assert r.status_code == 200 and r.json()["data"]["points"] == []
    bad = await env.client.get("/v1/analytics/usage", headers=_auth(key), params={"from": "2025-02-01", "to": "2025-01-01"})
    assert bad.status_code == 422 and bad.json()["error"]["type"] == "validation_error"
    bad = await env.client.get("/v1/analytics/usage", headers=_auth(key), params={"granularity": "week"})
    assert bad.status_code == 422
    bad = await env.client.get("/v1/analytics/usage", headers=_auth(key),
                               params={"from": "2024-01-01T00:00:00Z", "to": "2025-01-01T00:00:00Z", "granularity": "hour"})
    assert bad.status_code == 422 and "at most 92 days" in bad.json()["error"]["message"]


async def test_shared_clickhouse_is_used_and_left_open(tmp_path: Path, sqlite_url: str, kafka_bootstrap: str, topic_prefix: str) -> None:
    """`parlance up`: the worker owns the chDB clients; the embedded API uses them and does not close them."""
    from metering.runtime import open_clickhouse

    clients = open_clickhouse(None, tmp_path)
    try:
        settings = ApiSettings(data_dir=tmp_path, database_url=sqlite_url, kafka_bootstrap=kafka_bootstrap, kafka_topic_prefix=topic_prefix)
        app = create_app(settings, clickhouse=lambda: clients)
        async with app.router.lifespan_context(app):
            assert app.state.parlance.clickhouse is clients
        assert clients.get().command("SELECT 1") == 1  # still open after the API stopped
    finally:
        clients.close()
