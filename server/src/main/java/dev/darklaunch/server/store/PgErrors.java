package dev.darklaunch.server.store;

import io.vertx.pgclient.PgException;

/** What a PostgreSQL error means for the caller. */
public final class PgErrors {

    private PgErrors() {
    }

    /** A unique constraint refused the row: something with that key exists already. */
    public static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
