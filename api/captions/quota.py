"""CaptionPass's daily quota: successful caption conversions per account, world and UTC day, from the plan.

Beside the per-key burst limit (`api.ratelimit`, 429 `rate_limited`), not instead of it. The counter lives in the
same `limits` storage as the rate limiter (memory per process, or `PARLANCE_RATE_LIMIT_STORAGE_URL` shared by
every replica). The UTC date is part of the counter's key, so the day turns over at midnight UTC whatever the
storage's expiry does; the expiry only cleans up.

A run is reserved (atomic increment) before the work and refunded when the call does not end in a 200, so only
successes count and two concurrent calls can never both take the last run.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

from limits.aio.storage import Storage
from limits.storage import storage_from_string

from api.errors import ApiError
from metering.plans import plan_or_default
from store.keys import Principal

_EXPIRY_S = 2 * 86_400  # outlives the day it counts; the date in the key does the resetting


class QuotaExceeded(ApiError):
    status, type = 429, "quota_exceeded"


class CaptionRunQuota:
    def __init__(self, storage_url: str | None) -> None:
        url = storage_url or "memory://"
        storage = storage_from_string(url if url.startswith("async+") else f"async+{url}")
        assert isinstance(storage, Storage)
        self._storage = storage

    @staticmethod
    def daily_limit(principal: Principal) -> int:
        return plan_or_default(principal.plan).caption_runs_per_day

    @staticmethod
    def _key(principal: Principal, now: datetime) -> str:
        world = "live" if principal.live else "test"
        return f"parlance/caption-runs/{principal.account_id}/{world}/{now.date().isoformat()}"

    async def reserve(self, principal: Principal, now: datetime | None = None) -> int:
        """Take one run; returns the runs left today after it. Raises QuotaExceeded (429) when none is left."""
        now = now or datetime.now(timezone.utc)
        key, limit = self._key(principal, now), self.daily_limit(principal)
        used = await self._storage.incr(key, _EXPIRY_S)
        if used > limit:
            await self._storage.decr(key)
            midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=timezone.utc)
            retry_after = max(1, math.ceil((midnight - now).total_seconds()))
            raise QuotaExceeded(
                f"the daily quota of {limit} caption conversions is spent; it resets at 00:00 UTC",
                headers={"Retry-After": str(retry_after)},
            )
        return limit - used

    async def refund(self, principal: Principal, now: datetime | None = None) -> None:
        """Give back a reserved run whose call failed (only 200s count)."""
        await self._storage.decr(self._key(principal, now or datetime.now(timezone.utc)))
