"""Analytics rules: who sees which accounts, which ranges are allowed; the queries live in metering.analytics."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from api.errors import ValidationFailed
from api.state import ApiState
from metering.analytics import CallAnalytics, Granularity, UsageAnalytics, call_analytics, usage_analytics
from metering.plans import billing_period
from store.keys import Principal
from store.types import utcnow

# Hourly points over more than a quarter are thousands of rows nobody reads; ask for days instead.
MAX_HOURLY_RANGE = timedelta(days=92)


def resolve_range(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """Defaults: the current billing month. Naive datetimes are UTC. `from` must be before `to`."""
    period_start, period_end = billing_period(utcnow())
    start = _utc(start) if start is not None else period_start
    end = _utc(end) if end is not None else period_end
    if start >= end:
        raise ValidationFailed(f"from ({start.isoformat()}) must be before to ({end.isoformat()})")
    return start, end


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def scope(principal: Principal) -> str | None:
    """The account a caller may see: its own, or every account (None) for the platform operator only. An
    account's `admin` key administers its own account and never sees another tenant."""
    return None if principal.is_platform else principal.account_id


async def usage(
    state: ApiState, principal: Principal, start: datetime | None, end: datetime | None, granularity: Granularity
) -> UsageAnalytics:
    start, end = resolve_range(start, end)
    if granularity == "hour" and end - start > MAX_HOURLY_RANGE:
        raise ValidationFailed(f"granularity=hour covers at most {MAX_HOURLY_RANGE.days} days; use day or month")
    account = scope(principal)
    if principal.sandbox:  # sandbox jobs are never metered: a test key's world has no usage to show
        return UsageAnalytics(granularity=granularity, start=start, end=end, account_id=account, points=[])
    return await state.clickhouse.run(
        lambda c: usage_analytics(c, start=start, end=end, granularity=granularity, account_id=account)
    )


async def calls(
    state: ApiState, principal: Principal, start: datetime | None, end: datetime | None, granularity: Granularity
) -> CallAnalytics:
    start, end = resolve_range(start, end)
    if granularity == "hour" and end - start > MAX_HOURLY_RANGE:
        raise ValidationFailed(f"granularity=hour covers at most {MAX_HOURLY_RANGE.days} days; use day or month")
    account = scope(principal)
    if principal.sandbox:  # sandbox jobs are never analysed either
        return CallAnalytics(
            start=start, end=end, account_id=account, calls=0, minutes=0, average_duration_seconds=0,
            by_call_type=[], by_outcome=[], by_sentiment=[], periods=[],
        )
    return await state.clickhouse.run(
        lambda c: call_analytics(c, start=start, end=end, account_id=account, granularity=granularity)
    )
