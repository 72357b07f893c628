"""The CLI client waits out rate limits instead of failing a transcription halfway."""

from __future__ import annotations

import httpx

from cli.client import _get_respecting_limits


def test_429_is_retried_after_the_advertised_delay() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "0"}, json={"error": {"type": "rate_limited", "message": "slow down", "status": 429}})
        return httpx.Response(200, json={"data": {"id": "j"}})

    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://test") as client:
        response = _get_respecting_limits(client, "/v1/jobs/j")
    assert response.status_code == 200 and len(calls) == 2


def test_a_wait_longer_than_the_cap_is_returned_to_the_caller() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "3600"})

    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://test") as client:
        assert _get_respecting_limits(client, "/x", max_wait_s=10).status_code == 429
