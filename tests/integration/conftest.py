"""ClickHouse for integration tests (metering, call facts): the embedded chDB engine, or a server when
PARLANCE_CLICKHOUSE_URL is set.

chDB opens one data directory per process, so the whole session shares one directory and each test gets its
own database in it (on a server, likewise a database per test): the same test module runs on both.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from metering.clickhouse import ClickHouseClients, ClickHouseConfig, create_client, ensure_database
from metering.migrate import migrate


@pytest.fixture(scope="session")
def clickhouse_base(tmp_path_factory: pytest.TempPathFactory) -> ClickHouseConfig:
    url = os.environ.get("PARLANCE_CLICKHOUSE_URL") or None
    return ClickHouseConfig(url=url, chdb_path=tmp_path_factory.mktemp("chdb") / "clickhouse")


def fresh_database(base: ClickHouseConfig) -> ClickHouseConfig:
    config = ClickHouseConfig(url=base.url, chdb_path=base.chdb_path, database=f"t_{uuid.uuid4().hex[:12]}")
    ensure_database(config)
    client = create_client(config)
    try:
        migrate(client)
    finally:
        client.close()
    return config


@pytest.fixture
def ch(clickhouse_base: ClickHouseConfig) -> Iterator[ClickHouseClients]:
    """Thread-local clients on a migrated database of this test's own."""
    config = fresh_database(clickhouse_base)
    clients = ClickHouseClients(config)
    try:
        yield clients
    finally:
        clients.close()
        admin = create_client(config, database="")
        try:
            admin.command(f"DROP DATABASE IF EXISTS `{config.database}`")
        finally:
            admin.close()


@pytest.fixture
def chdb_dir(tmp_path: Path) -> Path:
    """A chDB directory for subprocesses (this process may hold another one open)."""
    return tmp_path / "worker-clickhouse"
