"""Metering through the running stack: a completed job's cost, its minutes reaching ClickHouse through
parlance.usage and the sink, the public price list, quota refusals (402, 429) and the analytics shapes."""

from __future__ import annotations

import asyncio
import time
import uuid
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select

from metering.reservations import Reservation
from store.db import create_engine, create_sessionmaker
from store.models import ApiKey
from store.keys import hash_key
from store.types import utcnow
from tests.e2e.conftest import Stack, wait_for_job
from tests.support.samples import sample_wav


def _submit(client: httpx.Client) -> httpx.Response:
    with sample_wav().open("rb") as fh:
        return client.post("/v1/jobs", files={"file": ("sample.wav", fh, "audio/wav")})


def _poll(fetch, done, timeout_s: float = 60):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while True:
        value = fetch()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.5)


@pytest.fixture(scope="module")
def billed(stack: Stack) -> dict:
    key = stack.new_key(plan="pro")
    with stack.client(key) as client:
        response = _submit(client)
        assert response.status_code == 201, response.text
        job, _ = wait_for_job(client, response.json()["data"]["id"])
    return {"key": key, "job": job}


def test_completed_job_shows_its_cost(billed: dict) -> None:
    job = billed["job"]
    assert job["status"] == "completed", job
    # 30 s of audio inside the Pro plan's included minutes: billed, but it adds nothing to the invoice.
    assert job["cost_cents"] is not None and Decimal(job["cost_cents"]) == 0


def test_usage_reaches_clickhouse_and_the_account_page(stack: Stack, billed: dict) -> None:
    with stack.client(billed["key"]) as client:
        # The rollups are fed only by the sink (parlance.usage → ClickHouse), so this proves the whole path.
        analytics = _poll(
            lambda: client.get("/v1/analytics/usage", params={"granularity": "month"}).json()["data"],
            lambda data: bool(data["points"]),
        )
        assert analytics["points"], "usage.recorded never reached ClickHouse"
        point = analytics["points"][0]
        assert point["events"] == 1 and point["billable_minutes"] == 0.5 and point["minutes"] == pytest.approx(0.5, abs=0.01)
        usage = client.get("/v1/account/usage").json()["data"]
    assert usage["plan"] == "pro" and usage["minutes_used"] == 0.5 and usage["minutes_reserved"] == 0
    assert usage["jobs_by_status"] == {"completed": 1}


def test_pricing_needs_no_key(stack: Stack) -> None:
    with stack.client(None) as client:
        response = client.get("/v1/pricing")
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["data"]] == ["free", "pro", "business", "enterprise"]


def test_free_plan_runs_one_job_at_a_time(stack: Stack) -> None:
    key = stack.new_key(plan="free")
    with stack.client(key) as client:
        first = _submit(client)
        assert first.status_code == 201, first.text
        second = _submit(client)
        assert second.status_code == 429, second.text
        assert second.json()["error"]["type"] == "concurrency_limit"
        assert wait_for_job(client, first.json()["data"]["id"])[0]["status"] == "completed"
        third = _submit(client)  # the finished job gave its slot back
        assert third.status_code == 201, third.text
        wait_for_job(client, third.json()["data"]["id"])


def test_exhausted_free_minutes_are_402(stack: Stack) -> None:
    key = stack.new_key(plan="free")

    async def use_up_the_month() -> None:
        engine = create_engine(stack.database_url)
        try:
            async with create_sessionmaker(engine).begin() as session:
                account_id = (await session.execute(select(ApiKey.account_id).where(ApiKey.key_hash == hash_key(key)))).scalar_one()
                now = utcnow()
                session.add(Reservation(
                    job_id=str(uuid.uuid4()), account_id=account_id, plan="free", status="settled", reserved_seconds=0,
                    billable_seconds=60 * 60, cost_cents=Decimal(0),
                    period_start=now.replace(day=1, hour=0, minute=0, second=0, microsecond=0),
                ))
        finally:
            await engine.dispose()

    asyncio.run(use_up_the_month())
    with stack.client(key) as client:
        response = _submit(client)
        assert response.status_code == 402, response.text
        error = response.json()["error"]
        assert error["type"] == "insufficient_credits" and error["status"] == 402 and "0.0 minutes are left" in error["message"]
        usage = client.get("/v1/account/usage").json()["data"]
    assert usage["minutes_used"] == 60 and usage["minutes_remaining"] == 0


def test_analytics_calls_answer_with_their_shape(stack: Stack, billed: dict) -> None:
    with stack.client(billed["key"]) as client:
        response = client.get("/v1/analytics/calls", params={"from": "2020-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z", "granularity": "month"})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert {"calls", "minutes", "average_duration_seconds", "by_call_type", "by_outcome", "by_sentiment", "periods"} <= set(data)
