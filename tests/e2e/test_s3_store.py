"""The whole stack on the S3 object store (`parlance up` with PARLANCE_OBJECT_STORE_URL=s3://… on a real
SeaweedFS): a client PUTs a real recording to the store's presigned URL, calls `POST /v1/jobs/{id}/uploaded`,
and the worker transcribes it from a scratch copy it streams out of the bucket. Afterwards the bucket holds the
result and no media, and the worker's scratch directory is empty."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from schemas.settings import CommonSettings
from store.objects import open_object_store
from tests.e2e.conftest import Stack, free_port, stack_env, start_parlance_up, stop_parlance_up, wait_for_job
from tests.integration.store.conftest import s3_test_settings
from tests.support import kafka_janitor
from tests.support.samples import sample_wav


@pytest.fixture(scope="module")
def s3_stack(kafka_bootstrap: str, s3_settings: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, CommonSettings]]:
    data_dir = tmp_path_factory.mktemp("stack-s3")
    settings = s3_test_settings(s3_settings, data_dir)
    database_url = f"sqlite+aiosqlite:///{data_dir / 'parlance.db'}"
    prefix = kafka_janitor.scratch_prefix("e2e")
    env = stack_env(data_dir, database_url, kafka_bootstrap, free_port(), prefix)
    env.update({
        "PARLANCE_OBJECT_STORE_URL": settings.resolved_object_store_url(),
        "PARLANCE_S3_ENDPOINT_URL": settings.s3_endpoint_url or "",
        "PARLANCE_S3_REGION": settings.s3_region or "",
        "PARLANCE_S3_ACCESS_KEY_ID": settings.s3_access_key_id or "",
        "PARLANCE_S3_SECRET_ACCESS_KEY": s3_settings["PARLANCE_S3_SECRET_ACCESS_KEY"],
    })
    log = data_dir / "up.log"
    proc = start_parlance_up(env, log)
    try:
        yield Stack(url=f"http://127.0.0.1:{env['PARLANCE_PORT']}", env=env, log=log, topic_prefix=prefix,
                    kafka_bootstrap=kafka_bootstrap, database_url=database_url), settings
    finally:
        stop_parlance_up(proc)
        store = open_object_store(settings)
        for top in ("media", "results"):
            asyncio.run(store.delete_prefix(top))


async def _keys(settings: CommonSettings, prefix: str) -> list[str]:
    return sorted([info.key async for info in open_object_store(settings).list(prefix)])


def test_presigned_upload_is_transcribed_from_the_bucket(s3_stack: tuple[Stack, CommonSettings]) -> None:
    stack, settings = s3_stack
    with stack.client(stack.new_key()) as client:
        r = client.post("/v1/jobs", json={"filename": "call.wav", "options": {"language": "en"}})
        assert r.status_code == 201, r.text
        created = r.json()["data"]
        assert created["upload_url"].startswith(settings.s3_endpoint_url or "?")
        # A generous timeout: the store is a real server sharing two cores with the whole stack.
        put = httpx.put(created["upload_url"], content=sample_wav().read_bytes(), timeout=120)
        assert put.status_code == 200, put.text
        done = client.post(f"/v1/jobs/{created['id']}/uploaded")
        assert done.status_code == 200 and done.json()["data"]["status"] == "queued", done.text
        job, _ = wait_for_job(client, created["id"])
        assert job["status"] == "completed", job["error"]
        text = client.get(f"/v1/jobs/{job['id']}/result").json()["data"]["text"]
        assert len(text.split()) > 20
    # The worker deletes the media right after recording the completion (and the console's listening copy).
    deadline = time.monotonic() + 60
    while asyncio.run(_keys(settings, f"media/{job['id']}")) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert asyncio.run(_keys(settings, f"media/{job['id']}")) == []
    assert f"results/{job['id']}/transcript.json" in asyncio.run(_keys(settings, f"results/{job['id']}"))
    assert not (Path(stack.env["PARLANCE_DATA_DIR"]) / "objects").exists()  # nothing went to the local disk
    scratch = Path(stack.env["PARLANCE_DATA_DIR"]) / "scratch"
    assert scratch.is_dir() and list(scratch.iterdir()) == []  # the worker's copy was used, then removed
