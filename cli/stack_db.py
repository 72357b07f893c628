"""One job-store session for a CLI command (migrated first), without starting the API or the worker."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")


def with_session(fn: Callable[[Any], Awaitable[T]]) -> T:
    """Run `fn(session)` in one committed transaction on the configured job store."""
    from api.settings import ApiSettings
    from store.db import create_engine, create_sessionmaker, migrate

    settings = ApiSettings()

    async def go() -> T:
        url = settings.resolved_database_url()
        await migrate(url)
        engine = create_engine(url)
        try:
            async with create_sessionmaker(engine).begin() as session:
                return await fn(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())
