package dev.darklaunch.server.store;

import java.time.Duration;

/**
 * How long the server waits on PostgreSQL.
 *
 * @param timeout {@code DARKLAUNCH_DATABASE_TIMEOUT} (5 s): the most a query, or a whole
 *                transaction, may take, waiting for a pooled connection included; past it the
 *                request answers 503 and the connection is dropped. A database that stalls (a
 *                stopped process, a network path that loses packets) then costs each request at
 *                most this long, never the length of the stall. Start-up waits as long as it takes.
 */
public record DatabaseSettings(Duration timeout) {

    static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    public static final DatabaseSettings DEFAULTS = new DatabaseSettings(Duration.ofSeconds(5));

    public DatabaseSettings {
        if (timeout == null || timeout.compareTo(MIN_TIMEOUT) < 0) {
            throw new IllegalArgumentException("DARKLAUNCH_DATABASE_TIMEOUT must be at least " + MIN_TIMEOUT.toMillis()
                    + "ms, got " + timeout);
        }
    }
}
