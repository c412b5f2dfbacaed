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

/** RELIABILITY 18: secrets are shown once, stored hashed, and absent from logs, lists and the audit log. */
class SecretsIT {

    private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private static TestServer server;

    @BeforeAll
    static void start() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        server = TestServer.start();
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

    /** Every text value of every row of the tables that could hold a secret. */
    private static String databaseText() throws Exception {
        java.net.URI uri = java.net.URI.create(server.databaseUrl());
        String[] user = uri.getUserInfo().split(":", 2);
        StringBuilder text = new StringBuilder();
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(), user[0], user[1])) {
            for (String table : List.of("tokens", "audit_events")) {
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
