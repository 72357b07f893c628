"""Opening metering's ClickHouse for a process: the lifespans of the API and the worker call this once.

Kept here so both processes open, migrate and describe failures the same way. In embedded mode the chDB data
directory can be opened by one process only; a second process gets chDB's lock error, which is turned into
a message that says what to do instead.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlparse

from metering.clickhouse import ClickHouseClients, ClickHouseConfig, ensure_database
from metering.migrate import migrate

log = logging.getLogger(__name__)


class ClickHouseUnavailable(RuntimeError):
    """ClickHouse could not be opened at startup."""


def open_clickhouse(clickhouse_url: str | None, data_dir: Path, database: str | None = None) -> ClickHouseClients:
    """Config from settings → database ensured → clients → migrations applied. Blocking: call it in a thread."""
    config = ClickHouseConfig.from_settings(clickhouse_url, data_dir, database)
    clients: ClickHouseClients | None = None
    try:
        ensure_database(config)
        clients = ClickHouseClients(config)
        migrate(clients.get())
    except Exception as exc:
        if clients is not None:
            clients.close()
        if config.embedded:
            where = config.url or config.chdb_path
            raise ClickHouseUnavailable(
                f"cannot open the embedded ClickHouse (chDB) at {where}: {exc}. One process only may open a chDB "
                "data directory: run the API and the worker together with `parlance up`, or point every process "
                "at a ClickHouse server with PARLANCE_CLICKHOUSE_URL."
            ) from exc
        raise ClickHouseUnavailable(f"cannot open ClickHouse at {_redacted(config.url)}: {exc}") from exc
    log.info(
        "ClickHouse ready: %s, database %s",
        f"embedded chDB at {config.url or config.chdb_path}" if config.embedded else _redacted(config.url),
        config.database,
    )
    return clients


def _redacted(url: str | None) -> str:
    """The URL without its credentials, for logs and errors."""
    parsed = urlparse(url or "")
    return parsed._replace(netloc=parsed.hostname or "" if parsed.port is None else f"{parsed.hostname}:{parsed.port}").geturl()
