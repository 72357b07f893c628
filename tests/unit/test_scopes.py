"""Scopes are one enum: stored as the same JSON strings as before, refused when unknown, platform never granted
over the API."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy.dialects import sqlite

from api.keys.endpoints import KeyIn
from store.scopes import ACCOUNT_SCOPES, DEFAULT_SCOPES, Scope, ScopeList, parse_scopes


def test_column_keeps_the_json_strings_and_reads_enum_members() -> None:
    column, dialect = ScopeList(), sqlite.dialect()
    assert column.process_bind_param([Scope.jobs_read, Scope.platform], dialect) == ["jobs:read", "platform"]
    read = column.process_result_value(["jobs:read", "admin"], dialect)
    assert read == [Scope.jobs_read, Scope.admin] and all(type(s) is Scope for s in read)


def test_a_scope_this_release_does_not_know_is_left_out_when_read() -> None:
    assert ScopeList().process_result_value(["jobs:read", "billing:write"], sqlite.dialect()) == [Scope.jobs_read]


def test_parse_keeps_order_drops_repeats_and_names_unknown_ones() -> None:
    assert parse_scopes(["usage:read", "jobs:read", "usage:read"]) == [Scope.usage_read, Scope.jobs_read]
    with pytest.raises(ValueError, match="jobs:delete"):
        parse_scopes(["jobs:read", "jobs:delete"])


def test_account_scopes_are_every_scope_but_platform_and_defaults_leave_out_admin() -> None:
    assert set(ACCOUNT_SCOPES) == set(Scope) - {Scope.platform}
    assert set(DEFAULT_SCOPES) == set(ACCOUNT_SCOPES) - {Scope.admin}


def test_the_keys_api_never_grants_platform() -> None:
    assert KeyIn(scopes=["admin", "jobs:read"]).scopes == [Scope.admin, Scope.jobs_read]
    with pytest.raises(ValidationError, match="not a scope an account admin may grant"):
        KeyIn(scopes=["platform"])
    schema = KeyIn.model_json_schema()["properties"]["scopes"]["items"]
    assert schema["enum"] == [s.value for s in ACCOUNT_SCOPES]
