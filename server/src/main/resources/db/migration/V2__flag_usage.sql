-- Evaluation counts reported by SDKs (POST /sdk/v1/metrics), per flag and environment: usage and
-- stale-flag detection. Keyed by flag key, so the history survives a flag being re-created.
CREATE TABLE flag_usage (
    environment_id    bigint      NOT NULL REFERENCES environments (id),
    flag_key          text        NOT NULL,
    evaluations       bigint      NOT NULL DEFAULT 0,
    last_evaluated_at timestamptz NOT NULL,
    PRIMARY KEY (environment_id, flag_key)
);
