"""`inference.pipeline._clip_with_retries` on a fake handle: a lost replica and an unanswered request are both
sent again, canceled first, within a bounded budget (the live behaviour: tests/integration/cluster/test_chaos.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from ray.exceptions import RayActorError

from inference import pipeline
from inference.chunking import Clip
from inference.errors import TranscriptionError

SEGMENTS = [{"start": 0.0, "end": 1.0, "text": "hello"}]


class _Response:
    """Awaitable like a DeploymentResponse: `outcome` is "hang", an exception, or the result."""

    def __init__(self, outcome: Any) -> None:
        self.outcome = outcome
        self.canceled = False

    def cancel(self) -> None:
        self.canceled = True

    def __await__(self) -> Any:
        return self._wait().__await__()

    async def _wait(self) -> Any:
        if self.outcome == "hang":
            await asyncio.Event().wait()
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome


class _Handle:
    def __init__(self, outcomes: list[Any]) -> None:
        self.outcomes = outcomes
        self.sent: list[_Response] = []
        self.transcribe = self

    def remote(self, request: object) -> _Response:
        response = _Response(self.outcomes[len(self.sent)])
        self.sent.append(response)
        return response


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "REPLICA_LOST_BACKOFF_S", 0.0)


def _clip() -> Clip:
    return Clip(start_s=6.4, end_s=12.0)


def test_an_unanswered_request_is_canceled_and_sent_again() -> None:
    handle = _Handle(["hang", SEGMENTS])
    result = asyncio.run(pipeline._clip_with_retries(handle, object(), _clip(), timeout_s=0.2))
    assert result == SEGMENTS
    assert [r.canceled for r in handle.sent] == [True, False]


def test_a_lost_replica_is_retried_then_answered() -> None:
    handle = _Handle([RayActorError(), SEGMENTS])
    assert asyncio.run(pipeline._clip_with_retries(handle, object(), _clip(), timeout_s=5)) == SEGMENTS
    assert len(handle.sent) == 2


def test_the_budget_is_bounded_and_the_error_says_why() -> None:
    handle = _Handle(["hang"] * (pipeline.REPLICA_LOST_RETRIES + 1))
    with pytest.raises(TranscriptionError, match=r"clip at 6\.4 s: no answer in 0 s"):
        asyncio.run(pipeline._clip_with_retries(handle, object(), _clip(), timeout_s=0.05))
    assert len(handle.sent) == pipeline.REPLICA_LOST_RETRIES + 1 and all(r.canceled for r in handle.sent)


def test_a_model_error_is_not_retried() -> None:
    handle = _Handle([ValueError("bad clip"), SEGMENTS])
    with pytest.raises(TranscriptionError, match="bad clip"):
        asyncio.run(pipeline._clip_with_retries(handle, object(), _clip(), timeout_s=5))
    assert len(handle.sent) == 1
