"""The API integration fixtures (real app, SQLite, local Kafka) reused for issue 17's tests."""

from tests.integration.api.conftest import env  # noqa: F401
