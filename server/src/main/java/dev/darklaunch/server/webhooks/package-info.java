/**
 * Outbound webhooks: a project's receivers of its audit events (flag changes, deployments, guard
 * actions), signed with HMAC-SHA256, delivered from the audit log as an outbox — in order, one
 * instance at a time per webhook, retried with capped exponential backoff — with a delivery log.
 * Reads the audit log; writes only its own tables.
 */
package dev.darklaunch.server.webhooks;
