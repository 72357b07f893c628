"""Issue 17's tests run on the API integration app (real app, local Kafka) over both stores: the embedded
SQLite and a real PostgreSQL (`db_url`), since quotes are changed under PostgreSQL's row lock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from tests.integration.api.conftest import Env, settings_for


@pytest.fixture
async def env(tmp_path: Path, db_url: str, kafka_bootstrap: str, topic_prefix: str) -> AsyncIterator[Env]:
    app = create_app(settings_for(tmp_path, db_url, kafka_bootstrap, topic_prefix))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            yield Env(app, client, tmp_path)
