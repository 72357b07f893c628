"""Console sessions: an API key is exchanged once for an HttpOnly, SameSite=Strict cookie.

The cookie carries no secret: it is `<key id>.<expiry>.<nonce>` signed with HMAC-SHA256, so the browser never
holds the API key after sign-in (not in a URL, not in localStorage). Every request re-reads the key row, so a
revoked key ends its sessions at once and the key's scopes and world (live/test) apply on every view. Sign-out
clears the cookie; a stolen cookie stops working at its expiry (`SESSION_HOURS`) or when the key is revoked.

Only `/console` routes accept the cookie: `/v1` keeps bearer keys, so no CSRF can reach the public API. The
console's own state-changing routes require SameSite=Strict (the browser sends the cookie only from our own
pages) and, as defence in depth, an `Origin` (or `Sec-Fetch-Site`) that says the request came from this site.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import select

from api.deps import StateDep, allows
from api.state import ApiState
from store.keys import Principal
from store.scopes import Scope
from store.models import Account, ApiKey

COOKIE = "parlance_console"
SESSION_HOURS = 8
_CONTEXT = b"parlance-console-session-v1"


class LoginRequired(Exception):
    """No valid session: the console answers with a redirect to its sign-in page."""


class ConsoleForbidden(Exception):
    """The session's key lacks a view's scope: the console answers 403 with a page saying which."""

    def __init__(self, scopes: tuple[Scope, ...]) -> None:
        super().__init__(f"this API key lacks one of the scopes {', '.join(scopes)}")
        self.scopes = scopes


class CrossSiteRequest(Exception):
    """A state-changing console request that did not come from the console's own pages."""


def _secret(state: ApiState) -> bytes:
    """Derived from the upload-URL secret (already required to be set outside local/test), with its own context,
    so one operator secret covers both and neither signature can stand in for the other."""
    return hmac.new(state.settings.upload_url_secret.encode(), _CONTEXT, hashlib.sha256).digest()


def _sign(state: ApiState, payload: str) -> str:
    mac = hmac.new(_secret(state), payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def issue(state: ApiState, key_id: str, now: float | None = None) -> str:
    expires = int((now or time.time()) + SESSION_HOURS * 3600)
    payload = f"{key_id}.{expires}.{secrets.token_urlsafe(12)}"
    return f"{payload}.{_sign(state, payload)}"


def verify(state: ApiState, cookie: str, now: float | None = None) -> str | None:
    """The key id of a valid, unexpired cookie, else None."""
    parts = cookie.split(".")
    if len(parts) != 4:
        return None
    payload, mac = ".".join(parts[:3]), parts[3]
    if not hmac.compare_digest(_sign(state, payload), mac):
        return None
    key_id, expires = parts[0], parts[1]
    if not expires.isdigit() or int(expires) < (now or time.time()):
        return None
    return key_id


async def principal_for_key_id(state: ApiState, key_id: str) -> Principal | None:
    """The key's principal while it is not revoked (the same fields `store.keys.authenticate` fills)."""
    async with state.sessions() as session:
        row = (
            await session.execute(
                select(ApiKey, Account.plan)
                .join(Account, Account.id == ApiKey.account_id)
                .where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
            )
        ).first()
    if row is None:
        return None
    key, plan = row
    return Principal(
        account_id=key.account_id, key_id=key.id, scopes=frozenset(key.scopes), live=key.prefix.startswith("sk_live_"), plan=plan
    )


async def optional_principal(request: Request, state: StateDep) -> Principal | None:
    cookie = request.cookies.get(COOKIE)
    key_id = verify(state, cookie) if cookie else None
    return await principal_for_key_id(state, key_id) if key_id else None


async def session_principal(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    if principal is None:
        raise LoginRequired()
    return principal


def same_origin(request: Request) -> None:
    """Refuse state-changing requests that another site could have made (defence in depth behind SameSite)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        if site not in ("same-origin", "none"):
            raise CrossSiteRequest()
        return
    origin = request.headers.get("origin")
    if origin is None or origin != f"{request.url.scheme}://{request.url.netloc}":
        raise CrossSiteRequest()


def needs(*scopes: Scope) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """A dependency: the session's principal when its key has one of `scopes` (as `/v1` decides, `allows`)."""

    async def dependency(principal: Annotated[Principal, Depends(session_principal)]) -> Principal:
        if not allows(principal, *scopes):
            raise ConsoleForbidden(scopes)
        return principal

    return dependency


Viewer = Annotated[Principal, Depends(session_principal)]
JobsReader = Annotated[Principal, Depends(needs(Scope.jobs_read))]
JobsWriter = Annotated[Principal, Depends(needs(Scope.jobs_write))]
UsageReader = Annotated[Principal, Depends(needs(Scope.usage_read, Scope.jobs_read, Scope.platform))]
WebhooksWriter = Annotated[Principal, Depends(needs(Scope.webhooks_write))]
AdminUser = Annotated[Principal, Depends(needs(Scope.admin))]


def nav(principal: Principal) -> dict[str, bool]:
    """Which views the navigation offers: exactly the ones the key may open."""
    return {
        "jobs": allows(principal, Scope.jobs_read),
        "usage": allows(principal, Scope.usage_read, Scope.jobs_read, Scope.platform),
        "captions": allows(principal, Scope.jobs_read),
        "webhooks": allows(principal, Scope.webhooks_write),
        "api_keys": allows(principal, Scope.admin),
        "platform": principal.is_platform,
    }
