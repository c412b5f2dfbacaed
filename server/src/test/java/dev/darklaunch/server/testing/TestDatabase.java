package dev.darklaunch.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL for tests: the server named by {@code DARKLAUNCH_TEST_DATABASE_URL}
 * ({@code postgresql://user:password@host:port/db}), or one embedded PostgreSQL 17 shared by the
 * test JVM. Each {@link #fresh()} call creates a new empty database, so test classes never see
 * each other's data.
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile Admin admin;

    private record Admin(String host, int port, String user, String password, String database) {
        String jdbc(String db) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + db;
        }

        String url(String db) {
            return "postgresql://" + user + ":" + password + "@" + host + ":" + port + "/" + db;
        }
    }

    private TestDatabase() {
    }

    /** A new, empty database; returns its URL in the form DARKLAUNCH_DATABASE_URL takes. */
    public static String fresh() {
        Admin a = admin();
        String name = "darklaunch_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(a.jdbc(a.database()), a.user(), a.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return a.url(name);
    }

    private static Admin admin() {
        if (admin == null) {
            synchronized (TestDatabase.class) {
                if (admin == null) {
                    admin = connect();
                }
            }
        }
        return admin;
    }

    private static Admin connect() {
        String external = System.getenv("DARKLAUNCH_TEST_DATABASE_URL");
        if (external != null && !external.isBlank()) {
            URI uri = URI.create(external.replaceFirst("^jdbc:", "").replaceFirst("^postgres://", "postgresql://"));
            String[] credentials = uri.getUserInfo() == null ? new String[]{"postgres", ""} : uri.getUserInfo().split(":", 2);
            return new Admin(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), credentials[0],
                    credentials.length > 1 ? credentials[1] : "", uri.getPath().replaceFirst("^/", ""));
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting anyway
                }
            }));
            return new Admin("localhost", postgres.getPort(), "postgres", "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL for tests", e);
        }
    }
}
