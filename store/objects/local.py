"""The object store in a local directory: the embedded default, and any deployment whose API and workers share
one filesystem.

Writes are atomic (temp file + rename), so a reader never sees half an object and a crash leaves no partial
object under a real key.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from store.objects.base import READ_CHUNK, ObjectInfo, ObjectNotFound, ObjectTooLarge, check_key, segments_under


class LocalObjectStore:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        (self.root / ".tmp").mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        if self.root not in path.parents:  # a symlink inside the root pointing out of it
            raise ValueError(f"object key escapes the store: {key!r}")
        return path

    def _tmp(self) -> Path:
        return self.root / ".tmp" / uuid.uuid4().hex

    def _commit(self, tmp: Path, key: str) -> None:
        dest = self._path(key)
        for _ in range(3):  # a concurrent `delete` may prune the directory between mkdir and rename
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(tmp, dest)
                return
            except FileNotFoundError:
                if not tmp.exists():
                    raise
        os.replace(tmp, dest)

    def _put_file_sync(self, key: str, src: BinaryIO, max_bytes: int | None) -> int:
        tmp = self._tmp()
        size = 0
        try:
            with tmp.open("wb") as out:
                while chunk := src.read(READ_CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise ObjectTooLarge(max_bytes)
                    out.write(chunk)
            self._commit(tmp, key)
        finally:
            tmp.unlink(missing_ok=True)
        return size

    async def put_file(self, key: str, src: BinaryIO, max_bytes: int | None = None) -> int:
        check_key(key)
        return await asyncio.to_thread(self._put_file_sync, key, src, max_bytes)

    async def put_stream(self, key: str, chunks: AsyncIterator[bytes], max_bytes: int | None = None) -> int:
        check_key(key)
        tmp = self._tmp()
        size = 0
        out = await asyncio.to_thread(tmp.open, "wb")
        try:
            try:
                async for chunk in chunks:
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise ObjectTooLarge(max_bytes)
                    await asyncio.to_thread(out.write, chunk)
            finally:
                await asyncio.to_thread(out.close)
            await asyncio.to_thread(self._commit, tmp, key)
        finally:
            tmp.unlink(missing_ok=True)
        return size

    def _put_bytes_sync(self, key: str, data: bytes) -> None:
        tmp = self._tmp()
        try:
            tmp.write_bytes(data)
            self._commit(tmp, key)
        finally:
            tmp.unlink(missing_ok=True)

    async def put_bytes(self, key: str, data: bytes) -> None:
        check_key(key)
        await asyncio.to_thread(self._put_bytes_sync, key, data)

    async def get_bytes(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except (FileNotFoundError, IsADirectoryError) as exc:
            raise ObjectNotFound(key) from exc

    async def size(self, key: str) -> int | None:
        path = self._path(key)
        return path.stat().st_size if path.is_file() else None

    async def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._delete_sync, key)

    def _delete_sync(self, key: str) -> None:
        """Directories are this store's artifact, not objects (S3 has none): the ones a deletion leaves empty
        go too, so a refused upload leaves no empty `media/<job>/` behind."""
        path = self._path(key)
        path.unlink(missing_ok=True)
        self._prune(path.parent)

    def _prune(self, directory: Path) -> None:
        for parent in (directory, *directory.parents):
            if parent == self.root:
                break
            try:
                parent.rmdir()
            except OSError:  # not empty (or already gone): stop here
                break

    async def move(self, src: str, dst: str) -> None:
        source, dest = self._path(src), self._path(dst)
        if not source.is_file():
            raise ObjectNotFound(src)
        try:
            await asyncio.to_thread(self._commit, source, dst)
        except FileNotFoundError as exc:  # a concurrent move took it first
            raise ObjectNotFound(src) from exc
        if source.parent != dest.parent:
            self._prune(source.parent)

    async def delete_prefix(self, prefix: str) -> None:
        path = self._path(segments_under(prefix).rstrip("/"))
        await asyncio.to_thread(shutil.rmtree, path, ignore_errors=True)
        await asyncio.to_thread(self._prune, path.parent)

    async def list(self, prefix: str) -> AsyncIterator[ObjectInfo]:
        base = self._path(segments_under(prefix).rstrip("/"))
        files = await asyncio.to_thread(lambda: [p for p in base.rglob("*") if p.is_file()] if base.is_dir() else [])
        for path in files:
            stat = path.stat()
            key = path.relative_to(self.root).as_posix()
            yield ObjectInfo(key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, timezone.utc))

    @asynccontextmanager
    async def local_copy(self, key: str, max_bytes: int | None = None) -> AsyncIterator[Path]:
        """The object itself: no copy on a shared filesystem. An absent object is the reader's to report (the
        decoder fails on it as it would on any unreadable file)."""
        size = await self.size(key)
        if max_bytes is not None and size is not None and size > max_bytes:
            raise ObjectTooLarge(max_bytes)
        yield self._path(key)

    async def reader_url(self, key: str, ttl_s: int = 600) -> str:
        return str(self._path(key))

    async def presign_put(self, key: str, ttl_s: int) -> str | None:
        return None
