-- Deployments: what a pipeline shipped to an environment, the flags that came with it (dark),
-- and the plan that releases them. Expand-only: new tables and one new nullable column.

-- Whether a deployment reported failed switches its flags off by itself; NULL means the default,
-- which is on for production environments and off elsewhere.
ALTER TABLE environments ADD COLUMN rollback_on_failure boolean;

CREATE TABLE deployments (
    id              bigserial   PRIMARY KEY,
    project_id      bigint      NOT NULL REFERENCES projects (id),
    environment_id  bigint      NOT NULL REFERENCES environments (id),
    service         text        NOT NULL,
    version         text        NOT NULL,
    commit_sha      text,
    url             text,
    status          text        NOT NULL CHECK (status IN ('started', 'succeeded', 'failed', 'rolled_back')),
    actor           text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    -- the release: NULL before one is started
    release_state   text        CHECK (release_state IN ('running', 'paused', 'completed', 'cancelled')),
    release_actor   text,
    paused_at       timestamptz
);
CREATE INDEX deployments_by_project ON deployments (project_id, id);
CREATE INDEX deployments_by_environment ON deployments (environment_id, id);

-- The flags a deployment shipped; a flag deleted later stays listed by key.
CREATE TABLE deployment_flags (
    deployment_id bigint  NOT NULL REFERENCES deployments (id),
    flag_key      text    NOT NULL,
    created       boolean NOT NULL,
    PRIMARY KEY (deployment_id, flag_key)
);

-- A release plan's steps. A step is applied exactly once: the server instance that applies it
-- sets applied_at in the same transaction as the flag changes.
CREATE TABLE release_steps (
    deployment_id bigint        NOT NULL REFERENCES deployments (id),
    position      integer       NOT NULL,
    -- share of contexts served the flags' "on" value, in thousandths of a percent (0.001 %)
    weight        integer       NOT NULL CHECK (weight > 0 AND weight <= 100000),
    at            timestamptz,
    after_ms      bigint,
    due_at        timestamptz,
    applied_at    timestamptz,
    PRIMARY KEY (deployment_id, position)
);
CREATE INDEX release_steps_pending ON release_steps (due_at) WHERE applied_at IS NULL;
