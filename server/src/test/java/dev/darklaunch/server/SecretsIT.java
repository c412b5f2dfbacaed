package dev.darklaunch.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY 18: secrets are shown once, stored hashed, and absent from logs, lists and the audit
 * log — tokens, and the admin UI's passwords and session secrets.
 */
class SecretsIT {

    private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private static TestServer server;

    @BeforeAll
    static void start() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        server = TestServer.start(dev.darklaunch.server.testing.TestDatabase.fresh(), TestServer::withAdminPassword);
    }

    @AfterAll
    static void stop() {
        server.close();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(logs);
    }

    @Test
    void a_token_secret_is_shown_once_and_never_again() throws Exception {
        Http admin = server.admin();
        Http.Response created = admin.post("/api/v1/tokens", Map.of("name", "ci", "kind", "pipeline", "project", "default",
                "environments", List.of("staging")));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Cache-Control")).hasValue("no-store");
        String secret = created.json().get("secret").asText();
        assertThat(secret).startsWith("dl_pipeline_").hasSizeGreaterThan(50);
        long id = created.json().at("/token/id").asLong();

        // it works…
        assertThat(admin.as(secret).get("/api/v1/projects/default/flags").status()).isEqualTo(200);
        // …and appears nowhere else
        List<String> texts = new ArrayList<>();
        texts.add(admin.get("/api/v1/tokens").text());
        texts.add(admin.get("/api/v1/tokens/" + id).text());
        texts.add(admin.get("/api/v1/audit?limit=500").text());
        texts.add(admin.delete("/api/v1/tokens/" + id).text());
        texts.add(admin.get("/metrics").text());
        assertThat(texts).allSatisfy(text -> assertThat(text).doesNotContain(secret, secret.substring(12, 40)));
        assertThat(admin.get("/api/v1/tokens/" + id).json().get("hint").asText()).startsWith("dl_pipeline_…").hasSize(17);

        assertThat(logText()).doesNotContain(secret, TestServer.ADMIN_TOKEN);
        assertThat(databaseText()).doesNotContain(secret, TestServer.ADMIN_TOKEN);
    }

    @Test
    void passwords_and_session_secrets_appear_in_no_log_response_or_table() throws Exception {
        Http admin = server.admin();
        String password = "a password nobody may see 7";
        String wrongPassword = "a wrong password nobody may see";
        Http.Response created = admin.post("/api/v1/users", Map.of("email", "secret@example.com", "password", password, "role", "editor"));
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        Http anonymous = admin.as(null);
        assertThat(anonymous.post("/api/v1/session", Map.of("email", "secret@example.com", "password", wrongPassword)).status())
                .isEqualTo(401);
        TestServer.SignedIn signedIn = server.signIn("secret@example.com", password);
        String secret = signedIn.secret();
        String newPassword = "the next password nobody may see";

        List<String> texts = new ArrayList<>();
        texts.add(signedIn.response().text());
        texts.add(signedIn.withoutCsrf().get("/api/v1/session").text());
        texts.add(signedIn.withoutCsrf().get("/api/v1/me").text());
        texts.add(signedIn.withoutCsrf().post("/api/v1/projects", Map.of("key", "nope", "name", "Nope")).text()); // no CSRF: 403
        texts.add(signedIn.http().send("PATCH", "/api/v1/me", Map.of("currentPassword", password, "password", newPassword),
                "application/json").text());
        texts.add(admin.get("/api/v1/users").text());
        texts.add(admin.get("/api/v1/users/" + id).text());
        texts.add(admin.get("/api/v1/audit?limit=500").text());
        texts.add(signedIn.http().delete("/api/v1/session").text());
        texts.add(anonymous.with("Cookie", "darklaunch_session=" + secret).get("/api/v1/me").text());
        texts.add(admin.get("/metrics").text());
        assertThat(texts).allSatisfy(text -> assertThat(text)
                .doesNotContain(password, wrongPassword, newPassword, secret, TestServer.ADMIN_PASSWORD, "$2a$"));

        assertThat(logText()).doesNotContain(password, wrongPassword, newPassword, secret, TestServer.ADMIN_PASSWORD);
        String database = databaseText("users", "sessions", "sign_in_throttle", "audit_events");
        assertThat(database).doesNotContain(password, wrongPassword, newPassword, secret, TestServer.ADMIN_PASSWORD)
                .contains("$2a$12$"); // only bcrypt hashes
    }

    @Test
    void configuration_output_hides_secrets() {
        Config config = new Config(8080, Optional.of("postgresql://u:db-password@h/d"), Path.of("x"),
                Optional.of(TestServer.ADMIN_TOKEN), Optional.of("a-password-of-the-admin"));
        assertThat(config.toString()).doesNotContain(TestServer.ADMIN_TOKEN, "a-password-of-the-admin", "db-password");
    }

    private static String logText() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : List.copyOf(logs.list)) {
            text.append(event.getFormattedMessage()).append(' ').append(event.getKeyValuePairs()).append('\n');
            if (event.getThrowableProxy() != null) {
                text.append(event.getThrowableProxy().getMessage()).append('\n');
            }
        }
        return text.toString();
    }

    private static String databaseText() throws Exception {
        return databaseText("tokens", "audit_events");
    }

    /** Every text value of every row of the tables that could hold a secret. */
    private static String databaseText(String... tables) throws Exception {
        java.net.URI uri = java.net.URI.create(server.databaseUrl());
        String[] user = uri.getUserInfo().split(":", 2);
        StringBuilder text = new StringBuilder();
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(), user[0], user[1])) {
            for (String table : tables) {
                try (ResultSet rows = connection.createStatement().executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (rows.next()) {
                        text.append(rows.getString(1)).append('\n');
                    }
                }
            }
        }
        assertThat(text).isNotEmpty();
        return text.toString();
    }
}
