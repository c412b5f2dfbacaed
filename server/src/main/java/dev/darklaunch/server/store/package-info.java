/**
 * The database underneath: the pool with deadlines, migrations, embedded PostgreSQL, JSON mapping,
 * and the values stores share ({@link dev.darklaunch.server.store.Versioned}, {@link dev.darklaunch.server.store.Paging}). Knows no capability
 * and nothing of HTTP.
 */
package dev.darklaunch.server.store;
