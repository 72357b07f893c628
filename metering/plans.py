"""Plans as data, billing rounding, prices and billing periods.

Plans live in code as validated data (not rows) so `GET /v1/pricing`, quotas and the invoice read the same
numbers; changing a price is a reviewed diff. Money is `Decimal` cents: floats drift on sums of many jobs.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AnalysisLevel = Literal["none", "basic", "full"]
CENT = Decimal("1")
SUB_CENT = Decimal("0.0001")


class BillingRounding(BaseModel):
    """Per-second billing (`increment_seconds`) with a floor per job, so tiny jobs still pay for their overhead."""

    model_config = ConfigDict(frozen=True)

    increment_seconds: int = Field(default=1, ge=1)
    minimum_seconds: int = Field(default=0, ge=0)


class PlanFeatures(BaseModel):
    model_config = ConfigDict(frozen=True)

    diarization: bool
    analysis: AnalysisLevel
    models: tuple[str, ...] = Field(description="ASR models jobs on this plan may ask for.")
    quote_videos: bool = Field(default=False, description="Video quote cards (the Voice Clips API: pro or higher).")


class Plan(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    monthly_price_cents: int = Field(ge=0)
    included_minutes: int = Field(ge=0, description="Per billing month (calendar month, UTC).")
    overage_cents_per_minute: Decimal | None = Field(
        description="Price of each minute past the included ones; null means a hard cap at the included minutes."
    )
    rounding: BillingRounding
    requests_per_minute: int = Field(ge=1)
    max_concurrent_jobs: int = Field(ge=1)
    caption_runs_per_day: int = Field(
        ge=1, description="Successful POST /v1/captions/process calls per account and UTC day (CaptionPass's quota)."
    )
    features: PlanFeatures

    @property
    def hard_cap(self) -> bool:
        return self.overage_cents_per_minute is None

    @property
    def included_seconds(self) -> int:
        return self.included_minutes * 60


PLANS: dict[str, Plan] = {
    plan.id: plan
    for plan in (
        Plan(
            id="free", name="Free", monthly_price_cents=0, included_minutes=60, overage_cents_per_minute=None,
            rounding=BillingRounding(increment_seconds=1, minimum_seconds=15),
            requests_per_minute=10, max_concurrent_jobs=1, caption_runs_per_day=20,
            features=PlanFeatures(diarization=False, analysis="none", models=("tiny.en",)),
        ),
        Plan(
            id="pro", name="Pro", monthly_price_cents=2900, included_minutes=2_000,
            overage_cents_per_minute=Decimal("1.5"),
            rounding=BillingRounding(increment_seconds=1, minimum_seconds=15),
            requests_per_minute=60, max_concurrent_jobs=5, caption_runs_per_day=500,
            features=PlanFeatures(diarization=True, analysis="basic", models=("tiny.en", "base"), quote_videos=True),
        ),
        Plan(
            id="business", name="Business", monthly_price_cents=19_900, included_minutes=20_000,
            overage_cents_per_minute=Decimal("1.0"),
            rounding=BillingRounding(increment_seconds=1, minimum_seconds=6),
            requests_per_minute=300, max_concurrent_jobs=20, caption_runs_per_day=5_000,
            features=PlanFeatures(diarization=True, analysis="full", models=("tiny.en", "base", "large-v3"), quote_videos=True),
        ),
        Plan(
            id="enterprise", name="Enterprise", monthly_price_cents=150_000, included_minutes=250_000,
            overage_cents_per_minute=Decimal("0.6"),
            rounding=BillingRounding(increment_seconds=1, minimum_seconds=1),
            requests_per_minute=1_200, max_concurrent_jobs=100, caption_runs_per_day=50_000,
            features=PlanFeatures(diarization=True, analysis="full", models=("tiny.en", "base", "large-v3"), quote_videos=True),
        ),
    )
}
DEFAULT_PLAN = "free"


class UnknownPlan(KeyError):
    pass


def get_plan(plan_id: str) -> Plan:
    try:
        return PLANS[plan_id]
    except KeyError:
        raise UnknownPlan(plan_id) from None


def plan_or_default(plan_id: str | None) -> Plan:
    """An account's plan; an unknown id (a typo in the store) bills as the default plan instead of failing jobs."""
    plan = PLANS.get(plan_id or DEFAULT_PLAN)
    if plan is None:
        logging.getLogger(__name__).warning("unknown plan %r; using %r", plan_id, DEFAULT_PLAN)
        return PLANS[DEFAULT_PLAN]
    return plan


def billable_seconds(plan: Plan, seconds: float) -> int:
    """Audio seconds → billed seconds: up to the next increment, at least the plan's minimum; 0 stays 0."""
    if seconds < 0:
        raise ValueError("seconds must be >= 0")
    if seconds == 0:
        return 0
    step = plan.rounding.increment_seconds
    # round() first: 59.99999999 from float sums must not become 60 → 61 by a hair.
    rounded = math.ceil(round(seconds, 6) / step) * step
    return max(rounded, plan.rounding.minimum_seconds)


def _overage_seconds(plan: Plan, used_seconds: int) -> int:
    return max(0, used_seconds - plan.included_seconds)


def cost_cents(plan: Plan, seconds: float, used_before_seconds: int = 0) -> Decimal:
    """What one job adds to the invoice: only its billed seconds past the included minutes cost money.

    `used_before_seconds` is the billed usage of the period before this job; the job that crosses the
    allowance pays for its part beyond it. Kept to 1/10000 cent so per-job figures add up to the period's.
    """
    if plan.overage_cents_per_minute is None:
        return Decimal(0)
    billed = billable_seconds(plan, seconds)
    extra = _overage_seconds(plan, used_before_seconds + billed) - _overage_seconds(plan, used_before_seconds)
    return (Decimal(extra) * plan.overage_cents_per_minute / 60).quantize(SUB_CENT, rounding=ROUND_HALF_UP)


class PeriodCharges(BaseModel):
    used_seconds: int
    included_seconds: int
    remaining_seconds: int
    overage_seconds: int
    overage_cents: int = Field(description="Whole cents, rounded half up once per period (the invoice line).")


def period_charges(plan: Plan, used_seconds: int) -> PeriodCharges:
    overage = _overage_seconds(plan, used_seconds)
    rate = plan.overage_cents_per_minute or Decimal(0)
    cents = (Decimal(overage) * rate / 60).quantize(CENT, rounding=ROUND_HALF_UP)
    return PeriodCharges(
        used_seconds=used_seconds,
        included_seconds=plan.included_seconds,
        remaining_seconds=max(0, plan.included_seconds - used_seconds),
        overage_seconds=overage,
        overage_cents=int(cents),
    )


def billing_period(at: datetime) -> tuple[datetime, datetime]:
    """The calendar month (UTC) containing `at`: [start, end). Naive datetimes are refused, not guessed."""
    if at.tzinfo is None:
        raise ValueError("billing_period needs a timezone-aware datetime")
    at = at.astimezone(timezone.utc)
    start = datetime(at.year, at.month, 1, tzinfo=timezone.utc)
    end = datetime(at.year + (at.month == 12), at.month % 12 + 1, 1, tzinfo=timezone.utc)
    return start, end


def public_pricing() -> list[Plan]:
    """What `GET /v1/pricing` shows (no auth): every plan, cheapest first."""
    return sorted(PLANS.values(), key=lambda p: p.monthly_price_cents)
