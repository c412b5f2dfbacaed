/**
 * The SDK feed: every environment in memory as an immutable snapshot, kept current from the change
 * log (LISTEN wake-ups, catch-up, reconcile), served as snapshot, SSE patches and usage metrics.
 * Reads SDK traffic from memory only, never from the database.
 */
package dev.darklaunch.server.feed;
