"""Account usage: the ledger (job store) and ClickHouse together, so the page agrees with what quotas enforce."""

from __future__ import annotations

from datetime import datetime

from api.state import ApiState
from metering.analytics import AccountUsage, account_usage as usage_query
from metering.plans import billing_period, plan_or_default
from metering.reservations import ledger_totals
from store.jobs import count_jobs_by_status
from store.keys import Principal, get_account
from store.types import utcnow


async def account_usage(state: ApiState, principal: Principal, now: datetime | None = None) -> AccountUsage:
    now = now or utcnow()
    start, _ = billing_period(now)
    async with state.sessions() as session:
        account = await get_account(session, principal.account_id)
        plan = plan_or_default(account.plan if account is not None else None)
        ledger = await ledger_totals(session, principal.account_id, start)
        jobs = await count_jobs_by_status(session, principal.account_id, start, sandbox=principal.sandbox)
    return await state.clickhouse.run(
        lambda c: usage_query(
            c,
            account_id=principal.account_id,
            plan=plan,
            now=now,
            ledger_settled_seconds=ledger.settled_seconds,
            reserved_seconds=ledger.reserved_seconds,
            jobs_by_status=jobs,
        )
    )
