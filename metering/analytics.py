"""Usage and call-outcome analytics, answered from ClickHouse (rollups for usage, call_facts for calls).

Ranges are half-open [from, to) in UTC; a bucket (hour, day, month) is included when it overlaps the range.
`account_id=None` means admin scope (all accounts); the API decides who may ask for that.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from decimal import Decimal
from typing import Any, Literal

from clickhouse_connect.driver.client import Client
from pydantic import BaseModel

from metering.plans import Plan, billing_period, period_charges
from metering.usage import period_usage

Granularity = Literal["hour", "day", "month"]

# granularity → (rollup table, its time column, expression of the bucket start); _FLOOR: the range start floored
_ROLLUPS: dict[str, tuple[str, str, str]] = {
    "hour": ("usage_hourly", "hour", "hour"),
    "day": ("usage_daily", "day", "day"),
    "month": ("usage_daily", "day", "toStartOfMonth(day)"),
}
_FLOOR = {"hour": "toStartOfHour({start:DateTime64(3, 'UTC')}, 'UTC')", "day": "toDate({start:DateTime64(3, 'UTC')}, 'UTC')",
          "month": "toStartOfMonth(toDate({start:DateTime64(3, 'UTC')}, 'UTC'))"}


def _aware(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
    return datetime.combine(value, time(), tzinfo=timezone.utc)  # rollup dates are UTC days


class AccountUsage(BaseModel):
    account_id: str
    plan: str
    period_start: datetime
    period_end: datetime
    minutes_used: float
    minutes_included: int
    minutes_remaining: float
    minutes_reserved: float
    overage_minutes: float
    overage_cost_cents: int
    jobs_by_status: dict[str, int]


def account_usage(
    client: Client,
    *,
    account_id: str,
    plan: Plan,
    now: datetime,
    ledger_settled_seconds: int = 0,
    reserved_seconds: int = 0,
    jobs_by_status: dict[str, int] | None = None,
) -> AccountUsage:
    """`GET /v1/account/usage`. Pass the ledger's figures so the page agrees with what quotas enforce."""
    start, end = billing_period(now)
    used = max(period_usage(client, account_id, start, end).billable_seconds, ledger_settled_seconds)
    charges = period_charges(plan, used)
    return AccountUsage(
        account_id=account_id, plan=plan.id, period_start=start, period_end=end,
        minutes_used=round(used / 60, 2), minutes_included=plan.included_minutes,
        minutes_remaining=round(max(0, charges.remaining_seconds - reserved_seconds) / 60, 2),
        minutes_reserved=round(reserved_seconds / 60, 2),
        overage_minutes=round(charges.overage_seconds / 60, 2), overage_cost_cents=charges.overage_cents,
        jobs_by_status=jobs_by_status or {},
    )


class UsagePoint(BaseModel):
    period_start: datetime
    events: int
    minutes: float
    billable_minutes: float
    cost_cents: Decimal


class AccountTotal(BaseModel):
    account_id: str
    events: int
    billable_minutes: float
    cost_cents: Decimal


class UsageAnalytics(BaseModel):
    granularity: Granularity
    start: datetime
    end: datetime
    account_id: str | None
    points: list[UsagePoint]
    top_accounts: list[AccountTotal] | None = None


def usage_analytics(
    client: Client, *, start: datetime, end: datetime, granularity: Granularity,
    account_id: str | None, top: int = 10,
) -> UsageAnalytics:
    table, column, bucket = _ROLLUPS[granularity]
    where = f"{column} >= {_FLOOR[granularity]} AND {column} < {{end:DateTime64(3, 'UTC')}}"
    params: dict[str, Any] = {"start": _aware(start), "end": _aware(end)}
    if account_id is not None:
        where += " AND account_id = {account:String}"
        params["account"] = account_id
    rows = client.query(
        f"SELECT {bucket} AS b, sum(events), sum(quantity_seconds), sum(billable_seconds), sum(cost_cents) "
        f"FROM {table} WHERE {where} GROUP BY b ORDER BY b",
        parameters=params,
    ).result_rows
    points = [
        UsagePoint(period_start=_aware(b), events=int(n), minutes=round(q / 60, 4),
                   billable_minutes=round(s / 60, 4), cost_cents=Decimal(c))
        for b, n, q, s, c in rows
    ]
    result = UsageAnalytics(granularity=granularity, start=_aware(start), end=_aware(end), account_id=account_id, points=points)
    if account_id is None:
        top_rows = client.query(
            f"SELECT account_id, sum(events), sum(billable_seconds) AS s, sum(cost_cents) FROM {table} "
            f"WHERE {where} GROUP BY account_id ORDER BY s DESC, account_id LIMIT {int(top)}",
            parameters=params,
        ).result_rows
        result.top_accounts = [
            AccountTotal(account_id=a, events=int(n), billable_minutes=round(s / 60, 4), cost_cents=Decimal(c))
            for a, n, s, c in top_rows
        ]
    return result


class CallGroup(BaseModel):
    key: str
    calls: int
    minutes: float


class CallPeriod(BaseModel):
    period_start: datetime
    calls: int
    minutes: float
    average_duration_seconds: float


class CallAnalytics(BaseModel):
    start: datetime
    end: datetime
    account_id: str | None
    calls: int
    minutes: float
    average_duration_seconds: float
    by_call_type: list[CallGroup]
    by_outcome: list[CallGroup]
    by_sentiment: list[CallGroup]
    periods: list[CallPeriod]


def call_analytics(
    client: Client, *, start: datetime, end: datetime, account_id: str | None, granularity: Granularity = "day"
) -> CallAnalytics:
    """`GET /v1/analytics/calls`: counts and minutes by call type, outcome and sentiment, per period."""
    where = "occurred_at >= {start:DateTime64(3, 'UTC')} AND occurred_at < {end:DateTime64(3, 'UTC')}"
    params: dict[str, Any] = {"start": _aware(start), "end": _aware(end)}
    if account_id is not None:
        where += " AND account_id = {account:String}"
        params["account"] = account_id
    source = f"(SELECT * FROM call_facts FINAL WHERE {where})"

    def groups(column: str) -> list[CallGroup]:
        rows = client.query(
            f"SELECT {column}, count(), sum(duration_seconds) FROM {source} GROUP BY {column} ORDER BY count() DESC, {column}",
            parameters=params,
        ).result_rows
        return [CallGroup(key=k, calls=int(n), minutes=round(s / 60, 4)) for k, n, s in rows]

    bucket = {"hour": "toStartOfHour(occurred_at, 'UTC')", "day": "toStartOfDay(occurred_at, 'UTC')",
              "month": "toStartOfMonth(occurred_at, 'UTC')"}[granularity]
    period_rows = client.query(
        f"SELECT {bucket} AS b, count(), sum(duration_seconds), avg(duration_seconds) FROM {source} GROUP BY b ORDER BY b",
        parameters=params,
    ).result_rows
    calls, seconds, avg = client.query(
        f"SELECT count(), sum(duration_seconds), if(count() = 0, 0, avg(duration_seconds)) FROM {source}",
        parameters=params,
    ).first_row
    return CallAnalytics(
        start=_aware(start), end=_aware(end), account_id=account_id, calls=int(calls),
        minutes=round(seconds / 60, 4), average_duration_seconds=round(float(avg), 3),
        by_call_type=groups("call_type"), by_outcome=groups("outcome"), by_sentiment=groups("sentiment"),
        periods=[CallPeriod(period_start=_aware(b), calls=int(n), minutes=round(s / 60, 4),
                            average_duration_seconds=round(float(a), 3)) for b, n, s, a in period_rows],
    )
