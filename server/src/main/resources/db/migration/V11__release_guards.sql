-- Guards on releases, and signals from monitoring (at the end). What each guard watches (its
-- definition as the API takes it), from when it counts samples (the release's start, or the
-- applying of its plan step; reset when a person resumes the release), and what it found at its last look (for the API and the UI's chart).
-- Environments may name default guards for releases that name none. A flag's configuration row
-- says whether a guarded release is watching the flag there, so the feed serves it marked and a
-- change of that mark is a change of the row (one revision, one patch). Expand only.
CREATE TABLE release_guards (
    deployment_id bigint      NOT NULL REFERENCES deployments (id),
    position      integer     NOT NULL,
    step          integer,
    definition    jsonb       NOT NULL,
    started_at    timestamptz,
    state         jsonb,
    checked_at    timestamptz,
    PRIMARY KEY (deployment_id, position)
);

ALTER TABLE environments ADD COLUMN default_guards jsonb;
ALTER TABLE flag_configs ADD COLUMN guarded boolean NOT NULL DEFAULT false;

-- Signals from monitoring (an alert firing or resolved) for a deployment, each recorded once: a
-- replay of the same alert (same fingerprint, status and start) finds its key and changes nothing.
CREATE TABLE deployment_signals (
    deployment_id bigint      NOT NULL REFERENCES deployments (id),
    signal_key    text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('firing', 'resolved')),
    name          text        NOT NULL,
    labels        jsonb       NOT NULL,
    actor         text        NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (deployment_id, signal_key)
);
