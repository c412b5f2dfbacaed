package dev.darklaunch.server.store;

import org.flywaydb.core.Flyway;

/**
 * Applies the numbered, forward-only schema migrations in {@code db/migration} (see the README
 * there for the expand/contract rules that keep old and new servers compatible).
 */
public final class Migrations {

    private Migrations() {
    }

    /** Blocking: run it off the event loop. Returns how many migrations were applied. */
    public static int apply(DatabaseUrl url) {
        return Flyway.configure()
                .dataSource(url.jdbcUrl(), url.user(), url.password())
                .locations("classpath:db/migration")
                .connectRetries(5)
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
