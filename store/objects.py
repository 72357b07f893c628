"""Object store for media and result documents. Local directory by default (S3 is the production swap).

Writes are atomic (temp file + rename), so a reader never sees half an object and a crash leaves no partial
object under a real key.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path
from collections.abc import AsyncIterator
from typing import BinaryIO


class ObjectNotFound(KeyError):
    pass


class ObjectTooLarge(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"object exceeds {limit} bytes")
        self.limit = limit


class LocalObjectStore:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        (self.root / ".tmp").mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        """Filesystem path of an object (the worker decodes media straight from it)."""
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise ValueError(f"object key escapes the store: {key!r}")
        return path

    def _tmp(self) -> Path:
        return self.root / ".tmp" / uuid.uuid4().hex

    def _commit(self, tmp: Path, key: str) -> None:
        dest = self.path(key)
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
                while chunk := src.read(1 << 20):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise ObjectTooLarge(max_bytes)
                    out.write(chunk)
            self._commit(tmp, key)
        finally:
            tmp.unlink(missing_ok=True)
        return size

    async def put_file(self, key: str, src: BinaryIO, max_bytes: int | None = None) -> int:
        """Copy a file-like object in; returns its size. Raises ObjectTooLarge past max_bytes."""
        return await asyncio.to_thread(self._put_file_sync, key, src, max_bytes)

    async def put_stream(self, key: str, chunks: AsyncIterator[bytes], max_bytes: int | None = None) -> int:
        """Write an async byte stream (an HTTP body) in; returns its size. Raises ObjectTooLarge past max_bytes
        (nothing is left behind)."""
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
        await asyncio.to_thread(self._put_bytes_sync, key, data)

    async def get_bytes(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self.path(key).read_bytes)
        except FileNotFoundError as exc:
            raise ObjectNotFound(key) from exc

    async def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._delete_sync, key)

    def _delete_sync(self, key: str) -> None:
        """Directories are this store's artifact, not objects (S3 has none): the ones a deletion leaves empty
        go too, so a refused upload leaves no empty `media/<job>/` behind."""
        path = self.path(key)
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == self.root:
                break
            try:
                parent.rmdir()
            except OSError:  # not empty (or already gone): stop here
                break

    async def delete_prefix(self, prefix: str) -> None:
        await asyncio.to_thread(shutil.rmtree, self.path(prefix), ignore_errors=True)
