"""What a job's end means for its account: release the reservation, or settle it and emit `usage.recorded`.

Called by the orchestrator inside the transaction that records the terminal event, so the job row, the
ledger and the usage event (through the outbox) commit together or not at all. Settling is idempotent and a
job completes at most once (the state machine refuses a second job.completed), so redelivery never bills twice;
the usage event id is derived from the job id, so even a re-emitted event is dropped by the sink.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from metering.events import UsageRecorded, encode_usage
from metering.plans import plan_or_default
from metering.quota import QuotaService
from schemas.events import JobCanceled, JobCompleted, JobEvent, JobFailed
from store.keys import get_account
from store.models import Job
from store.outbox import enqueue

log = logging.getLogger(__name__)


class JobMetering:
    def __init__(self, quota: QuotaService, usage_topic: str) -> None:
        self.quota = quota
        self.usage_topic = usage_topic

    async def after_events(self, session: AsyncSession, job: Job, events: list[JobEvent]) -> None:
        """Hook for events just recorded on `job` (already projected onto the row) in `session`'s transaction."""
        for event in events:
            if isinstance(event, (JobFailed, JobCanceled)):
                await self.quota.release(session, job.id)
            elif isinstance(event, JobCompleted):
                await self._settle(session, job, event)

    async def _settle(self, session: AsyncSession, job: Job, event: JobCompleted) -> None:
        account = await get_account(session, job.account_id)
        plan = plan_or_default(account.plan if account is not None else None)
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
