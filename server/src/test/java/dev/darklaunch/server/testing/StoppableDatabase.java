package dev.darklaunch.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * A PostgreSQL of a test's own that it can stop and start again on the same port and files — for
 * outage tests, which must not stop the database other tests share.
 */
public final class StoppableDatabase implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres postgres;

    public StoppableDatabase(Path dataDir) {
        this.dataDir = dataDir;
        this.port = freePort();
        start();
    }

    public String url() {
        return "postgresql://postgres:postgres@localhost:" + port + "/postgres";
    }

    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            postgres = null;
        }
    }

    public void start() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir).setCleanDataDirectory(false).start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start PostgreSQL on port " + port, e);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
