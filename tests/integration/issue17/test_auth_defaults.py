"""Issue 17.5 on a real app (migrated SQLite, the local Kafka broker): `X-API-Key` beside `Authorization: Bearer`,
default key scopes that include webhooks:write (through the real CLI too), and VoxChron's top-level
`language`/`model`/`webhook_url` in the job creation body."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from store.keys import DEFAULT_SCOPES
from tests.integration.api.conftest import Env, auth
from tests.support.samples import sample_wav


async def test_x_api_key_is_accepted_beside_bearer(env: Env) -> None:
    key = await env.key()
    assert (await env.client.get("/v1/jobs", headers={"X-API-Key": key})).status_code == 200
    assert (await env.client.get("/v1/jobs", headers=auth(key))).status_code == 200
    same = await env.client.get("/v1/jobs", headers={**auth(key), "X-API-Key": key})
    assert same.status_code == 200
    other = await env.key()
    both = await env.client.get("/v1/jobs", headers={**auth(key), "X-API-Key": other})
    assert both.status_code == 401 and "two different" in both.json()["error"]["message"]
    bad = await env.client.get("/v1/jobs", headers={"X-API-Key": "sk_live_nope"})
    assert bad.status_code == 401 and bad.json()["error"]["type"] == "unauthorized"
    assert "X-API-Key" in (await env.client.get("/v1/jobs")).json()["error"]["message"]


async def test_a_new_key_registers_a_webhook(env: Env) -> None:
    key = await env.key()  # no scopes given: every non-admin scope
    r = await env.client.post("/v1/webhooks", json={"url": "https://example.com/h"}, headers={"X-API-Key": key})
    assert r.status_code == 201, r.text
    assert set(DEFAULT_SCOPES) == {"jobs:read", "jobs:write", "webhooks:write", "usage:read"}
    assert (await env.client.get("/v1/keys", headers=auth(key))).status_code == 403, "admin is never a default"


def test_cli_key_without_scopes_gets_webhooks_write(tmp_path: Path) -> None:
    env = {**os.environ, "PARLANCE_DATA_DIR": str(tmp_path), "PARLANCE_DATABASE_URL": ""}
    cli = [sys.executable, "-m", "cli.main", "keys"]
    subprocess.run([*cli, "create", "--account", "fresh"], env=env, check=True, capture_output=True, timeout=120)
    listed = subprocess.run([*cli, "list", "--account", "fresh"], env=env, check=True, capture_output=True, text=True, timeout=120)
    [scopes] = [line.split("\t")[2] for line in listed.stdout.splitlines()]
    assert set(scopes.split(",")) == {"jobs:read", "jobs:write", "webhooks:write", "usage:read"}, listed.stdout


async def test_top_level_language_model_webhook_url(env: Env) -> None:
    key = await env.key()
    body = {"filename": "a.wav", "language": "EN", "model": "tiny.en", "webhook_url": "https://example.com/j"}
    r = await env.client.post("/v1/jobs", headers=auth(key), json=body)
    assert r.status_code == 201, r.text
    job = r.json()["data"]
    assert job["options"]["language"] == "en" and job["options"]["model"] == "tiny.en"
    assert job["options"]["webhook_url"] == "https://example.com/j" and job["webhook_secret"]
    # The same value in both places is one value; different values are refused.
    same = {"filename": "a.wav", "language": "en", "options": {"language": "en"}}
    assert (await env.client.post("/v1/jobs", headers=auth(key), json=same)).status_code == 201
    clash = {"filename": "a.wav", "model": "base", "options": {"model": "tiny.en"}}
    r = await env.client.post("/v1/jobs", headers=auth(key), json=clash)
    assert r.status_code == 422 and "model" in r.json()["error"]["message"], r.text
    r = await env.client.post("/v1/jobs", headers=auth(key), json={"filename": "a.wav", "model": "/etc/passwd"})
    assert r.status_code == 422, "the top-level model meets the same allow-list"
    r = await env.client.post("/v1/jobs", headers=auth(key), json={"filename": "a.wav", "webhook_url": "ftp://x"})
    assert r.status_code == 422


async def test_top_level_fields_in_multipart(env: Env) -> None:
    key = await env.key()
    files = {"file": ("sample.wav", sample_wav().read_bytes(), "audio/wav")}
    r = await env.client.post("/v1/jobs", headers=auth(key), files=files, data={"language": "en", "options": json.dumps({"model": "tiny.en"})})
    assert r.status_code == 201, r.text
    assert r.json()["data"]["options"]["language"] == "en" and r.json()["data"]["options"]["model"] == "tiny.en"
    r = await env.client.post("/v1/jobs", headers=auth(key), files=files, data={"language": "de", "options": json.dumps({"language": "en"})})
    assert r.status_code == 422 and "language" in r.json()["error"]["message"]
