"""What an API key may do: one enum for the ORM column, the auth dependencies, the keys API and the CLI.

Keys store their scopes as a JSON list of these values (`api_keys.scopes`), as they always have: `ScopeList`
maps that column to the enum without a migration.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)


class Scope(StrEnum):
    jobs_read = "jobs:read"
    jobs_write = "jobs:write"
    webhooks_write = "webhooks:write"
    usage_read = "usage:read"
    admin = "admin"  # the account's own administrator: its keys, and every other scope, inside its account only
    platform = "platform"  # the operator: reads every account's analytics; minted by the CLI only, never over the API


# What an account admin may grant over the API (never `platform`).
ACCOUNT_SCOPES: tuple[Scope, ...] = tuple(s for s in Scope if s is not Scope.platform)
# Every non-admin account scope: a new user's first webhook call works without re-issuing the key (issue 17.5).
DEFAULT_SCOPES: tuple[Scope, ...] = tuple(s for s in ACCOUNT_SCOPES if s is not Scope.admin)


_VALUES = frozenset(s.value for s in Scope)


def parse_scopes(values: Iterable[str]) -> list[Scope]:
    """`values` as scopes, in order, without repeats; unknown ones raise ValueError naming them."""
    given = list(values)
    unknown = sorted(set(given) - _VALUES)
    if unknown:
        raise ValueError(f"unknown scopes {unknown}; scopes: {', '.join(Scope)}")
    return list(dict.fromkeys(Scope(v) for v in given))


class ScopeList(TypeDecorator[list[Scope]]):
    """A JSON list of scope values. A value this release does not know (a newer one wrote it) is left out when
    read, so the key simply lacks it, rather than every request with that key failing."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: list[Scope] | None, dialect: Dialect) -> Any:
        return None if value is None else [Scope(s).value for s in value]

    def process_result_value(self, value: Any, dialect: Dialect) -> list[Scope] | None:
        if value is None:
            return None
        known = [Scope(s) for s in value if s in _VALUES]
        if len(known) != len(value):
            log.warning("api key scopes %s unknown to this release: left out", sorted(set(value) - set(known)))
        return known
