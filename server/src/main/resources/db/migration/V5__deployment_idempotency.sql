-- A pipeline that retries recording a deployment (a timeout, a re-run job) sends the same
-- Idempotency-Key: within a project, the deployment is recorded once. Expand-only.
ALTER TABLE deployments ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX deployments_idempotency ON deployments (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
