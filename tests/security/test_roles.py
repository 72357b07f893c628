"""Finding 1: an account's `admin` key read every tenant's analytics and could mint more admin keys. Now the
account admin stays inside its account; only the operator's `platform` key (CLI-made) sees every account."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from metering.events import UsageRecorded
from metering.sink import ClickHouseUsageWriter
from store.keys import authenticate
from store.types import utcnow
from tests.integration.api.conftest import Env, auth

ANALYTICS = ("/v1/analytics/usage", "/v1/analytics/calls")


async def _seed_usage(env: Env, *accounts: str) -> None:
    now = utcnow()
    await ClickHouseUsageWriter(env.state.clickhouse)([
        UsageRecorded.for_job(account_id=a, job_id=f"{a}-j{i}", quantity_seconds=60, billable_seconds=60, plan="pro",
                              occurred_at=now - timedelta(minutes=i))
        for i, a in enumerate(accounts)
    ])


async def _account_id(env: Env, key: str) -> str:
    async with env.state.sessions() as session:
        principal = await authenticate(session, key)
    assert principal is not None
    return principal.account_id


async def _two_tenants(env: Env) -> tuple[str, str, str, str]:
    """Admin keys of accounts A and B, and their ids; A has one usage event, B two."""
    a_admin = await env.key(scopes=["admin"], account="tenant-a")
    b_admin = await env.key(scopes=["admin"], account="tenant-b")
    a, b = await _account_id(env, a_admin), await _account_id(env, b_admin)
    await _seed_usage(env, a, b, b)
    return a_admin, b_admin, a, b


@pytest.mark.parametrize("route", ANALYTICS)
async def test_account_roles_see_only_their_own_account(env: Env, route: str) -> None:
    a_admin, b_admin, a, b = await _two_tenants(env)
    a_reader = await env.key(scopes=["usage:read"], account="tenant-a")
    for key, own in ((a_admin, a), (a_reader, a), (b_admin, b)):
        r = await env.client.get(route, headers=auth(key), params={"granularity": "month"})
        assert r.status_code == 200, r.text
        data = r.json()["data"]
        assert data["account_id"] == own and data.get("top_accounts") is None, (key[:12], data)
    usage = (await env.client.get("/v1/analytics/usage", headers=auth(a_admin))).json()["data"]
    assert sum(p["events"] for p in usage["points"]) == 1  # A's one event, never B's two


@pytest.mark.parametrize("route", ANALYTICS)
async def test_only_the_platform_key_sees_every_account(env: Env, route: str) -> None:
    _, _, a, b = await _two_tenants(env)
    operator = await env.key(scopes=["platform"], account="operator")
    r = await env.client.get(route, headers=auth(operator), params={"granularity": "month"})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["account_id"] is None
    if route.endswith("usage"):
        assert [t["account_id"] for t in r.json()["data"]["top_accounts"]] == [b, a]
    # The operator's key is for analytics: it is not an admin of anyone's jobs, keys or webhooks.
    for method, path in (("GET", "/v1/jobs"), ("GET", "/v1/keys"), ("GET", "/v1/webhooks"), ("GET", "/v1/account/usage")):
        assert (await env.client.request(method, path, headers=auth(operator))).status_code == 403, path


async def test_platform_role_cannot_be_minted_over_the_api(env: Env) -> None:
    admin = await env.key(scopes=["admin"], account="tenant-a")
    operator = await env.key(scopes=["platform"], account="operator")
    for key in (admin, operator):
        r = await env.client.post("/v1/keys", json={"scopes": ["platform"]}, headers=auth(key))
        assert r.status_code in (403, 422), r.text  # admin: 422 (not a grantable scope); operator: 403 (no admin)
    r = await env.client.post("/v1/keys", json={"scopes": ["platform"]}, headers=auth(admin))
    assert r.status_code == 422 and r.json()["error"]["type"] == "validation_error"


async def test_key_routes_by_role_and_across_accounts(env: Env) -> None:
    a_admin = await env.key(scopes=["admin"], account="tenant-a")
    a_user = await env.key(account="tenant-a")
    b_admin = await env.key(scopes=["admin"], account="tenant-b")
    operator = await env.key(scopes=["platform"], account="operator")
    for key in (a_user, operator):  # neither administers keys
        assert (await env.client.get("/v1/keys", headers=auth(key))).status_code == 403
        assert (await env.client.post("/v1/keys", json={"scopes": ["jobs:read"]}, headers=auth(key))).status_code == 403
    made = (await env.client.post("/v1/keys", json={"scopes": ["jobs:read"]}, headers=auth(a_admin))).json()["data"]
    b_keys = (await env.client.get("/v1/keys", headers=auth(b_admin))).json()["data"]
    assert made["id"] not in {k["id"] for k in b_keys} and len(b_keys) == 1
    assert (await env.client.delete(f"/v1/keys/{made['id']}", headers=auth(b_admin))).status_code == 404
    assert (await env.client.delete(f"/v1/keys/{made['id']}", headers=auth(operator))).status_code == 403
    assert (await env.client.get("/v1/jobs", headers=auth(made["key"]))).status_code == 200


async def test_a_test_platform_key_is_not_the_operator(env: Env) -> None:
    """The operator's role is live only: a sandbox key carrying the scope sees just its own (empty) world."""
    fake = await env.key(scopes=["platform", "usage:read"], live=False, account="tenant-a")
    r = await env.client.get("/v1/analytics/usage", headers=auth(fake))
    assert r.status_code == 200 and r.json()["data"]["account_id"] is not None


def test_only_the_cli_makes_the_operator_key(tmp_path: Path) -> None:
    """`parlance keys create --scopes platform` is the one way to the role, and never on a test key."""
    env = {**os.environ, "PARLANCE_DATA_DIR": str(tmp_path), "PARLANCE_DATABASE_URL": ""}
    cli = [sys.executable, "-m", "cli.main", "keys", "create", "--account", "operator", "--scopes", "platform"]
    made = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip().startswith("sk_live_")
    refused = subprocess.run([*cli, "--test"], env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "live keys only" in refused.stderr
    listed = subprocess.run([sys.executable, "-m", "cli.main", "keys", "list", "--account", "operator"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0 and [line.split("\t")[2] for line in listed.stdout.splitlines()] == ["platform"]
