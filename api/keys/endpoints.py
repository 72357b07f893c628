"""/v1/keys routes (scope `admin`): create (the key is shown once), list (prefixes only), revoke.

An account admin manages its own account's keys and nothing else: the operator's `platform` scope cannot be
asked for here (only `parlance keys create` makes it), and a test (sk_test_) admin key manages test keys only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from api.deps import Admin, StateDep
from api.envelope import Data, Page
from api.errors import Forbidden, NotFound
from api.pagination import PageDep
from store import keys as repo
from store.keys import Principal
from store.models import ApiKey
from store.scopes import ACCOUNT_SCOPES, DEFAULT_SCOPES, Scope

router = APIRouter(prefix="/keys", tags=["keys"])


def _grantable(scope: Scope) -> Scope:
    if scope not in ACCOUNT_SCOPES:
        raise ValueError(f"'{scope}' is not a scope an account admin may grant (scopes: {', '.join(ACCOUNT_SCOPES)})")
    return scope


# What an account admin may grant: every scope but the operator's `platform` (the CLI mints that one).
AccountScope = Annotated[
    Scope, AfterValidator(_grantable), WithJsonSchema({"type": "string", "enum": [s.value for s in ACCOUNT_SCOPES]})
]


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scopes: list[AccountScope] = Field(default_factory=lambda: list(DEFAULT_SCOPES), min_length=1, max_length=len(ACCOUNT_SCOPES))
    live: bool = Field(default=True, description="false makes a sandbox key (sk_test_).")


class KeyOut(BaseModel):
    id: str
    prefix: str = Field(description="The key's first characters; the rest is never shown again.")
    scopes: list[Scope]
    live: bool
    created_at: datetime
    revoked_at: datetime | None
    key: str | None = Field(description="The full key: only in the creation response, null afterwards.")

    @classmethod
    def from_row(cls, row: ApiKey, key: str | None = None) -> "KeyOut":
        return cls(
            id=row.id, prefix=row.prefix, scopes=list(row.scopes or []), live=row.prefix.startswith("sk_live_"),
            created_at=row.created_at, revoked_at=row.revoked_at, key=key,
        )


def _world(principal: Principal) -> bool | None:
    """Which keys a caller manages: a live admin all of its account's, a test admin the test ones."""
    return None if principal.live else False


@router.post("", status_code=201, response_model=Data[KeyOut])
async def create_key(body: KeyIn, principal: Admin, state: StateDep) -> Data[KeyOut]:
    """A key of the caller's account. A test key may only make test keys (its world is the sandbox)."""
    if body.live and not principal.live:
        raise Forbidden("a test (sk_test_) key can only create test keys; use a live admin key")
    async with state.sessions.begin() as session:
        account = await repo.get_account(session, principal.account_id)
        if account is None:
            raise NotFound("account not found")
        row, key = await repo.create_key(session, account, sorted(set(body.scopes)), live=body.live)
    return Data(data=KeyOut.from_row(row, key))


@router.get("", response_model=Page[KeyOut])
async def list_keys(principal: Admin, state: StateDep, page: PageDep) -> Page[KeyOut]:
    async with state.sessions() as session:
        rows, total = await repo.list_keys(
            session, principal.account_id, limit=page.limit, offset=page.offset, live=_world(principal)
        )
    return Page.of([KeyOut.from_row(r) for r in rows], total=total, limit=page.limit, offset=page.offset)


@router.delete("/{key_id}", status_code=204, response_class=Response)
async def revoke_key(key_id: str, principal: Admin, state: StateDep) -> Response:
    """Revoke a key of this account; it stops working at once (idempotent)."""
    async with state.sessions.begin() as session:
        if await repo.revoke_key(session, key_id, principal.account_id, live=_world(principal)) is None:
            raise NotFound(f"key {key_id} not found")
    return Response(status_code=204)
