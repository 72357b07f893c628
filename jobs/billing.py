"""What a job means for its account's minutes: a reservation when it is admitted, then at its end either
released (failed, canceled) or settled with a `usage.recorded` event.

Everything here runs in the caller's transaction, so the job row, the ledger and the usage event (through the
outbox) commit together or not at all. Settling is idempotent and a job completes at most once (the state
machine refuses a second job.completed), so redelivery never bills twice; the usage event id is derived from
the job id, so even a re-emitted event is dropped by the sink. Sandbox (sk_test_) jobs never run a model and
are never billed: they reserve, settle and release nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from jobs.errors import ConcurrencyLimit, InsufficientCredits, QuotaRefused
from metering.events import UsageRecorded, encode_usage
from metering.plans import Plan, plan_or_default
from metering.quota import QuotaDecision, QuotaService
from metering.reservations import drop_unsettled
from schemas.events import JobCanceled, JobCompleted, JobEvent, JobFailed
from store.keys import get_account
from store.models import Job
from store.outbox import enqueue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Admission:
    """What a job reserves when it is queued: its plan and the seconds it is expected to take."""

    plan: Plan
    estimated_seconds: float


async def account_plan(session: AsyncSession, account_id: str) -> Plan:
    account = await get_account(session, account_id)
    return plan_or_default(account.plan if account is not None else None)


def quota_error(decision: QuotaDecision) -> QuotaRefused:
    if decision.outcome == "insufficient_credits":
        return InsufficientCredits(decision.message)
    return ConcurrencyLimit(decision.message)


class JobBilling:
    def __init__(self, quota: QuotaService, usage_topic: str) -> None:
        self.quota = quota
        self.usage_topic = usage_topic

    async def reserve(
        self, session: AsyncSession, *, account_id: str, job_id: str, sandbox: bool, admission: Admission
    ) -> None:
        """Reserve the job's minutes under the account's lock; raises QuotaRefused. Call it first in the
        transaction (SQLite then takes its write lock before any read)."""
        if sandbox:
            return
        decision = await self.quota.reserve(
            session, account_id=account_id, job_id=job_id, plan=admission.plan,
            estimated_seconds=admission.estimated_seconds,
        )
        if not decision.allowed:
            raise quota_error(decision)

    async def reserve_again(self, session: AsyncSession, job: Job, admission: Admission) -> None:
        """A retried job's new reservation under the same job id: the failed attempt's one (released, or left
        active if its failure skipped metering) makes way first."""
        await drop_unsettled(session, job.id)
        await self.reserve(session, account_id=job.account_id, job_id=job.id, sandbox=job.sandbox, admission=admission)

    async def after_events(self, session: AsyncSession, job: Job, events: list[JobEvent]) -> None:
        """Release or settle for the terminal events just projected onto `job`."""
        if job.sandbox:
            return
        for event in events:
            if isinstance(event, (JobFailed, JobCanceled)):
                await self.quota.release(session, job.id)
            elif isinstance(event, JobCompleted):
                await self._settle(session, job, event)

    async def _settle(self, session: AsyncSession, job: Job, event: JobCompleted) -> None:
        plan = await account_plan(session, job.account_id)
        duration = event.payload.duration
        settlement = await self.quota.settle(
            session,
            job_id=job.id,
            account_id=job.account_id,
            plan=plan,
            duration_seconds=duration,
            completed_at=event.occurred_at,
        )
        job.cost_cents = settlement.cost_cents
        usage = UsageRecorded.for_job(
            account_id=job.account_id,
            job_id=job.id,
            quantity_seconds=duration,
            billable_seconds=settlement.billable_seconds,
            cost_cents=settlement.cost_cents,
            plan=plan.id,
            occurred_at=event.occurred_at,
        )
        enqueue(session, event_id=usage.event_id, topic=self.usage_topic, key=job.account_id, value=encode_usage(usage))
        log.info("job %s settled: %d s billed, %s cents", job.id, settlement.billable_seconds, settlement.cost_cents)
