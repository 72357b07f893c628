"""Issue 17.2 on a real app (SQLite, local Kafka): caption QA as CaptionPass promises it — optional preset
(default youtube), the plan's daily quota of successful runs with `remaining_api_runs_today`, 429
`quota_exceeded` once spent (only 200s count), the per-key burst limit beside it, and no-store/nosniff."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from metering.plans import PLANS
from store.keys import authenticate
from tests.integration.api.conftest import Env, auth

SRT = b"1\n00:00:01,000 --> 00:00:03,000\nHello there and welcome.\n\n2\n00:00:03,500 --> 00:00:05,000\nSecond cue.\n"


async def _post(env: Env, key: str, data: dict[str, str] | None = None, content: bytes = SRT):  # type: ignore[no-untyped-def]
    return await env.client.post("/v1/captions/process", headers=auth(key), files={"file": ("a.srt", content)}, data=data or {})


async def test_default_preset_shape_and_headers(env: Env) -> None:
    key = await env.key(plan="pro")
    r = await _post(env, key)
    assert r.status_code == 200, r.text
    body = r.json()["data"]
    assert set(body) == {"report", "output", "remaining_api_runs_today"}
    assert body["report"]["preset"] == "youtube" and body["report"]["output_format"] == "srt"
    assert body["output"].startswith("1\n00:00:01,000 --> ")
    assert body["remaining_api_runs_today"] == PLANS["pro"].caption_runs_per_day - 1
    assert r.headers["cache-control"] == "no-store" and r.headers["x-content-type-options"] == "nosniff"
    r = await _post(env, key)
    assert r.json()["data"]["remaining_api_runs_today"] == PLANS["pro"].caption_runs_per_day - 2
    unauth = await env.client.post("/v1/captions/process", files={"file": ("a.srt", SRT)})
    assert unauth.status_code == 401 and unauth.headers["cache-control"] == "no-store"


async def test_daily_quota_counts_only_successes(env: Env) -> None:
    key = await env.key(plan="free", account="caption-quota")
    async with env.state.sessions() as session:
        principal = await authenticate(session, key)
    assert principal is not None
    limit = PLANS["free"].caption_runs_per_day
    for _ in range(limit - 1):  # spent earlier today (the burst limit of 10/min would stop a loop over HTTP)
        await env.state.caption_runs.reserve(principal)
    failed = await _post(env, key, content=b"\x00\x01binary")
    assert failed.status_code == 422, "a failed run is not counted"
    bad_preset = await _post(env, key, data={"preset": "netflix"})
    assert bad_preset.status_code == 422
    last = await _post(env, key)
    assert last.status_code == 200 and last.json()["data"]["remaining_api_runs_today"] == 0
    spent = await _post(env, key)
    assert spent.status_code == 429 and spent.json()["error"]["type"] == "quota_exceeded", spent.text
    assert 0 < int(spent.headers["retry-after"]) <= 86_400 and spent.headers["cache-control"] == "no-store"
    # Another account, and this account's test world, have their own counters.
    assert (await _post(env, await env.key(plan="free"))).status_code == 200
    assert (await _post(env, await env.key(plan="free", account="caption-quota", live=False))).status_code == 200
    assert (await _post(env, await env.key(plan="free", account="caption-quota"))).status_code == 429, "per account, not key"
    # The next UTC day starts from the full quota.
    tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
    assert await env.state.caption_runs.reserve(principal, tomorrow) == limit - 1


async def test_burst_limit_is_rate_limited_not_quota(env: Env) -> None:
    key = await env.key(plan="free")  # 10 requests per minute per key
    statuses = [(await _post(env, key)).status_code for _ in range(PLANS["free"].requests_per_minute + 1)]
    assert statuses[:-1] == [200] * PLANS["free"].requests_per_minute
    r = await _post(env, key)
    assert r.status_code == 429 and r.json()["error"]["type"] == "rate_limited"
