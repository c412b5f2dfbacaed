package dev.darklaunch.server;

import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With no DARKLAUNCH_DATABASE_URL the server runs its own PostgreSQL: data survives a restart, and
 * the database lets in only those who know its generated password (kept in the data directory,
 * readable by its owner only), not any local user; data directories made when it trusted every
 * local connection are locked down on the next start, their data kept.
 */
class EmbeddedDatabaseIT {

    @TempDir
    Path dataDir;

    @Test
    void the_embedded_database_keeps_flags_and_tokens_across_restarts() throws Exception {
        Config config = new Config(0, Optional.empty(), dataDir, Optional.empty(), Optional.empty());

        DarklaunchServer first = DarklaunchServer.start(config).await(2, TimeUnit.MINUTES);
        String token = first.generatedAdminToken().orElseThrow();
        assertThat(token).startsWith("dl_admin_");
        Http api = new Http("http://localhost:" + first.port(), token);
        assertThat(api.post("/api/v1/projects/default/flags", flag("durable")).status()).isEqualTo(201);
        first.close().await(1, TimeUnit.MINUTES);

        DarklaunchServer second = DarklaunchServer.start(config).await(2, TimeUnit.MINUTES);
        try {
            assertThat(second.generatedAdminToken()).as("the admin token is generated once").isEmpty();
            Http again = new Http("http://localhost:" + second.port(), token);
            assertThat(again.get("/api/v1/projects/default/flags/durable").status()).isEqualTo(200);
            assertThat(again.get("/api/v1/projects").json().get("items")).hasSize(1);
        } finally {
            second.close().await(1, TimeUnit.MINUTES);
        }
    }

    @Test
    void a_new_embedded_database_admits_only_the_generated_password_kept_readable_by_its_owner_alone() throws Exception {
        Config config = new Config(0, Optional.empty(), dataDir, Optional.of(TestServer.ADMIN_TOKEN), Optional.empty());
        DarklaunchServer server = DarklaunchServer.start(config).await(2, TimeUnit.MINUTES);
        try {
            Http api = new Http("http://localhost:" + server.port(), TestServer.ADMIN_TOKEN);
            assertThat(api.post("/api/v1/projects/default/flags", flag("works")).status()).isEqualTo(201);

            assertLockedDown();
            assertThat(api.get("/api/v1/projects/default/flags/works").status()).isEqualTo(200);
        } finally {
            server.close().await(1, TimeUnit.MINUTES);
        }
    }

    @Test
    void a_data_directory_that_trusted_every_local_connection_is_locked_down_at_start_and_keeps_its_data() throws Exception {
        // the data directory as earlier versions made it: initdb's "trust" for every local connection
        Path files = dataDir.resolve("postgres");
        Files.createDirectories(files);
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(files).setCleanDataDirectory(false).start()) {
            assertThat(methods()).contains("trust");
            try (TestServer before = TestServer.start("postgresql://postgres:postgres@localhost:" + old.getPort() + "/postgres",
                    c -> c)) {
                assertThat(before.admin().post("/api/v1/projects/default/flags", flag("kept")).status()).isEqualTo(201);
            }
        }

        Config config = new Config(0, Optional.empty(), dataDir, Optional.of(TestServer.ADMIN_TOKEN), Optional.empty());
        for (int start = 1; start <= 2; start++) {
            DarklaunchServer server = DarklaunchServer.start(config).await(2, TimeUnit.MINUTES);
            try {
                Http api = new Http("http://localhost:" + server.port(), TestServer.ADMIN_TOKEN);
                assertThat(api.get("/api/v1/projects/default/flags/kept").status()).as("start " + start).isEqualTo(200);
                assertLockedDown();
            } finally {
                server.close().await(1, TimeUnit.MINUTES);
            }
        }
    }

    /** No trust, no default password, a 0600 password file that does let its reader in. */
    private void assertLockedDown() throws Exception {
        assertThat(methods()).as("pg_hba.conf methods").isNotEmpty().allMatch("scram-sha-256"::equals);
        int port = port();
        assertThatThrownBy(() -> connect(port, null)).as("no password").isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> connect(port, "postgres")).as("the old default password").isInstanceOf(SQLException.class);

        Path passwordFile = dataDir.resolve("postgres-password");
        assertThat(Files.getPosixFilePermissions(passwordFile))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        String password = Files.readString(passwordFile).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        try (Connection connection = connect(port, password)) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    /** The authentication method of every rule in pg_hba.conf. */
    private List<String> methods() throws Exception {
        return Files.readAllLines(dataDir.resolve("postgres").resolve("pg_hba.conf")).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.split("\\s+"))
                .map(fields -> fields[0].equals("local") ? fields[3] : fields[4])
                .toList();
    }

    /** The running embedded PostgreSQL's port, as it wrote it in postmaster.pid (fourth line). */
    private int port() throws Exception {
        return Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(3).strip());
    }

    private static Connection connect(int port, String password) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", "postgres");
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
    }

    private static Map<String, Object> flag(String key) {
        return Map.of("key", key, "name", key, "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false)));
    }
}
