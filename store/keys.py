"""Accounts and API keys. Keys are shown once and stored as SHA-256 digests; lookups compare digests in
constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Account, ApiKey
from store.scopes import DEFAULT_SCOPES, Scope, parse_scopes
from store.types import utcnow

PREFIX_LEN = 16  # "sk_live_" + 8 characters of the secret: enough to find the row, useless to an attacker


@dataclass(frozen=True)
class Principal:
    """Who is calling: resolved from a bearer key by the API's auth dependency."""

    account_id: str
    key_id: str
    scopes: frozenset[Scope]
    live: bool
    plan: str = "free"

    @property
    def is_account_admin(self) -> bool:
        return Scope.admin in self.scopes

    @property
    def is_platform(self) -> bool:
        """The platform operator: sees every tenant's analytics. Never implied by `admin`."""
        return Scope.platform in self.scopes and self.live

    @property
    def sandbox(self) -> bool:
        """Test (sk_test_) keys live in the sandbox world: they see only sandbox jobs and test webhooks."""
        return not self.live


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def generate_key(live: bool = True) -> str:
    return ("sk_live_" if live else "sk_test_") + secrets.token_urlsafe(32)


async def get_account(session: AsyncSession, account_id: str) -> Account | None:
    return await session.get(Account, account_id)


async def get_or_create_account(session: AsyncSession, name: str, plan: str = "free") -> Account:
    account = (await session.execute(select(Account).where(Account.name == name))).scalar_one_or_none()
    if account is None:
        account = Account(id=f"acct_{uuid.uuid4().hex[:20]}", name=name, plan=plan)
        session.add(account)
        await session.flush()
    return account


async def create_key(
    session: AsyncSession, account: Account, scopes: Iterable[str] | None = None, live: bool = True
) -> tuple[ApiKey, str]:
    """Returns the row and the plaintext key (the only time it exists outside the caller's hands). `scopes`:
    values of `Scope` (an unknown one raises ValueError); None: `DEFAULT_SCOPES`."""
    key = generate_key(live)
    row = ApiKey(
        id=f"key_{uuid.uuid4().hex[:20]}",
        account_id=account.id,
        prefix=key[:PREFIX_LEN],
        key_hash=hash_key(key),
        scopes=parse_scopes(scopes) if scopes else list(DEFAULT_SCOPES),
    )
    session.add(row)
    await session.flush()
    return row, key


async def authenticate(session: AsyncSession, key: str) -> Principal | None:
    if not key.startswith(("sk_live_", "sk_test_")) or len(key) < PREFIX_LEN + 8:
        return None
    digest = hash_key(key)
    rows = await session.execute(
        select(ApiKey, Account.plan)
        .join(Account, Account.id == ApiKey.account_id)
        .where(ApiKey.prefix == key[:PREFIX_LEN], ApiKey.revoked_at.is_(None))
    )
    for row, plan in rows.all():
        if hmac.compare_digest(row.key_hash, digest):
            return Principal(
                account_id=row.account_id,
                key_id=row.id,
                scopes=frozenset(row.scopes),
                live=key.startswith("sk_live_"),
                plan=plan,
            )
    return None


def _mode(live: bool | None) -> list[ColumnElement[bool]]:
    """Keys of one world only (live: sk_live_ prefixes, test: sk_test_); None: both."""
    if live is None:
        return []
    return [ApiKey.prefix.startswith("sk_live_" if live else "sk_test_")]


async def list_keys(
    session: AsyncSession, account_id: str, *, limit: int, offset: int, live: bool | None = None
) -> tuple[list[ApiKey], int]:
    """`live`: a test key manages test keys only; a live admin key (or the CLI, None) sees all of them."""
    where = [ApiKey.account_id == account_id, *_mode(live)]
    total = (await session.execute(select(func.count()).select_from(ApiKey).where(*where))).scalar_one()
    rows = await session.execute(
        select(ApiKey).where(*where).order_by(ApiKey.created_at.desc(), ApiKey.id).limit(limit).offset(offset)
    )
    return list(rows.scalars()), int(total)


async def get_account_by_name(session: AsyncSession, name: str) -> Account | None:
    return (await session.execute(select(Account).where(Account.name == name))).scalar_one_or_none()


async def revoke_key(
    session: AsyncSession, key_id: str, account_id: str | None = None, *, live: bool | None = None
) -> ApiKey | None:
    """Revoke a key (idempotent: an already revoked key keeps its first revocation time)."""
    query = select(ApiKey).where(ApiKey.id == key_id, *_mode(live))
    if account_id is not None:
        query = query.where(ApiKey.account_id == account_id)
    row = (await session.execute(query)).scalar_one_or_none()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        await session.flush()
    return row
