"""/v1/pricing: thin; the plans are data in metering.plans."""

from __future__ import annotations

from fastapi import APIRouter

from api.envelope import Data
from metering.plans import Plan, public_pricing

router = APIRouter(tags=["billing"])


@router.get("/pricing", response_model=Data[list[Plan]])
async def pricing() -> Data[list[Plan]]:
    """Every plan, cheapest first: included minutes, overage price per minute (null = hard cap), rounding,
    rate and concurrency limits, features. No API key needed. Money is in cents, as decimal strings."""
    return Data(data=public_pricing())
