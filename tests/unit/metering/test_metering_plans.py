"""Plans, rounding, prices and billing periods: pure logic."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from metering.plans import (
    PLANS, billable_seconds, billing_period, cost_cents, get_plan, period_charges, public_pricing, UnknownPlan,
)

UTC = timezone.utc


def test_four_plans_with_their_shape() -> None:
    assert set(PLANS) == {"free", "pro", "business", "enterprise"}
    assert PLANS["free"].hard_cap and not PLANS["pro"].hard_cap
    assert [p.id for p in public_pricing()] == ["free", "pro", "business", "enterprise"]
    for plan in PLANS.values():
        assert plan.features.models, plan.id
    with pytest.raises(UnknownPlan):
        get_plan("platinum")


@pytest.mark.parametrize(
    ("plan", "seconds", "billed"),
    [
        ("free", 0, 0),          # nothing to bill
        ("free", 0.2, 15),       # the per-job minimum
        ("free", 15.0, 15),
        ("free", 15.001, 16),    # per second, rounded up
        ("pro", 59.999999999, 60),  # float noise does not cost a second
        ("enterprise", 0.5, 1),
        ("business", 125.5, 126),
    ],
)
def test_billable_seconds(plan: str, seconds: float, billed: int) -> None:
    assert billable_seconds(PLANS[plan], seconds) == billed


def test_negative_duration_is_refused() -> None:
    with pytest.raises(ValueError):
        billable_seconds(PLANS["pro"], -1)


def test_job_cost_is_marginal_over_the_allowance() -> None:
    pro = PLANS["pro"]  # 2000 min included, 1.5 c/min
    included = pro.included_seconds
    assert cost_cents(pro, 600) == 0  # inside the allowance
    assert cost_cents(pro, 120, used_before_seconds=included - 60) == Decimal("1.5000")  # 60 s over
    assert cost_cents(pro, 120, used_before_seconds=included + 10) == Decimal("3.0000")
    assert cost_cents(pro, 10, used_before_seconds=included) == Decimal("0.3750")  # minimum 15 s billed
    assert cost_cents(PLANS["free"], 10_000, used_before_seconds=10**6) == 0  # hard cap: never charged


def test_period_charges_round_once_per_period() -> None:
    pro = PLANS["pro"]
    charges = period_charges(pro, pro.included_seconds + 61)
    assert charges.overage_seconds == 61
    assert charges.overage_cents == 2  # 1.525 c → 2 c (half up)
    assert charges.remaining_seconds == 0
    under = period_charges(pro, 90)
    assert (under.overage_seconds, under.overage_cents, under.remaining_seconds) == (0, 0, pro.included_seconds - 90)


@pytest.mark.parametrize(
    ("at", "start", "end"),
    [
        (datetime(2025, 1, 31, 23, 59, 59, 999999, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC)),
        (datetime(2025, 2, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC), datetime(2025, 3, 1, tzinfo=UTC)),
        (datetime(2024, 12, 31, 12, tzinfo=UTC), datetime(2024, 12, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)),
        (datetime(2024, 2, 29, 8, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC), datetime(2024, 3, 1, tzinfo=UTC)),
    ],
)
def test_billing_period_is_the_calendar_month_in_utc(at: datetime, start: datetime, end: datetime) -> None:
    assert billing_period(at) == (start, end)


def test_billing_period_converts_other_zones_to_utc() -> None:
    # 1 Feb 01:30 in Berlin (UTC+1) is still 31 Jan in UTC: January's period.
    berlin = timezone(timedelta(hours=1))
    assert billing_period(datetime(2025, 2, 1, 0, 30, tzinfo=berlin))[0] == datetime(2025, 1, 1, tzinfo=UTC)
    # 31 Jan 20:00 in New York (UTC-5) is 1 Feb 01:00 UTC: February's.
    new_york = timezone(timedelta(hours=-5))
    assert billing_period(datetime(2025, 1, 31, 20, tzinfo=new_york))[0] == datetime(2025, 2, 1, tzinfo=UTC)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        billing_period(datetime(2025, 1, 1))
