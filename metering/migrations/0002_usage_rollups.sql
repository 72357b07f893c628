-- usage_daily: per account, day and kind, summed at insert time by a materialized view (analytics at day and
-- month granularity and the admin "top accounts" read this, never the raw events).
--
-- ENGINE SummingMergeTree: rows with the same key are added up during merges; readers still sum() with
--   GROUP BY because merges are eventual.
-- ORDER BY (account_id, day, kind): the grouping key of every query on it, account first for per-account reads.
-- PARTITION BY toYYYYMM(day): one partition per billing month, like the raw table.
-- The view fires on each insert block into usage_events; with deduplicate_blocks_in_dependent_materialized_views
-- and a dedup window here too, a block dropped by its insert token is dropped from the rollup as well.
CREATE TABLE IF NOT EXISTS usage_daily
(
    account_id       String,
    day              Date,
    kind             LowCardinality(String),
    events           UInt64,
    quantity_seconds Float64,
    billable_seconds UInt64,
    cost_cents       Decimal(18, 4)
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (account_id, day, kind)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS usage_daily_mv TO usage_daily AS
SELECT
    account_id,
    toDate(occurred_at, 'UTC') AS day,
    kind,
    count() AS events,
    sum(quantity_seconds) AS quantity_seconds,
    sum(billable_seconds) AS billable_seconds,
    sum(cost_cents) AS cost_cents
FROM usage_events
GROUP BY account_id, day, kind;

-- usage_hourly: the same per hour, for granularity=hour. Same engine and keys; hour is a UTC DateTime.
-- PARTITION BY toYYYYMM(hour): hours of one month together, matching the billing period.
CREATE TABLE IF NOT EXISTS usage_hourly
(
    account_id       String,
    hour             DateTime('UTC'),
    kind             LowCardinality(String),
    events           UInt64,
    quantity_seconds Float64,
    billable_seconds UInt64,
    cost_cents       Decimal(18, 4)
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (account_id, hour, kind)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS usage_hourly_mv TO usage_hourly AS
SELECT
    account_id,
    toStartOfHour(occurred_at, 'UTC') AS hour,
    kind,
    count() AS events,
    sum(quantity_seconds) AS quantity_seconds,
    sum(billable_seconds) AS billable_seconds,
    sum(cost_cents) AS cost_cents
FROM usage_events
GROUP BY account_id, hour, kind;
