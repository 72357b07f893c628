"""Which topics belong to a scratch stack, and which are stale enough to delete."""

from __future__ import annotations

from streams.topics import topics_of_prefix
from tests.support.kafka_janitor import scratch_prefix, stale_scratch_topics

NOW = 1_795_000_000


def test_topics_of_prefix_includes_faust_internal_topics_and_nothing_else() -> None:
    prefix = "e2e-1795000000-1a2b3c4d."
    existing = [
        "e2e-1795000000-1a2b3c4d.parlance.jobs.events",
        "e2e-1795000000-1a2b3c4d.parlance.dlq",
        "parlance-e2e-1795000000-1a2b3c4d-__assignor-__leader",
        "e2e-1795000000-1a2b3c4dff.parlance.dlq",  # a different stack whose id merely starts the same
        "parlance.jobs.events",
        "__consumer_offsets",
    ]
    assert topics_of_prefix(existing, prefix) == existing[:3]


def test_scratch_prefix_is_stamped_and_unique() -> None:
    a, b = scratch_prefix("test"), scratch_prefix("test")
    assert a != b and a.startswith("test-") and a.endswith(".")
    assert stale_scratch_topics([a + "parlance.usage"]) == []  # brand new: kept


def test_stale_scratch_topics_by_age_and_legacy_names() -> None:
    old, fresh = NOW - 4 * 3600, NOW - 60
    topics = [
        f"test-{old}-abcdef12.parlance.usage",
        f"parlance-e2e-{old}-abcdef12-__assignor-__leader",
        f"bench-{fresh}-abcdef12.parlance.jobs.events",
        "test-b248594098.parlance.usage",  # pre-timestamp scheme: always stale
        "parlance-e2e-cb643e53-__assignor-__leader",
        "parlance.jobs.events",  # the real ones are never touched
        "prod-tenant.parlance.usage",
        "__consumer_offsets",
    ]
    assert stale_scratch_topics(topics, now=NOW) == [topics[0], topics[1], topics[3], topics[4]]
