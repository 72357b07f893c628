"""How settings, plans and quotas are wired: credentials merged into the ClickHouse URL, unknown plans, and
quota decisions that survive a ClickHouse outage."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from metering.plans import PLANS, plan_or_default
from metering.quota import QuotaService
from metering.runtime import _redacted
from schemas.settings import CommonSettings


def test_clickhouse_url_gets_credentials_only_where_it_has_none(tmp_path: Path) -> None:
    base = {"data_dir": tmp_path}
    assert CommonSettings(**base).resolved_clickhouse_url() is None
    s = CommonSettings(**base, clickhouse_url="http://clickhouse:8123", clickhouse_user="parlance", clickhouse_password="p@ss/w")
    assert s.resolved_clickhouse_url() == "http://parlance:p%40ss%2Fw@clickhouse:8123"
    s = CommonSettings(**base, clickhouse_url="http://me:pw@clickhouse:8123/db", clickhouse_user="other")
    assert s.resolved_clickhouse_url() == "http://me:pw@clickhouse:8123/db"
    assert CommonSettings(**base, clickhouse_url="http://h:8123").resolved_clickhouse_url() == "http://h:8123"
    assert CommonSettings(**base).usage_batch_max_events == 1000 and CommonSettings(**base).quota_default_reservation_seconds == 60


def test_credentials_never_reach_logs() -> None:
    assert _redacted("http://u:secret@h:8123/db") == "http://h:8123/db"


def test_unknown_plan_bills_as_the_default() -> None:
    assert plan_or_default("pro") is PLANS["pro"]
    assert plan_or_default("platinum") is PLANS["free"]
    assert plan_or_default(None) is PLANS["free"]


class _DownClients:
    def __init__(self) -> None:
        self.up = True

    async def run(self, fn: Any) -> Any:
        if not self.up:
            raise ConnectionError("ClickHouse down")
        return type("Totals", (), {"billable_seconds": 120})()


async def test_clickhouse_outage_falls_back_to_the_cached_figure_then_the_ledger() -> None:
    clients = _DownClients()
    clock = [0.0]
    quota = QuotaService(clients, clock=lambda: clock[0])  # type: ignore[arg-type]
    start, end = datetime(2025, 1, 1, tzinfo=timezone.utc), datetime(2025, 2, 1, tzinfo=timezone.utc)
    assert await quota.clickhouse_used_seconds("acme", start, end) == 120
    clients.up = False
    clock[0] = 10.0  # cache expired, ClickHouse down: the last figure still counts
    assert await quota.clickhouse_used_seconds("acme", start, end) == 120
    assert await quota.clickhouse_used_seconds("globex", start, end) == 0  # nothing known: the ledger decides
