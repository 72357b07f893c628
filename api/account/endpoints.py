"""/v1/account routes: thin; the rules live in api.account.service."""

from __future__ import annotations

from fastapi import APIRouter

from api.account import service
from api.deps import StateDep, UsageRead
from api.envelope import Data
from metering.analytics import AccountUsage

router = APIRouter(prefix="/account", tags=["account"])


@router.get("/usage", response_model=Data[AccountUsage])
async def usage(principal: UsageRead, state: StateDep) -> Data[AccountUsage]:
    """This billing period (calendar month, UTC): minutes used, included, reserved by running jobs and left,
    overage so far, and jobs by status. Scope `usage:read` (or `jobs:read`)."""
    return Data(data=await service.account_usage(state, principal))
