"""ClickHouse clients through clickhouse-connect: a server by URL, else the embedded chDB engine.

Thread-safety choice: **one client per thread** (`ClickHouseClients.get()` keeps a thread-local client).
chDB sessions must never be shared across threads with bound parameters, and clickhouse-connect's chDB
client serialises every call on a per-client lock anyway, so sharing one would also serialise all callers.
Async code calls `run()`, which hops to a worker thread that then uses its own client; clients over one chDB
path share the engine's data, so every thread sees the same tables.

chDB allows one data directory per process (and one process per directory): in embedded mode the API and the
worker must live in one process that owns `<data_dir>/clickhouse`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse

import clickhouse_connect
from clickhouse_connect.driver.client import Client

T = TypeVar("T")

DEFAULT_DATABASE = "parlance"


@dataclass(frozen=True)
class ClickHouseConfig:
    """Where ClickHouse lives. `url` wins; without it the embedded chDB engine stores data under `chdb_path`.

    url forms: `http://user:pw@host:8123/db`, `https://...:8443/db` (a server) or `chdb:///abs/dir` (embedded).
    """

    url: str | None = None
    chdb_path: Path | None = None
    database: str = DEFAULT_DATABASE
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def embedded(self) -> bool:
        return not self.url or self.url.startswith("chdb:")

    @classmethod
    def from_settings(cls, clickhouse_url: str | None, data_dir: Path, database: str | None = None) -> ClickHouseConfig:
        """The lead's settings → a config: `PARLANCE_CLICKHOUSE_URL` or `<data_dir>/clickhouse`."""
        db = database or _database_from_url(clickhouse_url) or DEFAULT_DATABASE
        return cls(url=clickhouse_url or None, chdb_path=data_dir / "clickhouse", database=db)


def _database_from_url(url: str | None) -> str | None:
    if not url or url.startswith("chdb:"):
        return None
    path = urlparse(url).path.strip("/")
    return path or None


def create_client(config: ClickHouseConfig, database: str | None = None) -> Client:
    """A new clickhouse-connect client. `database=""` connects without selecting one (to create it)."""
    db = config.database if database is None else database
    if config.embedded:
        path = config.chdb_path
        if config.url:  # chdb:///abs/dir
            path = Path(urlparse(config.url).path)
        if path is None:
            raise ValueError("embedded ClickHouse needs a chdb_path (or a chdb:/// URL)")
        path.mkdir(parents=True, exist_ok=True)
        return clickhouse_connect.get_client(
            interface="chdb", path=str(path), database=db or None, settings=config.settings
        )
    parsed = urlparse(config.url)
    return clickhouse_connect.get_client(
        interface=parsed.scheme or "http",
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or (8443 if parsed.scheme == "https" else 8123),
        username=unquote(parsed.username or "default"),
        password=unquote(parsed.password or ""),
        database=db or "default",
        settings=config.settings,
        # Server sessions are per-client state; none is needed and they forbid concurrent queries.
        autogenerate_session_id=False,
    )


def ensure_database(config: ClickHouseConfig) -> None:
    """Create the configured database if missing (idempotent), before clients select it."""
    client = create_client(config, database="")
    try:
        client.command(f"CREATE DATABASE IF NOT EXISTS `{config.database}`")
    finally:
        client.close()


class ClickHouseClients:
    """Thread-local clients for one config: `get()` in sync code, `await run(fn)` from async code.

    Built in an app lifespan (never at import) and closed there with `close()`.
    """

    def __init__(self, config: ClickHouseConfig) -> None:
        self.config = config
        self._local = threading.local()
        self._all: list[Client] = []
        self._lock = threading.Lock()
        self._closed = False

    def get(self) -> Client:
        client: Client | None = getattr(self._local, "client", None)
        if client is None:
            if self._closed:
                raise RuntimeError("ClickHouseClients is closed")
            client = create_client(self.config)
            self._local.client = client
            with self._lock:
                self._all.append(client)
        return client

    async def run(self, fn: Callable[[Client], T]) -> T:
        """Run a blocking ClickHouse call in a worker thread with that thread's own client."""
        return await asyncio.to_thread(lambda: fn(self.get()))

    def close(self) -> None:
        self._closed = True
        with self._lock:
            clients, self._all = self._all, []
        for client in clients:
            try:
                client.close()
            except Exception:  # noqa: BLE001 - closing is best effort at shutdown
                pass
