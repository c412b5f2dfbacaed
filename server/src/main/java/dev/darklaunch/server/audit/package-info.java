/**
 * The audit trail as people read it: filtered, paged queries ({@code /audit}), a project's events
 * as they are committed ({@code /projects/{p}/events}). Read-only: events are written by
 * {@code changes.AuditLog} inside each change's transaction, never here.
 */
package dev.darklaunch.server.audit;
