package dev.darklaunch.server.store;

import io.vertx.pgclient.PgConnectOptions;

/**
 * A PostgreSQL location, accepted in the libpq URI form ({@code postgresql://user:secret@host:5432/db})
 * or the JDBC form ({@code jdbc:postgresql://host:5432/db?user=…&password=…}), turned into the
 * reactive client's options (runtime) and a JDBC URL (Flyway migrations).
 */
public record DatabaseUrl(PgConnectOptions options) {

    public static DatabaseUrl parse(String url) {
        String uri = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
        if (!uri.startsWith("postgresql://") && !uri.startsWith("postgres://")) {
            throw new IllegalArgumentException(
                    "DARKLAUNCH_DATABASE_URL must look like postgresql://user:password@host:5432/database");
        }
        try {
            return new DatabaseUrl(PgConnectOptions.fromUri(uri));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("DARKLAUNCH_DATABASE_URL is not a valid PostgreSQL URL: " + e.getMessage());
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase()
                + "?sslmode=" + options.getSslMode().name().toLowerCase().replace('_', '-');
    }

    public String user() {
        return options.getUser();
    }

    public String password() {
        return options.getPassword();
    }

    /** Where it points, without credentials: safe to log. */
    public String describe() {
        return options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
    }
}
