"""Usage and call analytics pages: the figures come from the same queries as `/v1/account/usage` and
`/v1/analytics/*` (ClickHouse rollups and call facts); Chart.js draws them from JSON embedded in the page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.account.service import account_usage
from api.analytics import service as analytics
from api.console import session
from api.console.session import UsageReader
from api.console.web import page
from api.deps import StateDep

router = APIRouter(dependencies=[Depends(session.same_origin)])


def _day(value: Any) -> str:
    return value.date().isoformat()


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
    }
    return page(
        request, "usage.html", principal, title="Usage", account=account, daily=daily, calls=calls,
        cost_cents=cost, charts=charts, top=daily.top_accounts if principal.is_platform else None,
    )
