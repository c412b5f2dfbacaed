package dev.darklaunch.server;

import dev.darklaunch.server.auth.Passwords;
import dev.darklaunch.server.auth.SessionSettings;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.http.HttpSettings;
import dev.darklaunch.server.settings.EnvironmentValues;
import dev.darklaunch.server.store.DatabaseSettings;
import dev.darklaunch.server.webhooks.WebhookSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The server's settings, read once from the environment (12-factor).
 *
 * @param port          HTTP port; 0 picks a free one (tests)
 * @param databaseUrl   PostgreSQL URL ({@code postgresql://user:pass@host:5432/db} or the JDBC form);
 *                      empty means "start the embedded database"
 * @param dataDir       where the embedded database keeps its files
 * @param adminToken    bootstrap admin API token; empty means "generate one on first start"
 * @param adminPassword bootstrap password of the admin UI user; empty means "generate one"
 * @param feed          SDK feed timings and limits ({@code DARKLAUNCH_SDK_*}, {@code DARKLAUNCH_FEED_*})
 * @param sessions      how long admin UI sessions last ({@code DARKLAUNCH_SESSION_IDLE}, {@code DARKLAUNCH_SESSION_MAX})
 * @param database      how long to wait on the database ({@code DARKLAUNCH_DATABASE_TIMEOUT})
 * @param http          timeouts and per-client limits of HTTP connections ({@code DARKLAUNCH_HTTP_*},
 *                      {@code DARKLAUNCH_TRUSTED_PROXIES})
 * @param webhooks      how webhooks are delivered ({@code DARKLAUNCH_WEBHOOK_*})
 * @param clockOffset   moves the server's clock forward where it judges age on the database's clock
 *                      (how long a flag has gone unused); zero, and never read from the environment:
 *                      tests set it to see what the server says days from now
 */
public record Config(int port, Optional<String> databaseUrl, Path dataDir,
                     Optional<String> adminToken, Optional<String> adminPassword, FeedSettings feed,
                     SessionSettings sessions, DatabaseSettings database, HttpSettings http, WebhookSettings webhooks,
                     Duration clockOffset) {

    /** With the default webhook settings and the server's clock as it is. */
    public Config(int port, Optional<String> databaseUrl, Path dataDir, Optional<String> adminToken,
                  Optional<String> adminPassword, FeedSettings feed, SessionSettings sessions, DatabaseSettings database,
                  HttpSettings http) {
        this(port, databaseUrl, dataDir, adminToken, adminPassword, feed, sessions, database, http, WebhookSettings.DEFAULTS, Duration.ZERO);
    }

    /** With the default HTTP settings. */
    public Config(int port, Optional<String> databaseUrl, Path dataDir, Optional<String> adminToken,
                  Optional<String> adminPassword, FeedSettings feed, SessionSettings sessions, DatabaseSettings database) {
        this(port, databaseUrl, dataDir, adminToken, adminPassword, feed, sessions, database, HttpSettings.DEFAULTS);
    }

    /** With the default database and HTTP settings. */
    public Config(int port, Optional<String> databaseUrl, Path dataDir, Optional<String> adminToken,
                  Optional<String> adminPassword, FeedSettings feed, SessionSettings sessions) {
        this(port, databaseUrl, dataDir, adminToken, adminPassword, feed, sessions, DatabaseSettings.DEFAULTS);
    }

    /** With the default session settings. */
    public Config(int port, Optional<String> databaseUrl, Path dataDir, Optional<String> adminToken,
                  Optional<String> adminPassword, FeedSettings feed) {
        this(port, databaseUrl, dataDir, adminToken, adminPassword, feed, SessionSettings.DEFAULTS);
    }

    /** With the default feed settings. */
    public Config(int port, Optional<String> databaseUrl, Path dataDir, Optional<String> adminToken,
                  Optional<String> adminPassword) {
        this(port, databaseUrl, dataDir, adminToken, adminPassword, FeedSettings.DEFAULTS);
    }

    /** Shortest bootstrap admin token accepted: a guessable admin secret is worse than none. */
    static final int MIN_ADMIN_TOKEN_LENGTH = 24;

    public Config {
        java.util.Objects.requireNonNull(feed, "feed");
        java.util.Objects.requireNonNull(sessions, "sessions");
        java.util.Objects.requireNonNull(database, "database");
        java.util.Objects.requireNonNull(http, "http");
        java.util.Objects.requireNonNull(clockOffset, "clockOffset");
        java.util.Objects.requireNonNull(webhooks, "webhooks");
        if (http.idleTimeout().compareTo(feed.heartbeat()) <= 0) {
            // an SDK stream is quiet between heartbeats: the idle timeout would cut every one of them
            throw new IllegalArgumentException("DARKLAUNCH_HTTP_IDLE_TIMEOUT (" + http.idleTimeout()
                    + ") must be longer than DARKLAUNCH_SDK_HEARTBEAT (" + feed.heartbeat() + ")");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("DARKLAUNCH_PORT must be between 0 and 65535, got " + port);
        }
        adminToken.ifPresent(token -> {
            if (token.length() < MIN_ADMIN_TOKEN_LENGTH || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new IllegalArgumentException("DARKLAUNCH_ADMIN_TOKEN must be at least " + MIN_ADMIN_TOKEN_LENGTH
                        + " printable ASCII characters without spaces");
            }
        });
        adminPassword.ifPresent(password -> {
            int length = password.codePointCount(0, password.length());
            if (length < Passwords.MIN_LENGTH || length > Passwords.MAX_LENGTH) {
                throw new IllegalArgumentException("DARKLAUNCH_ADMIN_PASSWORD must be " + Passwords.MIN_LENGTH + " to "
                        + Passwords.MAX_LENGTH + " characters long");
            }
        });
    }

    public static Config fromEnvironment(Map<String, String> env) {
        return new Config(
                port(env.getOrDefault("DARKLAUNCH_PORT", "8080")),
                nonBlank(env.get("DARKLAUNCH_DATABASE_URL")),
                Path.of(nonBlank(env.get("DARKLAUNCH_DATA_DIR")).orElse("darklaunch-data")).toAbsolutePath(),
                nonBlank(env.get("DARKLAUNCH_ADMIN_TOKEN")),
                nonBlank(env.get("DARKLAUNCH_ADMIN_PASSWORD")),
                FeedSettings.fromEnvironment(env),
                SessionSettings.fromEnvironment(env),
                databaseSettings(env),
                HttpSettings.fromEnvironment(env),
                WebhookSettings.fromEnvironment(env),
                Duration.ZERO);
    }

    private static DatabaseSettings databaseSettings(Map<String, String> env) {
        String timeout = env.get("DARKLAUNCH_DATABASE_TIMEOUT");
        return timeout == null || timeout.isBlank() ? DatabaseSettings.DEFAULTS
                : new DatabaseSettings(EnvironmentValues.parseDuration("DARKLAUNCH_DATABASE_TIMEOUT", timeout));
    }

    public Config withPort(int newPort) {
        return new Config(newPort, databaseUrl, dataDir, adminToken, adminPassword, feed, sessions, database, http, webhooks, clockOffset);
    }

    public Config withDatabaseUrl(String url) {
        return new Config(port, Optional.of(url), dataDir, adminToken, adminPassword, feed, sessions, database, http, webhooks, clockOffset);
    }

    public Config withFeed(FeedSettings settings) {
        return new Config(port, databaseUrl, dataDir, adminToken, adminPassword, settings, sessions, database, http, webhooks, clockOffset);
    }

    public Config withSessions(SessionSettings settings) {
        return new Config(port, databaseUrl, dataDir, adminToken, adminPassword, feed, settings, database, http, webhooks, clockOffset);
    }

    public Config withDatabase(DatabaseSettings settings) {
        return new Config(port, databaseUrl, dataDir, adminToken, adminPassword, feed, sessions, settings, http, webhooks, clockOffset);
    }

    public Config withHttp(HttpSettings settings) {
        return new Config(port, databaseUrl, dataDir, adminToken, adminPassword, feed, sessions, database, settings, webhooks, clockOffset);
    }

    public Config withWebhooks(WebhookSettings settings) {
        return new Config(port, databaseUrl, dataDir, adminToken, adminPassword, feed, sessions, database, http, settings, clockOffset);
    }

    /** The server's clock moved forward by {@code offset} where it judges age (tests only). */
    public Config withClockOffset(Duration offset) {
        return new Config(port, databaseUrl, dataDir, adminToken, adminPassword, feed, sessions, database, http, webhooks, offset);
    }

    public Config withAdminPassword(String password) {
        return new Config(port, databaseUrl, dataDir, adminToken, Optional.of(password), feed, sessions, database, http, webhooks, clockOffset);
    }

    private static int port(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("DARKLAUNCH_PORT must be a number, got '" + value + "'");
        }
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** Never print secrets, even by accident. */
    @Override
    public String toString() {
        return "Config[port=" + port + ", database=" + (databaseUrl.isPresent() ? "external" : "embedded in " + dataDir)
                + ", adminToken=" + (adminToken.isPresent() ? "(set)" : "(generate)")
                + ", adminPassword=" + (adminPassword.isPresent() ? "(set)" : "(generate)") + ", feed=" + feed + ", sessions=" + sessions + ", database=" + database + ", http=" + http + "]";
    }
}
