"""Property-based requests from the OpenAPI document (schemathesis): whatever the generated input, the API never
answers 5xx. The app runs in process (real SQLite, embedded chDB, the local Kafka) on one event loop in a
thread; every generated case is sent through httpx's ASGI transport on that loop. Bounded: a few examples per
operation, no deadline."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from api.app import create_app
from store.keys import create_key, get_or_create_account
from tests.integration.api.conftest import settings_for
from tests.support import kafka_janitor

MAX_EXAMPLES = 8


class LiveApp:
    """The app's lifespan and an httpx client on a private loop, callable from synchronous hypothesis tests."""

    def __init__(self, tmp: Path, kafka_bootstrap: str) -> None:
        db = f"sqlite+aiosqlite:///{tmp / 'parlance.db'}"
        self.app = create_app(settings_for(tmp, db, kafka_bootstrap, kafka_janitor.scratch_prefix("schema"), rate_limit_enabled=False))
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._stop = asyncio.Event()
        self._ready = self.run(self._enter())

    def run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=120)

    async def _enter(self) -> None:
        self._lifespan = self.app.router.lifespan_context(self.app)
        await self._lifespan.__aenter__()
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://test")
        async with self.app.state.parlance.sessions.begin() as session:
            account = await get_or_create_account(session, "schemathesis", "enterprise")
            _, self.key = await create_key(session, account, ["admin"], live=False)

    async def _exit(self) -> None:
        await self.client.aclose()
        await self._lifespan.__aexit__(None, None, None)

    def close(self) -> None:
        self.run(self._exit())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, kafka_bootstrap: str) -> Iterator[LiveApp]:
    app = LiveApp(tmp_path_factory.mktemp("schemathesis"), kafka_bootstrap)
    yield app
    app.close()


# The document only: create_app opens nothing until its lifespan runs.
schema = schemathesis.openapi.from_dict(create_app().openapi())


def _text(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_text(v) if i == 1 else v for i, v in enumerate(value))
    return value if isinstance(value, (bytes, str)) else json.dumps(value)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case: Any, live: LiveApp) -> None:
    kwargs = case.as_transport_kwargs(base_url="http://test", headers={"Authorization": f"Bearer {live.key}"})
    kwargs.pop("cookies", None)
    for field in ("files", "data"):  # generated multipart parts may be numbers or objects: send text, as a client would
        if isinstance(kwargs.get(field), dict):
            kwargs[field] = {name: _text(value) for name, value in kwargs[field].items()}
        elif isinstance(kwargs.get(field), list):
            kwargs[field] = [(name, _text(value)) for name, value in kwargs[field]]
    response = live.run(live.client.request(**kwargs))
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text}"
    assert "error" in response.json() if response.status_code >= 400 and response.content else True
