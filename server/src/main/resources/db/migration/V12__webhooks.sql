-- Outbound webhooks: per-project receivers of audit events, delivered from the audit log as an outbox.
--
-- Expand only. audit_events gets the id of the transaction that inserted each row (xid8). Rows
-- already there keep NULL (they were committed long before any webhook exists, and no webhook's
-- cursor ever points before them); the default applies to new rows only, so this needs no rewrite.
--
-- Why a transaction id: sequence numbers are taken when a row is inserted but become visible when
-- its transaction commits, so a reader that remembers "delivered up to seq 12" can skip seq 11 if
-- 11 commits after 12 became visible. A transaction id older than the xmin of the reader's snapshot
-- (pg_snapshot_xmin(pg_current_snapshot())) belongs to a transaction that has ended: its rows are
-- all visible, or it rolled back. Every transaction still running, or yet to start, has an id at
-- or above that xmin. So a webhook's cursor is the pair (xid, seq), events go out in that order,
-- and only events whose xid is below the current xmin are delivered: the set below the cursor can
-- never gain a row later.
ALTER TABLE audit_events ADD COLUMN xid xid8;
ALTER TABLE audit_events ALTER COLUMN xid SET DEFAULT pg_current_xact_id();
-- partial: the rows from before this migration (NULL) are never looked up by it, and stay out
CREATE INDEX audit_by_project_transaction ON audit_events (project, xid, seq) WHERE xid IS NOT NULL;

CREATE TABLE webhooks (
    id              bigserial   PRIMARY KEY,
    project_id      bigint      NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name            text        NOT NULL,
    url             text        NOT NULL,
    events          text[]      NOT NULL,
    format          text        NOT NULL CHECK (format IN ('json', 'slack')),
    enabled         boolean     NOT NULL DEFAULT true,
    -- the HMAC key: kept so deliveries can be signed; the API shows it only when it is made
    secret          text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      text        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- the last event handled (delivered or not meant for this webhook), in (xid, seq) order
    cursor_xid      xid8        NOT NULL,
    cursor_seq      bigint      NOT NULL DEFAULT 0,
    -- failed attempts at the event after the cursor, and when to try it again
    failures        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- the one instance delivering this webhook until lease_until
    lease_owner     text,
    lease_until     timestamptz
);
CREATE INDEX webhooks_by_project ON webhooks (project_id, id);

CREATE TABLE webhook_deliveries (
    id          bigserial   PRIMARY KEY,
    webhook_id  bigint      NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_seq   bigint      NOT NULL,
    action      text        NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    attempt     integer     NOT NULL,
    redelivery  boolean     NOT NULL DEFAULT false,
    status      integer,
    error       text,
    response    text,
    duration_ms integer     NOT NULL,
    succeeded   boolean     NOT NULL
);
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id);
