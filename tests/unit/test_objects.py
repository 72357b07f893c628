"""The local object store: atomic writes, size cap, no escaping its root."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from store.objects import LocalObjectStore, ObjectNotFound, ObjectTooLarge


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


def test_keys_cannot_escape_the_root(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        LocalObjectStore(tmp_path).path("../../etc/passwd")
