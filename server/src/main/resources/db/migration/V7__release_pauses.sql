-- A person's change to a flag pauses the release plans that raise it: who paused a release and
-- why, and the configuration version each release last wrote, so a step can see that someone
-- else changed a flag since. Expand-only: new nullable columns and an index.
ALTER TABLE deployments ADD COLUMN paused_by text, ADD COLUMN paused_reason text;
ALTER TABLE deployment_flags ADD COLUMN released_version integer;
-- the running releases of an environment, looked up on every manual change of a flag there
CREATE INDEX deployments_running ON deployments (environment_id) WHERE release_state = 'running';
