"""The job domain's refusals reach clients in the API's envelope, whichever API caller met them."""

from __future__ import annotations

import pytest

from api.errors import ApiError, job_errors_as_api
from jobs import errors


@pytest.mark.parametrize(
    ("domain", "status", "type_"),
    [
        (errors.JobNotFound, 404, "not_found"),
        (errors.JobConflict, 409, "conflict"),
        (errors.InsufficientCredits, 402, "insufficient_credits"),
        (errors.ConcurrencyLimit, 429, "concurrency_limit"),
    ],
)
def test_each_refusal_leaves_as_its_api_error(domain: type[errors.JobError], status: int, type_: str) -> None:
    with pytest.raises(ApiError) as caught:
        with job_errors_as_api():
            raise domain("the message")
    assert (caught.value.status, caught.value.type, caught.value.message) == (status, type_, "the message")
