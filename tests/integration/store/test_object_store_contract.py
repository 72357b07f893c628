"""The object-store contract, run on both backends: the local directory and a real S3 server (SeaweedFS on
loopback, infra/local/seaweedfs.sh). Whatever the API and the worker rely on is asserted here once."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from store.objects import InvalidKey, ObjectNotFound, ObjectStore, ObjectTooLarge, S3ObjectStore
from tests.integration.store.conftest import MIB


async def chunks(total: int, size: int = MIB, *, fail_after: int | None = None) -> AsyncIterator[bytes]:
    """`total` bytes in `size` pieces whose content depends on their offset (a misordered part shows)."""
    sent = 0
    while sent < total:
        if fail_after is not None and sent >= fail_after:
            raise RuntimeError("client went away")
        n = min(size, total - sent)
        yield bytes([(sent // size) % 251]) * n
        sent += n
        await asyncio.sleep(0)


def expected(total: int, size: int = MIB) -> bytes:
    return b"".join(bytes([(off // size) % 251]) * min(size, total - off) for off in range(0, total, size))


async def keys(store: ObjectStore, prefix: str) -> list[str]:
    return sorted([info.key async for info in store.list(prefix)])


async def test_bytes_round_trip(object_store: ObjectStore) -> None:
    await object_store.put_bytes("results/j/transcript.json", b'{"text": "hi"}')
    assert await object_store.get_bytes("results/j/transcript.json") == b'{"text": "hi"}'
    assert await object_store.size("results/j/transcript.json") == 14
    assert await object_store.exists("results/j/transcript.json")
    await object_store.delete("results/j/transcript.json")
    await object_store.delete("results/j/transcript.json")  # absent is fine
    assert not await object_store.exists("results/j/transcript.json")
    assert await object_store.size("results/j/transcript.json") is None
    with pytest.raises(ObjectNotFound):
        await object_store.get_bytes("results/j/transcript.json")


async def test_streamed_upload_of_many_parts(object_store: ObjectStore) -> None:
    """20 MiB crosses S3's multipart threshold (8 MiB parts): the parts come back whole and in order."""
    total = 20 * MIB + 123
    assert await object_store.put_stream("media/j/upload", chunks(total)) == total
    assert await object_store.size("media/j/upload") == total
    async with object_store.local_copy("media/j/upload") as path:
        assert path.read_bytes() == expected(total)


async def test_past_the_cap_leaves_nothing(object_store: ObjectStore) -> None:
    with pytest.raises(ObjectTooLarge):
        await object_store.put_stream("media/j/upload", chunks(12 * MIB), max_bytes=10 * MIB)
    with pytest.raises(ObjectTooLarge):
        await object_store.put_file("media/j/source", io.BytesIO(b"x" * (3 * MIB)), max_bytes=2 * MIB)
    assert await keys(object_store, "media/j") == []


async def test_a_failed_write_never_shows_half_an_object(object_store: ObjectStore) -> None:
    """Overwrite that dies after 9 MiB (one S3 part already sent): readers keep the old object, whole."""
    await object_store.put_bytes("media/j/source", b"old")
    with pytest.raises(Exception, match="client went away"):
        await object_store.put_stream("media/j/source", chunks(20 * MIB, fail_after=9 * MIB))
    assert await object_store.get_bytes("media/j/source") == b"old"
    with pytest.raises(Exception, match="client went away"):
        await object_store.put_stream("media/j/other", chunks(20 * MIB, fail_after=9 * MIB))
    assert not await object_store.exists("media/j/other")


async def test_an_object_appears_only_when_its_write_completes(object_store: ObjectStore) -> None:
    seen_during: list[bool] = []

    async def slow() -> AsyncIterator[bytes]:
        for i in range(3):
            yield b"a" * MIB
            seen_during.append(await object_store.exists("media/j/source"))

    await object_store.put_stream("media/j/source", slow())
    assert seen_during == [False, False, False]
    assert await object_store.size("media/j/source") == 3 * MIB


async def test_prefix_delete_takes_whole_segments(object_store: ObjectStore) -> None:
    for key in ("media/j1/source", "media/j1/upload-a", "media/j10/source", "results/j1/transcript.json"):
        await object_store.put_bytes(key, b"x")
    assert await keys(object_store, "media") == ["media/j1/source", "media/j1/upload-a", "media/j10/source"]
    await object_store.delete_prefix("media/j1")
    assert await keys(object_store, "media") == ["media/j10/source"]
    assert await object_store.exists("results/j1/transcript.json")
    await object_store.delete_prefix("media/nothing-here")


async def test_move_gives_a_new_key(object_store: ObjectStore) -> None:
    await object_store.put_bytes("media/j/upload", b"media")
    await object_store.move("media/j/upload", "media/j/source-1")
    assert await keys(object_store, "media/j") == ["media/j/source-1"]
    assert await object_store.get_bytes("media/j/source-1") == b"media"
    with pytest.raises(ObjectNotFound):
        await object_store.move("media/j/upload", "media/j/source-2")


async def test_listing_reports_size_and_time(object_store: ObjectStore) -> None:
    await object_store.put_bytes("media/j/source", b"12345")
    [info] = [i async for i in object_store.list("media/j")]
    assert (info.key, info.size) == ("media/j/source", 5)
    assert info.modified.tzinfo is not None


async def test_local_copy_is_removed_on_every_path(object_store: ObjectStore, tmp_path: Path) -> None:
    await object_store.put_bytes("media/j/source", b"audio")
    async with object_store.local_copy("media/j/source") as path:
        assert path.read_bytes() == b"audio"
    with pytest.raises(RuntimeError):
        async with object_store.local_copy("media/j/source") as path:
            raise RuntimeError("decoder crashed")
    with pytest.raises(ObjectTooLarge):
        async with object_store.local_copy("media/j/source", max_bytes=2):
            pass
    if isinstance(object_store, S3ObjectStore):  # scratch copies are the S3 store's only local files
        with pytest.raises(ObjectNotFound):
            async with object_store.local_copy("media/j/missing"):
                pass
        assert not path.exists()
        assert os.listdir(object_store.scratch_dir) == []
    else:
        assert path.exists()  # the local store hands out the object itself
        async with object_store.local_copy("media/j/missing") as missing:  # the decoder reports it, as before
            assert not missing.exists()


@pytest.mark.parametrize("key", ["../etc/passwd", "/etc/passwd", "media//x", "media/./x", ".tmp/x", "media/j/..", ""])
async def test_keys_never_leave_the_store(object_store: ObjectStore, key: str) -> None:
    with pytest.raises(InvalidKey):
        await object_store.put_bytes(key, b"x")
    with pytest.raises(InvalidKey):
        await object_store.get_bytes(key)
    with pytest.raises(InvalidKey):
        await object_store.delete_prefix(key)


async def test_presigned_upload_and_read(object_store: ObjectStore) -> None:
    """S3: a client PUTs to the presigned URL with no credentials, and FFmpeg-style readers GET the other one.
    The local store has no presigned PUT (the API receives uploads on its own signed route)."""
    url = await object_store.presign_put("media/j/upload", ttl_s=4 * 3600)
    if not isinstance(object_store, S3ObjectStore):
        assert url is None
        assert Path(await object_store.reader_url("media/j/upload")).name == "upload"
        return
    assert url is not None and parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["14400"]
    async with httpx.AsyncClient() as http:
        assert (await http.put(url, content=b"media bytes")).status_code == 200
        assert await object_store.get_bytes("media/j/upload") == b"media bytes"
        assert (await http.put(url.replace("media/j/upload", "media/j/other"), content=b"x")).status_code == 403
        read = await object_store.reader_url("media/j/upload")
        assert (await http.get(read)).content == b"media bytes"
        assert (await http.get(read.split("?")[0])).status_code == 403  # the signature is the credential
