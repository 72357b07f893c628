"""The API on the S3 store (a real SeaweedFS on loopback): two replicas with their own data directories share
one job through the bucket. JSON uploads go straight to the store on a presigned PUT; multipart uploads stream
through the API into it; results are read by whichever replica is asked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from api.app import create_app
from api.jobs import service
from api.state import ApiState
from schemas.result import Transcript
from store.jobs import lock_job
from tests.integration.api.conftest import Env, auth, settings_for
from tests.integration.store.conftest import s3_test_settings
from tests.support.samples import sample_wav

UPLOAD_LIMIT = 4 << 20


@pytest.fixture
async def replicas(
    tmp_path: Path, sqlite_url: str, kafka_bootstrap: str, topic_prefix: str, s3_settings: dict[str, str]
) -> AsyncIterator[tuple[Env, Env]]:
    """Two API apps on one job store and one bucket prefix, each with its own disk."""
    shared = s3_test_settings(s3_settings, tmp_path)
    s3 = {name: getattr(shared, name) for name in ("object_store_url", "s3_endpoint_url", "s3_region",
                                                    "s3_access_key_id", "s3_secret_access_key")}
    envs: list[Env] = []
    a = create_app(settings_for(tmp_path / "a", sqlite_url, kafka_bootstrap, topic_prefix, max_upload_bytes=UPLOAD_LIMIT, **s3))
    # chDB opens one directory per process: replica b uses a's ClickHouse clients (metering is not under test).
    b = create_app(settings_for(tmp_path / "b", sqlite_url, kafka_bootstrap, topic_prefix, max_upload_bytes=UPLOAD_LIMIT, **s3),
                   clickhouse=lambda: a.state.parlance.clickhouse)
    apps = [a, b]
    async with apps[0].router.lifespan_context(apps[0]), apps[1].router.lifespan_context(apps[1]):
        for app, name in zip(apps, ("a", "b")):
            client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
            envs.append(Env(app, client, tmp_path / name))
        try:
            yield envs[0], envs[1]
        finally:
            for env in envs:
                await env.client.aclose()
            for top in ("media", "results"):
                await envs[0].state.objects.delete_prefix(top)


async def keys_under(state: ApiState, prefix: str) -> list[str]:
    return sorted([info.key async for info in state.objects.list(prefix)])


async def test_presigned_upload_reaches_the_other_replica(replicas: tuple[Env, Env]) -> None:
    a, b = replicas
    key = await a.key()
    created = (await a.client.post("/v1/jobs", headers=auth(key), json={"filename": "call.wav"})).json()["data"]
    job_id, url = created["id"], created["upload_url"]
    endpoint = urlsplit(a.state.settings.s3_endpoint_url or "")
    assert urlsplit(url).netloc == endpoint.netloc and "X-Amz-Signature=" in url  # the store's URL, not the API's
    assert (await b.client.post(f"/v1/jobs/{job_id}/uploaded", headers=auth(key))).status_code == 409  # nothing yet

    media = sample_wav().read_bytes()
    async with httpx.AsyncClient() as http:  # the client talks to the store directly, with no credentials
        assert (await http.put(url, content=media)).status_code == 200
        done = await b.client.post(f"/v1/jobs/{job_id}/uploaded", headers=auth(key))
        assert done.status_code == 200, done.text
        job = done.json()["data"]
        assert job["status"] == "queued" and job["size_bytes"] == len(media)
        async with b.state.sessions() as session:
            row = await lock_job(session, job_id)
        assert row is not None and row.media_key is not None and row.media_key.startswith(f"media/{job_id}/source-")
        assert await keys_under(a.state, f"media/{job_id}") == [row.media_key]  # moved out of the URL's reach

        # A second PUT to the same URL cannot change what the worker reads; the call stays idempotent.
        assert (await http.put(url, content=b"not the media")).status_code == 200
    assert await a.state.objects.get_bytes(row.media_key) == media
    again = await a.client.post(f"/v1/jobs/{job_id}/uploaded", headers=auth(key))
    assert again.status_code == 200 and again.json()["data"]["status"] == "queued"

    # The duration probe read the object's header through a presigned GET: the real length, not the default.
    seconds = await service.estimate_seconds(a.state.objects, row.media_key, default=9999)
    assert 5 < seconds < 9999


async def test_an_oversized_presigned_upload_is_refused_and_deleted(replicas: tuple[Env, Env]) -> None:
    a, _ = replicas
    key = await a.key()
    created = (await a.client.post("/v1/jobs", headers=auth(key), json={"filename": "big.wav"})).json()["data"]
    async with httpx.AsyncClient() as http:
        assert (await http.put(created["upload_url"], content=b"x" * (UPLOAD_LIMIT + 1))).status_code == 200
    r = await a.client.post(f"/v1/jobs/{created['id']}/uploaded", headers=auth(key))
    assert r.status_code == 413 and r.json()["error"]["type"] == "payload_too_large"
    assert await keys_under(a.state, f"media/{created['id']}") == []
    assert (await a.client.get(f"/v1/jobs/{created['id']}", headers=auth(key))).json()["data"]["status"] == "pending"


async def test_multipart_upload_streams_to_the_bucket_and_results_are_read_by_any_replica(
    replicas: tuple[Env, Env],
) -> None:
    a, b = replicas
    key = await a.key()
    job_id = await a.job_id(key)
    assert await keys_under(b.state, f"media/{job_id}") == [f"media/{job_id}/source"]
    assert not (a.tmp_path / "objects").exists() and not (b.tmp_path / "objects").exists()  # nothing on disk

    transcript = Transcript(text="hello from the bucket", language="en", duration=1.0, model="tiny.en", segments=[], words=[])
    async with a.state.sessions.begin() as session:
        row = await lock_job(session, job_id)
        assert row is not None
        row.status, row.result_key = "completed", f"results/{job_id}/transcript.json"
    await a.state.objects.put_bytes(f"results/{job_id}/transcript.json", transcript.model_dump_json().encode())
    r = await b.client.get(f"/v1/jobs/{job_id}/result", headers=auth(key))
    assert r.status_code == 200 and r.json()["data"]["text"] == "hello from the bucket"

    assert (await b.client.delete(f"/v1/jobs/{job_id}", headers=auth(key))).status_code == 204
    assert await keys_under(a.state, f"media/{job_id}") == [] and await keys_under(a.state, f"results/{job_id}") == []
