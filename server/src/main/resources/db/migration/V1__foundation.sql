-- Darklaunch foundation schema. Forward-only; see README.md in this folder.

CREATE TABLE projects (
    id          bigserial   PRIMARY KEY,
    key         text        NOT NULL UNIQUE,
    name        text        NOT NULL,
    version     integer     NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE environments (
    id          bigserial   PRIMARY KEY,
    project_id  bigint      NOT NULL REFERENCES projects (id),
    key         text        NOT NULL,
    name        text        NOT NULL,
    position    integer     NOT NULL,
    production  boolean     NOT NULL DEFAULT false,
    -- bumped in the same transaction as every change an SDK of this environment must see
    revision    bigint      NOT NULL DEFAULT 0,
    version     integer     NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, key)
);

CREATE TABLE flags (
    id          bigserial   PRIMARY KEY,
    project_id  bigint      NOT NULL REFERENCES projects (id),
    key         text        NOT NULL,
    name        text        NOT NULL,
    description text,
    kind        text        NOT NULL,
    variations  jsonb       NOT NULL,
    tags        text[]      NOT NULL DEFAULT '{}',
    owner       text,
    lifecycle   text        NOT NULL,
    archived    boolean     NOT NULL DEFAULT false,
    version     integer     NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, key)
);
CREATE INDEX flags_tags ON flags USING gin (tags);

-- One row per flag and environment: on/off, targets, rules, fallthrough, prerequisites.
CREATE TABLE flag_configs (
    flag_id        bigint      NOT NULL REFERENCES flags (id) ON DELETE CASCADE,
    environment_id bigint      NOT NULL REFERENCES environments (id),
    config         jsonb       NOT NULL,
    version        integer     NOT NULL DEFAULT 1,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (flag_id, environment_id)
);

CREATE TABLE segments (
    id          bigserial   PRIMARY KEY,
    project_id  bigint      NOT NULL REFERENCES projects (id),
    key         text        NOT NULL,
    name        text        NOT NULL,
    description text,
    version     integer     NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, key)
);

CREATE TABLE segment_configs (
    segment_id     bigint      NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    environment_id bigint      NOT NULL REFERENCES environments (id),
    config         jsonb       NOT NULL,
    version        integer     NOT NULL DEFAULT 1,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (segment_id, environment_id)
);

-- What changed at each revision of an environment; server instances catch up from here.
CREATE TABLE change_log (
    environment_id bigint      NOT NULL REFERENCES environments (id),
    revision       bigint      NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('flag', 'segment')),
    key            text        NOT NULL,
    changed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (environment_id, revision, kind, key)
);

-- Append-only: written in the same transaction as the change it records.
CREATE TABLE audit_events (
    seq           bigserial   PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    actor         text        NOT NULL,
    action        text        NOT NULL,
    project       text        NOT NULL,
    environment   text,
    target_kind   text        NOT NULL,
    target_key    text        NOT NULL,
    before        jsonb,
    after         jsonb,
    comment       text,
    deployment_id bigint
);
CREATE INDEX audit_by_project ON audit_events (project, seq);
CREATE INDEX audit_by_target ON audit_events (project, target_kind, target_key, seq);
CREATE INDEX audit_by_environment ON audit_events (project, environment, seq);
CREATE INDEX audit_by_deployment ON audit_events (deployment_id, seq) WHERE deployment_id IS NOT NULL;

CREATE FUNCTION audit_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END $$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();

CREATE TABLE tokens (
    id           bigserial   PRIMARY KEY,
    name         text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('admin', 'pipeline', 'sdk')),
    project_id   bigint      REFERENCES projects (id),
    environments text[]      NOT NULL DEFAULT '{}',
    -- SHA-256 of the secret; the secret itself is shown once and never stored
    secret_hash  bytea       NOT NULL UNIQUE,
    hint         text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text        NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    revoked_by   text,
    CHECK ((kind = 'admin') = (project_id IS NULL))
);
