-- usage_events: the raw billing record, one row per usage.recorded event (the sink writes it).
--
-- ENGINE ReplacingMergeTree: event_id is the dedup key. The sink already drops event ids it finds here and
--   sends an insert_deduplication_token, so duplicates are rare (a zombie consumer after a rebalance); any
--   that slip through collapse at merge time, and billing queries read with FINAL so they never count twice.
-- ORDER BY (account_id, event_id): the replacing key must be the sorting key, and it must hold only fields
--   that are the same in every copy of an event. account_id leads so one account's period query (the quota
--   and /v1/account/usage path) reads a narrow run of granules, and the sink's "which ids exist" probe too.
-- PARTITION BY toYYYYMM(occurred_at): billing periods are calendar months in UTC, so a period query prunes to
--   one partition; months are few and large (no part explosion) and can be dropped or moved whole.
-- non_replicated_deduplication_window: makes insert_deduplication_token work on a plain MergeTree (chDB,
--   single server); a replicated table deduplicates by default.
CREATE TABLE IF NOT EXISTS usage_events
(
    event_id         String,
    account_id       String,
    job_id           String,
    kind             LowCardinality(String),
    quantity_seconds Float64,
    billable_seconds UInt64,
    cost_cents       Decimal(18, 4),
    plan             LowCardinality(String),
    occurred_at      DateTime64(3, 'UTC'),
    inserted_at      DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (account_id, event_id)
SETTINGS non_replicated_deduplication_window = 1000;
