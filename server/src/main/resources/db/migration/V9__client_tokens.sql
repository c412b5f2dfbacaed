-- Browser-safe client tokens: they evaluate, over OFREP, only the flags marked client-side, and
-- only for the web origins listed on them. Expand only: an older server ignores the new column and
-- flags; it cannot read a client token's kind (it refuses that request), which is the one thing
-- to mind while old and new servers share the schema.
ALTER TABLE flags ADD COLUMN client_side boolean NOT NULL DEFAULT false;

ALTER TABLE tokens ADD COLUMN origins text[] NOT NULL DEFAULT '{}';
ALTER TABLE tokens DROP CONSTRAINT tokens_kind_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_kind_check CHECK (kind IN ('admin', 'pipeline', 'sdk', 'client'));
