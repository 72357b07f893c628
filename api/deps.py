"""Named dependency types. Authorization is a dependency (`require(scope)`), never an `if` in a route."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Forbidden, Unauthorized
from api.state import ApiState
from store.keys import Principal, authenticate
from store.scopes import ACCOUNT_SCOPES, Scope


def get_state(request: Request) -> ApiState:
    state: ApiState = request.app.state.parlance
    return state


StateDep = Annotated[ApiState, Depends(get_state)]


async def get_session(state: StateDep) -> AsyncIterator[AsyncSession]:
    async with state.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]

_bearer = HTTPBearer(auto_error=False, description="API key: `Authorization: Bearer sk_live_...`")
# The same key in `X-API-Key` (the VoxParse document's header): clients written against it work unchanged.
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key: `X-API-Key: sk_live_...`")


def _presented_key(bearer: HTTPAuthorizationCredentials | None, header_key: str | None) -> str:
    """The one key the request presents. Two different keys are refused: which one to bill would be a guess."""
    keys = {k for k in (bearer.credentials if bearer else None, header_key) if k}
    if not keys:
        raise Unauthorized("missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'")
    if len(keys) > 1:
        raise Unauthorized("two different API keys: send one, in 'Authorization: Bearer' or 'X-API-Key'")
    return keys.pop()


async def get_principal(
    request: Request,
    state: StateDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header_key: Annotated[str | None, Depends(_api_key_header)],
) -> Principal:
    key = _presented_key(credentials, header_key)
    async with state.sessions() as session:
        principal = await authenticate(session, key)
    if principal is None:
        raise Unauthorized("invalid or revoked API key")
    if state.limiter is not None:
        await state.limiter.hit(principal, request)  # 429 rate_limited past the plan's requests per minute
    return principal


def require(scope: Scope) -> Callable[..., Coroutine[Any, Any, Principal]]:
    return require_any(scope)


def allows(principal: Principal, *scopes: Scope) -> bool:
    """One of `scopes` is enough; the account's `admin` implies every account scope (never `platform`). The web
    console (api/console) asks the same question of its session's key."""
    implied_by_admin = any(s in ACCOUNT_SCOPES for s in scopes)
    return (implied_by_admin and principal.is_account_admin) or bool(principal.scopes.intersection(scopes))


def require_any(*scopes: Scope) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """One of `scopes` is enough (`allows`)."""

    async def dependency(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if allows(principal, *scopes):
            return principal
        raise Forbidden(f"this API key lacks one of the scopes {', '.join(repr(str(s)) for s in scopes)}")

    return dependency


JobsRead = Annotated[Principal, Depends(require(Scope.jobs_read))]
JobsWrite = Annotated[Principal, Depends(require(Scope.jobs_write))]
WebhooksWrite = Annotated[Principal, Depends(require(Scope.webhooks_write))]
Admin = Annotated[Principal, Depends(require(Scope.admin))]
# usage:read is in the default scopes of new keys; keys made before it existed read usage with jobs:read.
UsageRead = Annotated[Principal, Depends(require_any(Scope.usage_read, Scope.jobs_read))]
# Analytics: an account's own (usage:read / jobs:read / admin), or every account's with the operator's key.
AnalyticsRead = Annotated[Principal, Depends(require_any(Scope.usage_read, Scope.jobs_read, Scope.platform))]
