-- call_facts: one row per analysed job, for call-outcome analytics (/v1/analytics/calls).
--
-- ENGINE ReplacingMergeTree(analyzed_at): re-analysing a job (retry, new model) replaces its facts; the
--   newest analysis wins, and readers use FINAL.
-- ORDER BY (account_id, job_id): the replacing key is the job (only fields identical across re-analyses);
--   account first so per-account analytics read one range. Time filtering relies on the partition.
-- PARTITION BY toYYYYMM(occurred_at): analytics ask for date ranges, usually within a few months.
CREATE TABLE IF NOT EXISTS call_facts
(
    job_id           String,
    account_id       String,
    occurred_at      DateTime64(3, 'UTC'),
    duration_seconds Float64,
    language         LowCardinality(String),
    speakers         UInt16,
    call_type        LowCardinality(String),
    outcome          LowCardinality(String),
    sentiment        LowCardinality(String),
    sentiment_score  Float32,
    analyzed_at      DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(analyzed_at)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (account_id, job_id);
