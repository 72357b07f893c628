"""What every object store promises, whatever holds the bytes (a local directory, an S3 bucket).

Keys are made by the platform (`media/<job id>/...`, `results/<job id>/...`), never taken from a client; they
are still checked here, so a bug upstream can never turn into a path outside the store or a stray bucket key.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

# One segment: letters, digits, `_`, `-`, `.`, never starting with `.` (no `.`/`..`, no dotfiles such as the
# local store's `.tmp`). Job ids are UUIDs, so every real key fits.
_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}")

READ_CHUNK = 1 << 20


class ObjectNotFound(KeyError):
    pass


class ObjectTooLarge(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"object exceeds {limit} bytes")
        self.limit = limit


class InvalidKey(ValueError):
    pass


def check_key(key: str) -> str:
    """The key, if it is `segment/segment/...` of safe segments; InvalidKey otherwise."""
    parts = key.split("/")
    if len(key) > 1000 or not all(_SEGMENT.fullmatch(p) for p in parts):
        raise InvalidKey(f"invalid object key: {key!r}")
    return key


@dataclass(frozen=True)
class ObjectInfo:
    """One stored object, as a listing reports it (the orphan sweep judges age by `modified`)."""

    key: str
    size: int
    modified: datetime


@runtime_checkable
class ObjectStore(Protocol):
    """Media and result documents. Every write is atomic (a reader sees the whole object or none), every
    capped write leaves nothing behind when it goes past its cap."""

    async def put_file(self, key: str, src: BinaryIO, max_bytes: int | None = None) -> int:
        """Copy a file-like object in; returns its size. ObjectTooLarge past max_bytes."""
        ...

    async def put_stream(self, key: str, chunks: AsyncIterator[bytes], max_bytes: int | None = None) -> int:
        """Write an async byte stream (an HTTP body) in; returns its size. ObjectTooLarge past max_bytes."""
        ...

    async def put_bytes(self, key: str, data: bytes) -> None: ...

    async def get_bytes(self, key: str) -> bytes:
        """The whole object (result documents: small). ObjectNotFound when absent."""
        ...

    async def size(self, key: str) -> int | None:
        """The object's size, or None when there is none (a HEAD)."""
        ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove one object; absent is fine."""
        ...

    async def move(self, src: str, dst: str) -> None:
        """Give an object a new key (a client's presigned upload becomes the job's media, out of reach of a
        second PUT to the same URL). ObjectNotFound when `src` is absent."""
        ...

    async def delete_prefix(self, prefix: str) -> None:
        """Remove every object under `prefix/` (whole segments: `media/j1` never touches `media/j10/...`)."""
        ...

    def list(self, prefix: str) -> AsyncIterator[ObjectInfo]:
        """Every object under `prefix/`, in no promised order."""
        ...

    def local_copy(self, key: str, max_bytes: int | None = None) -> AbstractAsyncContextManager[Path]:
        """A local file with the object's bytes for as long as the context lasts (decoders want a path):
        the object itself for the local store, a bounded scratch copy, removed on every exit, for S3 (which
        raises ObjectNotFound for an absent object; the local store leaves that to the reader of the path)."""
        ...

    async def reader_url(self, key: str, ttl_s: int = 600) -> str:
        """Where FFmpeg can read the object without copying it (the API's duration probe reads headers only):
        a path for the local store, a presigned GET for S3. Never log it: it is a credential."""
        ...

    async def presign_put(self, key: str, ttl_s: int) -> str | None:
        """A URL a client can PUT the object to without credentials, or None when the store has none (the
        local store: the API receives uploads itself, on its own signed route)."""
        ...


def segments_under(prefix: str) -> str:
    """`prefix` checked and made a directory-like prefix (`media/j1/`), for whole-segment matching."""
    return check_key(prefix.rstrip("/")) + "/"
