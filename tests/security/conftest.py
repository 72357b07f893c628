"""Issue 15's probe findings as tests on the real app (tests/integration/api's `env`: migrated SQLite, embedded
chDB, the local Kafka broker). Each test failed on the code before the fix; docs/security.md maps them."""

from __future__ import annotations

from tests.integration.api.conftest import env  # noqa: F401 - the fixture, shared with the API tests
