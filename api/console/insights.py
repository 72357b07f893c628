"""Usage and call analytics pages: the figures come from the same queries as `/v1/account/usage` and
`/v1/analytics/*` (ClickHouse rollups and call facts); Chart.js draws them from JSON embedded in the page."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.account.service import account_usage
from api.analytics import service as analytics
import api.console.session as session
from api.console.session import UsageReader
from api.console.web import page
from api.deps import StateDep
from api.state import ApiState
from metering.plans import billing_period
from store.keys import Principal
from store.types import utcnow

router = APIRouter(dependencies=[Depends(session.same_origin)])


def _day(value: Any) -> str:
    return value.date().isoformat()


def _weeks(now: datetime) -> list[tuple[datetime, datetime]]:
    """The billing period so far in 7-day slices (the last one ends now)."""
    start, _ = billing_period(now)
    slices = []
    while start < now:
        slices.append((start, min(start + timedelta(days=7), now + timedelta(seconds=1))))
        start += timedelta(days=7)
    return slices


async def _mix_over_time(state: ApiState, principal: Principal) -> dict[str, Any]:
    """Outcomes and call types per week: the existing call-analytics query over each week's range."""
    weeks = _weeks(utcnow())
    per_week = [await analytics.calls(state, principal, a, b, "day") for a, b in weeks]

    def series(attr: str) -> dict[str, list[int]]:
        keys = sorted({g.key for w in per_week for g in getattr(w, attr)})
        return {k: [next((g.calls for g in getattr(w, attr) if g.key == k), 0) for w in per_week] for k in keys}

    return {"labels": [f"week of {a.date().isoformat()}" for a, _ in weeks],
            "outcomes": series("by_outcome"), "types": series("by_call_type")}


@router.get("/usage", response_class=HTMLResponse)
async def usage_page(request: Request, principal: UsageReader, state: StateDep) -> HTMLResponse:
    """This billing period: minutes used / included / remaining, cost so far, jobs by status, a daily chart;
    call analytics for the same period; the platform operator also sees the top accounts."""
    account = await account_usage(state, principal)
    daily = await analytics.usage(state, principal, None, None, "day")
    calls = await analytics.calls(state, principal, None, None, "day")
    cost = sum((p.cost_cents for p in daily.points), Decimal(0))
    charts = {
        "usage": {
            "labels": [_day(p.period_start) for p in daily.points],
            "minutes": [round(p.minutes, 2) for p in daily.points],
            "billable": [round(p.billable_minutes, 2) for p in daily.points],
        },
        "calls": {
            "labels": [_day(p.period_start) for p in calls.periods],
            "calls": [p.calls for p in calls.periods],
            "aht": [round(p.average_duration_seconds / 60, 2) for p in calls.periods],
        },
        "outcomes": {g.key: g.calls for g in calls.by_outcome},
        "types": {g.key: g.calls for g in calls.by_call_type},
        "sentiment": {g.key: g.calls for g in calls.by_sentiment},
        "weekly": await _mix_over_time(state, principal),
    }
    return page(
        request, "usage.html", principal, title="Usage", account=account, daily=daily, calls=calls,
        cost_cents=cost, charts=charts, top=daily.top_accounts if principal.is_platform else None,
    )
