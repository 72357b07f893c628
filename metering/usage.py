"""Every ClickHouse query on `usage_events` (the repository of the raw billing record)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timezone
from decimal import Decimal
from typing import TYPE_CHECKING

from clickhouse_connect.driver.client import Client
from pydantic import BaseModel

from metering.events import UsageRecorded

if TYPE_CHECKING:
    import pyarrow as pa

USAGE_COLUMNS = [
    "event_id", "account_id", "job_id", "kind", "quantity_seconds",
    "billable_seconds", "cost_cents", "plan", "occurred_at",
]
# Make an insert that repeats an earlier one (same token) a no-op, for the raw table and the rollup views fed
# from it. The views' targets carry a dedup window of their own (see the migrations).
DEDUP_SETTINGS = {"deduplicate_blocks_in_dependent_materialized_views": 1}
# optimize_on_insert=0: do not collapse rows inside each inserted block (Replacing/Summing merge at insert).
# The sink already drops duplicate ids within a batch, every billing query deduplicates by event_id and every
# rollup query sums with GROUP BY, so the collapse bought nothing; skipping it measured ~1.5x insert throughput
# on chDB (benchmarks/metering_bench.py).
INSERT_SETTINGS = {**DEDUP_SETTINGS, "optimize_on_insert": 0}


def batch_token(event_ids: Sequence[str]) -> str:
    """insert_deduplication_token for a batch: the same set of ids always gives the same token."""
    return hashlib.sha256("\n".join(sorted(event_ids)).encode()).hexdigest()


def usage_columns(events: Sequence[UsageRecorded]) -> list[list[object]]:
    """Column-oriented data: one list per column (cheaper to encode than rows)."""
    return [
        [e.event_id for e in events],
        [e.account_id for e in events],
        [e.job_id for e in events],
        [e.kind for e in events],
        [e.quantity_seconds for e in events],
        [e.billable_seconds for e in events],
        [e.cost_cents for e in events],
        [e.plan for e in events],
        [e.occurred_at for e in events],
    ]


def usage_arrow(events: Sequence[UsageRecorded]) -> "pa.Table":
    """The batch as an Arrow table typed like `usage_events` (cost_cents is already kept to 1/10000 cent)."""
    import pyarrow as pa

    columns = usage_columns(events)
    types = [pa.string(), pa.string(), pa.string(), pa.string(), pa.float64(), pa.uint64(), pa.decimal128(18, 4),
             pa.string(), pa.timestamp("ms", tz="UTC")]
    return pa.table([pa.array(col, type=t) for col, t in zip(columns, types)], names=USAGE_COLUMNS)


def insert_usage(client: Client, events: Sequence[UsageRecorded]) -> None:
    """Insert one batch as one block, with a token derived from its ids.

    Sent as Arrow (`insert_arrow`): pyarrow converts each column in C, where clickhouse-connect's own Native
    encoder walks every value in Python (measured with 250k-event batches: 238k vs 177k events/s).
    """
    if not events:
        return
    client.insert_arrow(
        "usage_events",
        usage_arrow(events),
        settings={**INSERT_SETTINGS, "insert_deduplication_token": batch_token([e.event_id for e in events])},
    )


def existing_event_ids(client: Client, events: Sequence[UsageRecorded]) -> set[str]:
    """Which of these events ClickHouse already holds (redelivery after an insert whose commit was lost).

    Every copy of an event carries the same occurred_at (the job's completed_at, see `UsageRecorded.for_job`),
    so the probe asks for the ids stored in the batch's time window for its accounts and intersects here.
    Sending the batch's ids instead costs ~1 s per 100k (parameter encoding); the window is usually a few
    minutes of recent usage, and partition pruning keeps it off history.
    """
    if not events:
        return set()
    accounts = sorted({e.account_id for e in events})
    times = [e.occurred_at for e in events]
    result = client.query(
        "SELECT event_id FROM usage_events "
        "WHERE occurred_at >= {lo:DateTime64(3, 'UTC')} AND occurred_at <= {hi:DateTime64(3, 'UTC')} "
        "AND account_id IN {accounts:Array(String)}",
        parameters={"lo": min(times), "hi": max(times), "accounts": accounts},
    )
    wanted = {e.event_id for e in events}
    return {row[0] for row in result.result_rows if row[0] in wanted}


class UsageTotals(BaseModel):
    events: int
    quantity_seconds: float
    billable_seconds: int
    cost_cents: Decimal


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("naive datetime given to a UTC query")
    return at.astimezone(timezone.utc)


def period_usage(client: Client, account_id: str, start: datetime, end: datetime) -> UsageTotals:
    """One account's usage in [start, end), exact even if duplicates slipped in (zombie consumers).

    Deduplicates with GROUP BY event_id instead of FINAL: on one account's month that is a few thousand rows
    (~5 ms), while FINAL pays a fixed cost of merging every part (~40 ms on chDB).
    """
    row = client.query(
        "SELECT count(), sum(q), sum(b), sum(c) FROM ("
        " SELECT event_id, any(quantity_seconds) AS q, any(billable_seconds) AS b, any(cost_cents) AS c"
        " FROM usage_events WHERE account_id = {account:String}"
        " AND occurred_at >= {start:DateTime64(3, 'UTC')} AND occurred_at < {end:DateTime64(3, 'UTC')}"
        " GROUP BY event_id)",
        parameters={"account": account_id, "start": _utc(start), "end": _utc(end)},
    ).first_row
    return UsageTotals(
        events=int(row[0]), quantity_seconds=float(row[1]), billable_seconds=int(row[2]), cost_cents=Decimal(row[3])
    )
