package dev.darklaunch.bench.feed;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * The harnesses' PostgreSQL: one embedded (files under {@code work/postgres}, wiped at each start)
 * with the databases {@code darklaunch} and {@code unleash}; or {@code DARKLAUNCH_DATABASE_URL} and
 * {@code UNLEASH_DATABASE_URL} when set.
 */
record Databases(String darklaunch, String unleash, EmbeddedPostgres embedded) implements AutoCloseable {

    static Databases open(Path work) throws Exception {
        String darklaunch = System.getenv("DARKLAUNCH_DATABASE_URL");
        if (darklaunch != null && !darklaunch.isBlank()) {
            return new Databases(darklaunch, System.getenv("UNLEASH_DATABASE_URL"), null);
        }
        EmbeddedPostgres embedded = EmbeddedPostgres.builder().setDataDirectory(work.resolve("postgres")).setCleanDataDirectory(true).start();
        try (Connection c = embedded.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE darklaunch");
            s.execute("CREATE DATABASE unleash");
        }
        return new Databases("postgresql://postgres:postgres@127.0.0.1:" + embedded.getPort() + "/darklaunch",
                "postgres://postgres:postgres@127.0.0.1:" + embedded.getPort() + "/unleash", embedded);
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
