"""The object store in an S3-compatible bucket (AWS S3, MinIO, SeaweedFS), so API replicas and workers on
different machines share every job's media and results.

Through obstore (the Rust `object_store` crate behind an asyncio API): streaming multipart uploads, streaming
reads, listing, and presigned URLs, with no thread per request. S3 makes an object visible only when its PUT or
its multipart upload completes, so a reader never sees half an object; an upload that fails or goes past its cap
is aborted, which leaves no object under the key.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO

import obstore
from obstore.exceptions import NotFoundError
from obstore.store import S3Store

from store.objects.base import READ_CHUNK, ObjectInfo, ObjectNotFound, ObjectTooLarge, check_key, segments_under

# Multipart part size: S3's minimum is 5 MiB; 8 MiB keeps a 2 GiB upload at 256 parts and memory per upload
# bounded to a few parts in flight.
PART_BYTES = 8 << 20
_DELETE_BATCH = 1000  # S3 DeleteObjects takes at most 1000 keys


class _Capped:
    """An async byte stream that stops with ObjectTooLarge once it passed `limit`, counting what went by."""

    def __init__(self, chunks: AsyncIterator[bytes], limit: int | None) -> None:
        self.chunks, self.limit, self.size, self.over = chunks, limit, 0, False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.chunks:
            self.size += len(chunk)
            if self.limit is not None and self.size > self.limit:
                self.over = True
                raise ObjectTooLarge(self.limit)
            if chunk:
                yield bytes(chunk)


async def _file_chunks(src: BinaryIO) -> AsyncIterator[bytes]:
    while chunk := await asyncio.to_thread(src.read, READ_CHUNK):
        yield chunk


class S3ObjectStore:
    """`store` does the I/O; `signer` (the same store, or one built on the endpoint clients reach, when that
    differs from the one this process uses) signs the URLs handed to clients. Scratch copies for decoders go to
    `scratch_dir`."""

    def __init__(self, store: S3Store, scratch_dir: Path, signer: S3Store | None = None) -> None:
        self._store = store
        self._signer = signer or store
        self.scratch_dir = scratch_dir
        scratch_dir.mkdir(parents=True, exist_ok=True)

    async def put_stream(self, key: str, chunks: AsyncIterator[bytes], max_bytes: int | None = None) -> int:
        capped = _Capped(chunks, max_bytes)
        try:
            await obstore.put_async(self._store, check_key(key), capped, chunk_size=PART_BYTES)
        except ObjectTooLarge:
            raise
        except Exception:
            if capped.over:  # the cap fired inside obstore's reader and came back wrapped
                raise ObjectTooLarge(max_bytes or 0) from None
            raise
        return capped.size

    async def put_file(self, key: str, src: BinaryIO, max_bytes: int | None = None) -> int:
        return await self.put_stream(key, _file_chunks(src), max_bytes)

    async def put_bytes(self, key: str, data: bytes) -> None:
        await obstore.put_async(self._store, check_key(key), data)

    async def get_bytes(self, key: str) -> bytes:
        try:
            result = await obstore.get_async(self._store, check_key(key))
            return bytes(await result.bytes_async())
        except (NotFoundError, FileNotFoundError) as exc:
            raise ObjectNotFound(key) from exc

    async def size(self, key: str) -> int | None:
        try:
            meta = await obstore.head_async(self._store, check_key(key))
        except (NotFoundError, FileNotFoundError):
            return None
        return int(meta["size"])

    async def exists(self, key: str) -> bool:
        return await self.size(key) is not None

    async def delete(self, key: str) -> None:
        try:
            await obstore.delete_async(self._store, check_key(key))
        except (NotFoundError, FileNotFoundError):
            pass

    async def move(self, src: str, dst: str) -> None:
        """A server-side copy, then the source goes (S3 has no rename)."""
        try:
            await obstore.copy_async(self._store, check_key(src), check_key(dst))
        except (NotFoundError, FileNotFoundError) as exc:
            raise ObjectNotFound(src) from exc
        await self.delete(src)

    async def delete_prefix(self, prefix: str) -> None:
        batch: list[str] = []
        async for info in self.list(prefix):
            batch.append(info.key)
            if len(batch) == _DELETE_BATCH:
                await obstore.delete_async(self._store, batch)
                batch = []
        if batch:
            await obstore.delete_async(self._store, batch)

    async def list(self, prefix: str) -> AsyncIterator[ObjectInfo]:
        # object_store lists by whole path segments, so `media/j1` never yields `media/j10/...`.
        stream: Any = obstore.list(self._store, segments_under(prefix).rstrip("/"), chunk_size=_DELETE_BATCH)
        async for page in stream:
            for meta in page:
                yield ObjectInfo(str(meta["path"]), int(meta["size"]), meta["last_modified"])

    @asynccontextmanager
    async def local_copy(self, key: str, max_bytes: int | None = None) -> AsyncIterator[Path]:
        """Streams the object to a scratch file (never more than max_bytes), removed however the context ends."""
        path = self.scratch_dir / f"{uuid.uuid4().hex}-{check_key(key).rsplit('/', 1)[-1]}"
        try:
            try:
                result = await obstore.get_async(self._store, key)
            except (NotFoundError, FileNotFoundError) as exc:
                raise ObjectNotFound(key) from exc
            if max_bytes is not None and result.meta["size"] > max_bytes:
                raise ObjectTooLarge(max_bytes)
            out = await asyncio.to_thread(path.open, "wb")
            try:
                written = 0
                async for chunk in result.stream(min_chunk_size=READ_CHUNK):
                    written += len(chunk)
                    if max_bytes is not None and written > max_bytes:
                        raise ObjectTooLarge(max_bytes)
                    await asyncio.to_thread(out.write, chunk)
            finally:
                await asyncio.to_thread(out.close)
            yield path
        finally:
            path.unlink(missing_ok=True)

    async def reader_url(self, key: str, ttl_s: int = 600) -> str:
        return await obstore.sign_async(self._store, "GET", check_key(key), timedelta(seconds=ttl_s))

    async def presign_put(self, key: str, ttl_s: int) -> str | None:
        return await obstore.sign_async(self._signer, "PUT", check_key(key), timedelta(seconds=ttl_s))


def s3_store(
    url: str,
    *,
    endpoint_url: str | None,
    region: str | None,
    access_key_id: str | None,
    secret_access_key: str | None,
    virtual_hosted: bool,
) -> S3Store:
    """An S3Store for `s3://bucket/prefix`. What is not given comes from the standard AWS variables
    (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_ENDPOINT_URL...), which is how
    IAM roles for service accounts and instance profiles work too."""
    config: dict[str, Any] = {"virtual_hosted_style_request": virtual_hosted}
    if endpoint_url:
        config["endpoint"] = endpoint_url
    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if region:
        config["region"] = region
    if access_key_id and secret_access_key:
        config["access_key_id"] = access_key_id
        config["secret_access_key"] = secret_access_key
    # Plain HTTP only for an endpoint that says so (a MinIO/SeaweedFS in the same network, tests on loopback).
    effective = endpoint_url or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or ""
    client: dict[str, Any] = {"allow_http": effective.startswith("http://")}
    return S3Store.from_url(url, config=config, client_options=client)
