/**
 * What every write records inside its own transaction: the audit event people read ({@link dev.darklaunch.server.changes.AuditLog})
 * and the change-log row that moves an environment to its next revision and wakes the feed
 * ({@link dev.darklaunch.server.changes.ChangeLog}). Append-only; knows no capability and nothing of HTTP.
 */
package dev.darklaunch.server.changes;
