package dev.darklaunch.server.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL 17 run by the server itself when no external database is configured, with its
 * files kept in the data directory so flags survive a restart. It is a real PostgreSQL server:
 * the rest of the server cannot tell it from an external one.
 *
 * <p>Only the server gets in: the superuser {@code postgres} has a password generated on the
 * first start ({@link EmbeddedPassword}, file {@value #PASSWORD_FILE} in the data directory) and
 * every rule of {@code pg_hba.conf} asks for it ({@link HostBasedAuthentication}). A data
 * directory made by an earlier version, which trusted every local connection, is locked down at
 * start: the password is set, the rules replaced and reloaded; its data stays.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    static final String PASSWORD_FILE = "postgres-password";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final EmbeddedPassword password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, EmbeddedPassword password) {
        this.postgres = postgres;
        this.password = password;
    }

    /** Starts (or restarts) the database kept in {@code dataDir}; takes a few seconds the first time. */
    public static EmbeddedDatabase start(Path dataDir) {
        EmbeddedPostgres postgres = null;
        try {
            Path files = dataDir.resolve("postgres");
            Files.createDirectories(files);
            Path rules = files.resolve(HostBasedAuthentication.FILE);
            boolean existing = Files.exists(files.resolve("postgresql.conf"));
            boolean trusting = existing && HostBasedAuthentication.trustsAnyone(rules);
            Path passwordFile = dataDir.resolve(PASSWORD_FILE);
            if (existing && !trusting && !Files.exists(passwordFile)) {
                throw new IllegalStateException("the embedded database in " + files + " needs its password, but "
                        + passwordFile + " is missing: restore it from a backup of " + dataDir);
            }
            EmbeddedPassword password = EmbeddedPassword.readOrCreate(passwordFile);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(files)
                    .setCleanDataDirectory(false)
                    // The library runs initdb (first start only) with "-A trust" and appends its
                    // "locale" settings as --name=value options; initdb takes the last -A/--auth it is
                    // given, so the cluster is born asking for passwords, with this one for postgres.
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString())
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // the library's own readiness check signs in too
                    .setConnectConfig("password", password.value())
                    .start();
            if (trusting) {
                lockDown(postgres, password, rules);
            }
            return new EmbeddedDatabase(postgres, password);
        } catch (IOException e) {
            closeQuietly(postgres);
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir
                    + " (is another Darklaunch using that DARKLAUNCH_DATA_DIR?)", e);
        } catch (RuntimeException e) {
            closeQuietly(postgres);
            throw e;
        }
    }

    /**
     * Gives {@code postgres} its password (sent as a SCRAM verifier computed here, so the password
     * itself never reaches the server's logs), replaces the trusting rules, reloads them, and ends
     * any other session that came in while they were in force.
     */
    private static void lockDown(EmbeddedPostgres postgres, EmbeddedPassword password, Path rules) throws IOException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            connection.unwrap(PGConnection.class).alterUserPassword("postgres", password.value().toCharArray(), "scram-sha-256");
            HostBasedAuthentication.requirePasswords(rules);
            try (ResultSet errors = statement.executeQuery("SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL")) {
                errors.next();
                if (errors.getLong(1) > 0) {
                    throw new IllegalStateException("PostgreSQL rejects the rules written to " + rules);
                }
            }
            statement.execute("SELECT pg_reload_conf()");
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
            List<String> otherRoles = new ArrayList<>();
            try (ResultSet roles = statement.executeQuery(
                    "SELECT rolname FROM pg_roles WHERE rolcanlogin AND rolname <> 'postgres' ORDER BY rolname")) {
                while (roles.next()) {
                    otherRoles.add(roles.getString(1));
                }
            }
            log.atWarn().addKeyValue("passwordFile", password.file()).addKeyValue("otherLoginRoles", otherRoles)
                    .log("the embedded database trusted every local connection; it now requires the password in "
                            + "passwordFile" + (otherRoles.isEmpty() ? "" : "; check that the other login roles listed are yours"));
        } catch (SQLException e) {
            throw new IllegalStateException("could not require a password for the embedded database: " + e.getMessage(), e);
        }
    }

    public DatabaseUrl url() {
        return DatabaseUrl.parse("postgresql://postgres:" + password.value() + "@localhost:" + postgres.getPort() + "/postgres");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException | RuntimeException ignored) {
                // the start failed already; that failure is the one to report
            }
        }
    }
}
