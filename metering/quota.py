"""Quota decisions at job submission, and the end of a reservation (release or settle).

Used minutes = max(ClickHouse's exact period usage, the ledger's settled seconds): the ledger is current the
moment a job settles while ClickHouse lags by a sink batch, and ClickHouse also holds usage that never had a
reservation. Reserved minutes = active reservations. Both are read under the account lock (see
`metering.reservations`), so parallel submissions at the boundary cannot both take the last minutes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from metering.clickhouse import ClickHouseClients
from metering.plans import Plan, billable_seconds, billing_period, cost_cents
from metering.reservations import (
    ACTIVE, RELEASED, SETTLED, Reservation, add_active_reservation, get_reservation, ledger_totals, lock_account,
)
from metering.usage import period_usage
from store.types import utcnow

log = logging.getLogger(__name__)

Outcome = Literal["allowed", "insufficient_credits", "concurrency_limit"]
_STATUS = {"allowed": 200, "insufficient_credits": 402, "concurrency_limit": 429}


class QuotaDecision(BaseModel):
    outcome: Outcome
    message: str
    plan: str
    period_start: datetime
    period_end: datetime
    used_seconds: int
    reserved_seconds: int
    requested_seconds: int
    remaining_seconds: int | None  # None: no hard cap
    active_jobs: int
    max_concurrent_jobs: int

    @property
    def allowed(self) -> bool:
        return self.outcome == "allowed"

    @property
    def status_code(self) -> int:
        return _STATUS[self.outcome]


class Settlement(BaseModel):
    """What the orchestrator puts into `usage.recorded` and shows as the job's `cost_cents`."""

    job_id: str
    billable_seconds: int
    cost_cents: Decimal
    period_start: datetime


def _minutes(seconds: int) -> str:
    return f"{seconds / 60:.1f}"


class QuotaService:
    """Built once per process (lifespan) with the process's ClickHouse clients."""

    def __init__(
        self,
        clients: ClickHouseClients | None,
        *,
        clickhouse_cache_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.clients = clients
        self.cache_s = clickhouse_cache_s
        self._clock = clock
        self._cache: dict[tuple[str, datetime], tuple[float, int]] = {}

    async def clickhouse_used_seconds(self, account_id: str, start: datetime, end: datetime) -> int:
        """Billed seconds ClickHouse holds for the period. Cached briefly: staleness is harmless because the
        ledger covers everything settled since, and it keeps the check off ClickHouse's latency."""
        if self.clients is None:
            return 0
        key = (account_id, start)
        hit = self._cache.get(key)
        if hit is not None and self._clock() - hit[0] < self.cache_s:
            return hit[1]
        try:
            totals = await self.clients.run(lambda c: period_usage(c, account_id, start, end))
        except Exception:  # noqa: BLE001 - degrade to the ledger rather than refuse every job
            # The ledger holds everything settled through the job store, so an outage only hides usage that
            # never had a reservation; refusing all submissions (or failing completed jobs) would be worse.
            log.warning("ClickHouse unreachable for %s's period usage; deciding on the ledger", account_id, exc_info=True)
            return hit[1] if hit is not None else 0
        self._cache[key] = (self._clock(), totals.billable_seconds)
        return totals.billable_seconds

    async def reserve(
        self,
        session: AsyncSession,
        *,
        account_id: str,
        job_id: str,
        plan: Plan,
        estimated_seconds: float,
        now: datetime | None = None,
    ) -> QuotaDecision:
        """Decide and, when allowed, add an active reservation, in the caller's job-creation transaction.

        Call it before inserting the job row; if the decision is not allowed, roll back and answer
        `decision.status_code` with `decision.outcome` as the error type and `decision.message`.
        """
        now = now or utcnow()
        start, end = billing_period(now)
        ch_used = await self.clickhouse_used_seconds(account_id, start, end)  # before the lock: keep it short
        await lock_account(session, account_id)
        ledger = await ledger_totals(session, account_id, start)
        used = max(ch_used, ledger.settled_seconds)
        need = billable_seconds(plan, estimated_seconds)
        remaining = None
        common = dict(
            plan=plan.id, period_start=start, period_end=end, used_seconds=used,
            reserved_seconds=ledger.reserved_seconds, requested_seconds=need,
            active_jobs=ledger.active_jobs, max_concurrent_jobs=plan.max_concurrent_jobs,
        )
        if plan.hard_cap:
            remaining = max(0, plan.included_seconds - used - ledger.reserved_seconds)
            if need > remaining:
                return QuotaDecision(
                    outcome="insufficient_credits", remaining_seconds=remaining, **common,
                    message=(
                        f"The {plan.name} plan includes {plan.included_minutes} minutes per month; "
                        f"{_minutes(remaining)} minutes are left until {end:%Y-%m-%dT%H:%M:%SZ} "
                        f"({_minutes(used)} used, {_minutes(ledger.reserved_seconds)} reserved by running jobs) "
                        f"and this job needs {_minutes(need)}. Upgrade the plan or wait for the next period."
                    ),
                )
        if ledger.active_jobs >= plan.max_concurrent_jobs:
            return QuotaDecision(
                outcome="concurrency_limit", remaining_seconds=remaining, **common,
                message=(
                    f"The {plan.name} plan runs at most {plan.max_concurrent_jobs} jobs at once and "
                    f"{ledger.active_jobs} are in flight; retry when one finishes."
                ),
            )
        await add_active_reservation(
            session, job_id=job_id, account_id=account_id, plan=plan.id, reserved_seconds=need, period_start=start, now=now
        )
        return QuotaDecision(
            outcome="allowed", remaining_seconds=None if remaining is None else remaining - need,
            message="allowed", **common,
        )

    async def release(self, session: AsyncSession, job_id: str) -> bool:
        """Free an in-flight reservation (job failed or canceled). Idempotent; a settled one stays settled."""
        reservation = await get_reservation(session, job_id)
        if reservation is None or reservation.status != ACTIVE:
            return False
        await lock_account(session, reservation.account_id)
        reservation = await get_reservation(session, job_id)
        if reservation is None or reservation.status != ACTIVE:
            return False
        reservation.status = RELEASED
        reservation.updated_at = utcnow()
        await session.flush()
        return True

    async def settle(
        self,
        session: AsyncSession,
        *,
        job_id: str,
        account_id: str,
        plan: Plan,
        duration_seconds: float,
        completed_at: datetime,
    ) -> Settlement:
        """Turn the reservation into the job's real billed seconds and cost; idempotent on redelivery.

        The cost is marginal (only seconds past the included minutes cost money), so it needs the period's
        usage before this job, read under the account lock like admission.
        """
        start, end = billing_period(completed_at)
        existing = await get_reservation(session, job_id)
        if existing is not None and existing.status == SETTLED:
            return _settlement(existing)
        ch_used = await self.clickhouse_used_seconds(account_id, start, end)
        await lock_account(session, account_id)
        reservation = await get_reservation(session, job_id)
        if reservation is not None and reservation.status == SETTLED:
            return _settlement(reservation)
        ledger = await ledger_totals(session, account_id, start)
        used_before = max(ch_used, ledger.settled_seconds)
        billed = billable_seconds(plan, duration_seconds)
        if reservation is None:  # a job admitted before metering existed, or without a reservation
            reservation = Reservation(
                job_id=job_id, account_id=account_id, plan=plan.id, reserved_seconds=0, created_at=completed_at
            )
            session.add(reservation)
        reservation.status = SETTLED
        reservation.billable_seconds = billed
        reservation.cost_cents = cost_cents(plan, duration_seconds, used_before)
        reservation.period_start = start
        reservation.updated_at = utcnow()
        await session.flush()
        return _settlement(reservation)


def _settlement(reservation: Reservation) -> Settlement:
    return Settlement(
        job_id=reservation.job_id,
        billable_seconds=int(reservation.billable_seconds or 0),
        cost_cents=Decimal(reservation.cost_cents or 0),
        period_start=reservation.period_start,
    )
