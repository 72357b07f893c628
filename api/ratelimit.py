"""Per-key requests per minute, from the account's plan, with `limits`.

Counters live in memory (one API process) or in a shared store (`PARLANCE_RATE_LIMIT_STORAGE_URL`, e.g.
redis://host:6379/0) so N replicas enforce one budget. The check runs in the auth dependency, right after
the key is known; an ASGI middleware then writes `X-RateLimit-Limit/-Remaining/-Reset` on whatever response
leaves (success or error), and a 429 also carries `Retry-After`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from fastapi import FastAPI, Request
from limits import RateLimitItemPerMinute
from limits.aio.strategies import FixedWindowRateLimiter
from limits.storage import storage_from_string
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError
from api.settings import ApiSettings
from metering.plans import PLANS
from store.keys import Principal

SCOPE_KEY = "parlance.rate_limit"


class RateLimited(ApiError):
    status, type = 429, "rate_limited"


@dataclass(frozen=True)
class Quota:
    limit: int
    remaining: int
    reset: int  # unix seconds when the window resets

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }


class RateLimiter:
    def __init__(self, storage_url: str | None, default_rpm: int) -> None:
        url = storage_url or "memory://"
        self._storage = storage_from_string(url if url.startswith("async+") else f"async+{url}")
        # Fixed one-minute windows: O(1) per request in any storage, and the reset time is exact.
        self._limiter = FixedWindowRateLimiter(self._storage)
        self._default_rpm = default_rpm

    @classmethod
    def from_settings(cls, settings: ApiSettings) -> "RateLimiter":
        return cls(settings.rate_limit_storage_url, settings.rate_limit_default_rpm)

    def rpm(self, principal: Principal) -> int:
        plan = PLANS.get(principal.plan)
        return plan.requests_per_minute if plan is not None else self._default_rpm

    async def hit(self, principal: Principal, request: Request) -> None:
        """Count this request against the key; raises RateLimited (429) when the minute's budget is spent."""
        item = RateLimitItemPerMinute(self.rpm(principal))
        allowed = await self._limiter.hit(item, "key", principal.key_id)
        stats = await self._limiter.get_window_stats(item, "key", principal.key_id)
        quota = Quota(limit=item.amount, remaining=max(0, stats.remaining), reset=math.ceil(stats.reset_time))
        request.scope[SCOPE_KEY] = quota
        if not allowed:
            retry_after = max(1, math.ceil(stats.reset_time - time.time()))
            raise RateLimited(
                f"rate limit of {item.amount} requests per minute reached for this API key; retry in {retry_after} s",
                headers={"Retry-After": str(retry_after), **quota.headers()},
            )


class RateLimitHeaders:
    """Adds the X-RateLimit-* headers recorded for this request to its response start."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            quota = scope.get(SCOPE_KEY)
            if message["type"] == "http.response.start" and isinstance(quota, Quota):
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in quota.headers().items():
                    if name.lower().encode() not in present:
                        headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_rate_limit_headers(app: FastAPI) -> None:
    app.add_middleware(RateLimitHeaders)
