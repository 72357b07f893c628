"""The local cluster for tests marked `cluster`: 3 brokers, ClickHouse over HTTP, PostgreSQL, two Ray nodes,
API replicas behind HAProxy and workers (cli/cluster.py). Starting one takes about a minute on two cores."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cli.cluster import LocalCluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    """One cluster per test module with 1 API replica and 1 worker; a module that needs more builds its own
    `LocalCluster(...)` the same way."""
    with LocalCluster(tmp_path_factory.mktemp("cluster"), api_replicas=1, workers=1) as running:
        yield running
