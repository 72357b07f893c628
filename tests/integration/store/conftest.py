"""Both object-store backends, each test in a fresh place: a tmp directory, or its own prefix in the local S3
server's bucket (removed afterwards)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from schemas.settings import CommonSettings
from store.objects import LocalObjectStore, ObjectStore, open_object_store
from tests.integration.api.conftest import env  # noqa: F401 - the API app fixture, for the upload tests here

MIB = 1 << 20


def s3_test_settings(s3_settings: dict[str, str], data_dir: Path) -> CommonSettings:
    """Settings for the local S3 server under a prefix of this test's own (tests share one bucket)."""
    env = {k.removeprefix("PARLANCE_").lower(): v for k, v in s3_settings.items()}
    env["object_store_url"] = f"{env['object_store_url']}/t-{uuid.uuid4().hex[:12]}"
    return CommonSettings(data_dir=data_dir, **env)  # type: ignore[arg-type]


@pytest.fixture(params=["local", "s3"])
async def object_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ObjectStore]:
    if request.param == "local":
        yield LocalObjectStore(tmp_path / "objects")
        return
    store = open_object_store(s3_test_settings(request.getfixturevalue("s3_settings"), tmp_path))
    yield store
    for top in ("media", "results"):
        await store.delete_prefix(top)
