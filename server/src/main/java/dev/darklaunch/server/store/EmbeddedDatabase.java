package dev.darklaunch.server.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PostgreSQL 17 run by the server itself when no external database is configured, with its
 * files kept in the data directory so flags survive a restart. It is a real PostgreSQL server:
 * the rest of the server cannot tell it from an external one.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts (or restarts) the database kept in {@code dataDir}; takes a few seconds the first time. */
    public static EmbeddedDatabase start(Path dataDir) {
        try {
            Path files = dataDir.resolve("postgres");
            Files.createDirectories(files);
            return new EmbeddedDatabase(EmbeddedPostgres.builder()
                    .setDataDirectory(files)
                    .setCleanDataDirectory(false)
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir
                    + " (is another Darklaunch using that DARKLAUNCH_DATA_DIR?)", e);
        }
    }

    public DatabaseUrl url() {
        return DatabaseUrl.parse("postgresql://postgres:postgres@localhost:" + postgres.getPort() + "/postgres");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
