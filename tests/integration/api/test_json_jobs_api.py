"""JSON job creation: filename → signed upload URL → PUT; media_url → queued without media; sandbox keys."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from api.jobs.uploads import sign
from api.settings import ApiSettings
from metering.reservations import Reservation
from store.objects import LocalObjectStore, ObjectTooLarge
from tests.integration.api.conftest import Env, auth
from tests.support.samples import sample_wav


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def _reservations(env: Env, job_id: str) -> list[Reservation]:
    async with env.state.sessions() as session:
        return list((await session.execute(select(Reservation).where(Reservation.job_id == job_id))).scalars())


async def test_filename_gives_a_signed_upload_url_used_once(env: Env) -> None:
    key = await env.key()
    r = await env.client.post("/v1/jobs", headers=auth(key), json={"filename": "call.wav", "options": {"language": "en"}})
    assert r.status_code == 201, r.text
    job = r.json()["data"]
    assert job["status"] == "pending" and job["upload_url"] and job["upload_expires_at"]
    assert job["filename"] == "call.wav" and job["sandbox"] is False
    assert await _reservations(env, job["id"]) == []  # minutes are reserved when the media arrives
    url = _path(job["upload_url"])

    # Tampered signature and expired URL: 403; nothing is stored.
    bad = url.replace("signature=", "signature=0")
    assert (await env.client.put(bad, content=b"x", headers={"Content-Type": "audio/wav"})).json()["error"]["type"] == "forbidden"
    expired = int(time.time()) - 1
    old = f"/v1/uploads/{job['id']}?expires={expired}&signature={sign(env.state.settings.upload_url_secret, job['id'], expired)}"
    r = await env.client.put(old, content=b"x", headers={"Content-Type": "audio/wav"})
    assert r.status_code == 403 and "expired" in r.json()["error"]["message"]
    # Not audio: 415.
    assert (await env.client.put(url, content=b"x", headers={"Content-Type": "text/html"})).status_code == 415

    r = await env.client.put(url, content=sample_wav().read_bytes(), headers={"Content-Type": "audio/wav"})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["status"] == "queued" and r.json()["data"]["size_bytes"] == sample_wav().stat().st_size
    assert [x.status for x in await _reservations(env, job["id"])] == ["active"]
    again = await env.client.put(url, content=b"more", headers={"Content-Type": "audio/wav"})
    assert again.status_code == 409 and again.json()["error"]["type"] == "conflict"


async def test_streamed_upload_size_cap(tmp_path: Path) -> None:
    """The object store side of the upload cap (PUT bodies may come chunked, without a Content-Length)."""
    objects = LocalObjectStore(tmp_path)

    async def body():  # type: ignore[no-untyped-def]
        for _ in range(3):
            yield b"x" * 600

    with pytest.raises(ObjectTooLarge):
        await objects.put_stream("media/j/upload-x", body(), max_bytes=1000)
    assert not (tmp_path / "media" / "j").exists() or not list((tmp_path / "media" / "j").iterdir())
    assert not list((tmp_path / ".tmp").iterdir())
    assert await objects.put_stream("media/j/upload-y", body(), max_bytes=2000) == 1800


async def test_media_url_job_is_queued_without_media(env: Env) -> None:
    key = await env.key()
    r = await env.client.post(
        "/v1/jobs", headers=auth(key), json={"media_url": "https://93.184.216.34/call.mp3", "options": {"metadata": {"a": "b"}}}
    )
    assert r.status_code == 201, r.text
    job = r.json()["data"]
    assert job["status"] == "queued" and job["media_url"] == "https://93.184.216.34/call.mp3" and job["upload_url"] is None
    assert [x.status for x in await _reservations(env, job["id"])] == ["active"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"filename": "a.wav", "media_url": "https://example.com/a.wav"},
        {"media_url": "ftp://example.com/a.wav"},
        {"filename": "a.wav", "options": {"nope": 1}},
        {"filename": "a.wav", "options": {"sandbox": {"finish_in": 1}}},  # live key
    ],
)
async def test_json_validation(env: Env, body: dict) -> None:  # type: ignore[type-arg]
    key = await env.key()
    r = await env.client.post("/v1/jobs", headers=auth(key), json=body)
    assert r.status_code == 422 and r.json()["error"]["type"] == "validation_error", r.text


async def test_media_url_private_address_refused(tmp_path, sqlite_url, kafka_bootstrap, topic_prefix) -> None:  # type: ignore[no-untyped-def]
    import httpx

    from api.app import create_app
    from tests.integration.api.conftest import settings_for

    settings = settings_for(tmp_path, sqlite_url, kafka_bootstrap, topic_prefix).model_copy(update={"allow_private_urls": False})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            key = await Env(app, client, tmp_path).key()
            for url in ("http://127.0.0.1/a.wav", "http://169.254.169.254/latest", "http://10.0.0.1/a.wav"):
                r = await client.post("/v1/jobs", headers=auth(key), json={"media_url": url})
                assert r.status_code == 422 and "media_url" in r.json()["error"]["message"], r.text


async def test_sandbox_keys_reserve_nothing(env: Env) -> None:
    key = await env.key(plan="free", live=False)
    # The free plan allows one job in flight; sandbox jobs count against nothing.
    ids = [await env.job_id(key, options={"sandbox": {"finish_in": 0}}) for _ in range(3)]
    for job_id in ids:
        assert await _reservations(env, job_id) == []
    r = await env.client.get(f"/v1/jobs/{ids[0]}", headers=auth(key))
    assert r.json()["data"]["sandbox"] is True
    r = await env.client.post("/v1/jobs", headers=auth(key), json={"filename": "a.wav", "options": {"sandbox": {"finish_in": 900}}})
    assert r.status_code == 201
    up = await env.client.put(_path(r.json()["data"]["upload_url"]), content=b"abc", headers={"Content-Type": "audio/wav"})
    assert up.status_code == 200 and await _reservations(env, r.json()["data"]["id"]) == []
    r = await env.client.post("/v1/jobs", headers=auth(key), json={"filename": "a.wav", "options": {"sandbox": {"finish_in": 901}}})
    assert r.status_code == 422


def test_default_upload_secret_refused_outside_local() -> None:
    with pytest.raises(ValueError, match="UPLOAD_URL_SECRET"):
        ApiSettings(environment="production")
    assert ApiSettings(environment="production", upload_url_secret="s3cret").upload_url_secret == "s3cret"
    assert ApiSettings(environment="test").environment == "test"
