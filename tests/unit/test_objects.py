"""Object keys and the store factory (the behaviour of both stores is the contract in
tests/integration/store)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from schemas.settings import CommonSettings
from store.objects import (
    InvalidKey,
    LocalObjectStore,
    ObjectNotFound,
    ObjectTooLarge,
    S3ObjectStore,
    check_key,
    open_object_store,
)


async def test_put_get_delete(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    assert await store.put_file("media/j/source", io.BytesIO(b"abc" * 1000)) == 3000
    await store.put_bytes("results/j.json", b"{}")
    assert await store.get_bytes("results/j.json") == b"{}"
    await store.delete("results/j.json")
    with pytest.raises(ObjectNotFound):
        await store.get_bytes("results/j.json")


async def test_over_the_cap_leaves_nothing_behind(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    with pytest.raises(ObjectTooLarge):
        await store.put_file("media/big", io.BytesIO(b"x" * (3 << 20)), max_bytes=2 << 20)
    assert not await store.exists("media/big")
    assert list((tmp_path / ".tmp").iterdir()) == []


@pytest.mark.parametrize("key", ["media/0b6f-4c1e/source", "results/j/transcript.json", "media/j/upload-ab12cd"])
def test_platform_keys_pass(key: str) -> None:
    assert check_key(key) == key


@pytest.mark.parametrize("key", ["../../etc/passwd", "/etc/passwd", "a//b", "a/../b", ".tmp/x", "a/b/", "a b", "ü"])
def test_other_keys_are_refused(key: str) -> None:
    with pytest.raises(InvalidKey):
        check_key(key)


async def test_a_symlink_cannot_lead_out_of_the_root(tmp_path: Path) -> None:
    root = tmp_path / "objects"
    store = LocalObjectStore(root)
    (root / "media").symlink_to(tmp_path)
    with pytest.raises(ValueError, match="escapes"):
        await store.get_bytes("media/secret")


def test_default_is_the_local_directory(tmp_path: Path) -> None:
    settings = CommonSettings(data_dir=tmp_path)
    store = open_object_store(settings)
    assert isinstance(store, LocalObjectStore) and store.root == (tmp_path / "objects").resolve()
    assert settings.resolved_object_store_url() == (tmp_path / "objects").resolve().as_uri()


def test_file_url_names_the_directory(tmp_path: Path) -> None:
    store = open_object_store(CommonSettings(data_dir=tmp_path, object_store_url=(tmp_path / "o").as_uri()))
    assert isinstance(store, LocalObjectStore) and store.root == (tmp_path / "o").resolve()


def test_s3_url_builds_the_s3_store_without_connecting(tmp_path: Path) -> None:
    settings = CommonSettings(
        data_dir=tmp_path,
        object_store_url="s3://bucket/prefix",
        s3_endpoint_url="http://127.0.0.1:1",
        s3_access_key_id="k",
        s3_secret_access_key="s",  # type: ignore[arg-type]
    )
    store = open_object_store(settings)
    assert isinstance(store, S3ObjectStore) and store.scratch_dir == tmp_path / "scratch"


def test_other_schemes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        CommonSettings(data_dir=tmp_path, object_store_url="gs://bucket")
