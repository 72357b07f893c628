"""/v1/analytics routes: thin; the rules live in api.analytics.service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.analytics import service
from api.deps import AnalyticsRead, StateDep
from api.envelope import Data
from metering.analytics import CallAnalytics, Granularity, UsageAnalytics

router = APIRouter(prefix="/analytics", tags=["analytics"])

From = Annotated[datetime | None, Query(alias="from", description="Range start (UTC; default: start of this month).")]
To = Annotated[datetime | None, Query(alias="to", description="Range end, exclusive (UTC; default: end of this month).")]
Grain = Annotated[Granularity, Query(description="Bucket size: hour, day or month.")]


@router.get("/usage", response_model=Data[UsageAnalytics])
async def usage(
    principal: AnalyticsRead, state: StateDep, start: From = None, end: To = None, granularity: Grain = "day"
) -> Data[UsageAnalytics]:
    """Metered minutes and cost per bucket for the caller's account; with the platform operator's key
    (`platform` scope, made with the CLI), every account together plus the top accounts."""
    return Data(data=await service.usage(state, principal, start, end, granularity))


@router.get("/calls", response_model=Data[CallAnalytics])
async def calls(
    principal: AnalyticsRead, state: StateDep, start: From = None, end: To = None, granularity: Grain = "day"
) -> Data[CallAnalytics]:
    """Analysed calls: counts and minutes by call type, outcome and sentiment, and per bucket. Same scoping
    as /v1/analytics/usage."""
    return Data(data=await service.calls(state, principal, start, end, granularity))
