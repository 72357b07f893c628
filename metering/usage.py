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
    """insert_deduplication_token for a batch: the same ids in the same order always give the same token.

    Order-dependent on purpose: the token only has to match a retry of the very same batch (the sink retries
    the list it holds), and sorting 250k ids cost more than the hash. A batch cut differently after a crash
    gets a new token; the redelivery probe (`stored_event_ids`) is what drops its repeats.
    """
    return hashlib.sha256("\n".join(event_ids).encode()).hexdigest()


def usage_columns(events: Sequence[UsageRecorded]) -> list[list[object]]:
    """Column-oriented data: one list per column (cheaper to encode than rows)."""
    return [[getattr(e, name) for e in events] for name in USAGE_COLUMNS]


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
    insert_arrow_block(client, usage_arrow(events), batch_token([e.event_id for e in events]))


def insert_arrow_block(client: Client, table: "pa.Table", token: str) -> None:
    """Insert an Arrow table built by `usage_arrow` as one block deduplicated by `token`."""
    client.insert_arrow("usage_events", table, settings={**INSERT_SETTINGS, "insert_deduplication_token": token})


def stored_event_ids(client: Client, lo: datetime, hi: datetime) -> set[str]:
    """Event ids ClickHouse holds with occurred_at in [lo, hi] — the redelivery probe's question.

    Every copy of an event carries the same occurred_at (the job's completed_at, see `UsageRecorded.for_job`),
    so a redelivered event is found in its batch's time window. Asking by window rather than sending the
    batch's ids avoids ~1 s per 100k of parameter encoding; the window of a live batch is seconds to minutes
    of recent usage, and the month partition's per-part time range keeps older parts out of the scan. Not
    filtered by account: ids are global (UUIDv5 of job and kind), and a list of thousands of accounts cost
    more to bind than the extra rows cost to return.
    """
    result = client.query(
        "SELECT event_id FROM usage_events "
        "WHERE occurred_at >= {lo:DateTime64(3, 'UTC')} AND occurred_at <= {hi:DateTime64(3, 'UTC')}",
        parameters={"lo": lo, "hi": hi},
    )
    return {row[0] for row in result.result_rows}


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
