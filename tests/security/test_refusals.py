"""Finding 6: refusals left empty `media/<job>` directories behind (402/429 refusals, lost Idempotency-Key races),
and some invalid requests answered 400 where docs/api.md promises 422."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.integration.api.conftest import Env, auth
from tests.support.samples import sample_wav


def _media_dirs(env: Env) -> list[Path]:
    media = env.tmp_path / "objects" / "media"
    return sorted(media.iterdir()) if media.exists() else []


async def test_refused_submissions_leave_no_media_directories(env: Env) -> None:
    key = await env.key(plan="free")  # one job in flight at a time
    first = await env.job_id(key)
    for _ in range(3):
        r = await env.submit(key)
        assert r.status_code == 429 and r.json()["error"]["type"] == "concurrency_limit", r.text
    assert [p.name for p in _media_dirs(env)] == [first]


async def test_losing_an_idempotency_race_leaves_no_media_directory(env: Env) -> None:
    key = await env.key()
    answers = await asyncio.gather(*(env.submit(key, headers={"Idempotency-Key": "race"}) for _ in range(6)))
    assert sorted(r.status_code for r in answers) == [200] * 5 + [201]
    assert len({r.json()["data"]["id"] for r in answers}) == 1
    assert [p.name for p in _media_dirs(env)] == [answers[0].json()["data"]["id"]]
    assert all(any(p.iterdir()) for p in _media_dirs(env))


async def test_a_refused_signed_upload_leaves_no_media_directory(env: Env) -> None:
    key = await env.key(plan="free")
    await env.job_id(key)  # holds the plan's one slot
    job = (await env.client.post("/v1/jobs", headers=auth(key), json={"filename": "a.wav"})).json()["data"]
    path = job["upload_url"].split("://", 1)[1].split("/", 1)[1]
    r = await env.client.put("/" + path, content=sample_wav().read_bytes(), headers={"Content-Type": "audio/wav"})
    assert r.status_code == 429, r.text
    assert job["id"] not in [p.name for p in _media_dirs(env)]


async def test_invalid_parameters_answer_422_as_documented(env: Env) -> None:
    key = await env.key()
    job = await env.job_id(key)
    checks = [
        await env.client.get(f"/v1/jobs/{job}/exports/pdf", headers=auth(key)),
        await env.client.get(f"/v1/jobs/{job}/exports/srt", params={"preset": "nope"}, headers=auth(key)),
        await env.client.post("/v1/captions/process", headers=auth(key), files={"file": ("a.srt", b"x")}, data={"preset": "nope"}),
        await env.client.post(
            "/v1/jobs", headers={**auth(key), "Content-Type": "multipart/form-data; boundary=xyz"},
            content=b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nabc",
        ),
    ]
    for r in checks:
        assert r.status_code == 422 and r.json()["error"]["type"] == "validation_error", (r.request.url, r.text)
