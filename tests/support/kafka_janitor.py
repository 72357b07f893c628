"""Scratch topics for tests: unique prefixes that carry their creation time, and their removal.

Every test stack gets its own topic prefix so tests never see each other's events. Those topics are deleted
when the session ends; a session that crashed leaves them behind, so the next session deletes scratch topics
older than STALE_AFTER_S. Without this the local broker accumulated ~15k partitions and needed minutes to
start (the CI failure of 2026-11-22).
"""

from __future__ import annotations

import re
import time
import uuid

SCRATCH_KINDS = ("test", "e2e", "schema", "bench")
STALE_AFTER_S = 3 * 3600

_KINDS = "|".join(SCRATCH_KINDS)
# `<kind>-<unix seconds>-<hex>.` as a topic prefix, or inside a Faust app id (`parlance-<kind>-<ts>-<hex>-...`).
_STAMPED = re.compile(rf"(?:^|-)(?:{_KINDS})-(\d{{10}})-[0-9a-f]+(?:[.-]|$)")
# Prefixes from before they carried a timestamp (`test-<hex>.`, `parlance-e2e-<hex>-__assignor-__leader`).
_LEGACY = re.compile(rf"^(?:parlance-)?(?:{_KINDS})-[0-9a-f]{{8,10}}(?:[.-]|$)")


# Prefixes handed out in this session; the session-scoped broker fixture deletes their topics at the end.
issued: list[str] = []


def scratch_prefix(kind: str) -> str:
    """A fresh, time-stamped topic prefix such as `test-1795000000-1a2b3c4d.`, remembered for clean-up."""
    if kind not in SCRATCH_KINDS:
        raise ValueError(f"unknown scratch kind {kind!r}")
    prefix = f"{kind}-{int(time.time())}-{uuid.uuid4().hex[:8]}."
    issued.append(prefix)
    return prefix


def stale_scratch_topics(all_topics: list[str], now: float | None = None, max_age_s: float = STALE_AFTER_S) -> list[str]:
    """Scratch topics left by sessions that ended more than `max_age_s` ago (or by the pre-timestamp scheme)."""
    now = time.time() if now is None else now
    stale = []
    for topic in all_topics:
        stamped = _STAMPED.search(topic)
        if stamped:
            if now - int(stamped.group(1)) > max_age_s:
                stale.append(topic)
        elif _LEGACY.match(topic):
            stale.append(topic)
    return stale
