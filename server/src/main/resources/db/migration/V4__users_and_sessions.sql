-- Admin UI users, their sign-in sessions, and the brute-force guard of sign-in. Also wakes
-- listeners of a project's audit events (the admin UI's live updates) on every audit insert.

CREATE TABLE users (
    id            bigserial   PRIMARY KEY,
    email         text        NOT NULL,
    -- bcrypt ($2a$, cost in the hash); the password itself is never stored
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    version       integer     NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text        NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
-- emails are unique regardless of case
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- Sessions live in the database so that every server instance knows them and ending one takes
-- effect everywhere at once.
CREATE TABLE sessions (
    id           bigserial   PRIMARY KEY,
    -- SHA-256 of the cookie's secret; the secret itself is only ever in the browser's cookie
    secret_hash  bytea       NOT NULL UNIQUE,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);

-- Failed sign-ins per (lower-cased) email in the current window, shared by all instances.
CREATE TABLE sign_in_failures (
    email        text        PRIMARY KEY,
    failures     integer     NOT NULL,
    window_start timestamptz NOT NULL
);

CREATE FUNCTION audit_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- delivered at commit, so listeners only ever read committed rows
    PERFORM pg_notify('darklaunch_audit', NEW.project);
    RETURN NULL;
END $$;
CREATE TRIGGER audit_events_notify AFTER INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_notify();
