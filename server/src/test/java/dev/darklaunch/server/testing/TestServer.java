package dev.darklaunch.server.testing;

import dev.darklaunch.server.Config;
import dev.darklaunch.server.DarklaunchServer;
import dev.darklaunch.server.feed.FeedSettings;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A real Darklaunch server on an ephemeral port, over a fresh real database. */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_TOKEN = "dl_admin_test-bootstrap-token-0123456789";
    /** The password of the admin UI user {@code admin} on servers started with {@link #withAdminPassword}. */
    public static final String ADMIN_PASSWORD = "test admin password 0123";

    private final DarklaunchServer server;
    private final String databaseUrl;

    private TestServer(DarklaunchServer server, String databaseUrl) {
        this.server = server;
        this.databaseUrl = databaseUrl;
    }

    public static TestServer start() {
        return start(TestDatabase.fresh());
    }

    /** Starts a server on the given database (several servers may share one). */
    public static TestServer start(String databaseUrl) {
        return start(databaseUrl, FeedSettings.DEFAULTS);
    }

    /** Starts a server with the given SDK feed timings (tests use short ones). */
    public static TestServer start(String databaseUrl, FeedSettings feed) {
        return start(databaseUrl, feed, 0);
    }

    /** Starts a server on a given port (0: any free one), e.g. to restart it where its SDKs expect it. */
    public static TestServer start(String databaseUrl, FeedSettings feed, int port) {
        return start(databaseUrl, config -> config.withFeed(feed).withPort(port));
    }

    /** Starts a server whose configuration the test adjusts (sessions, admin password, …). */
    public static TestServer start(String databaseUrl, UnaryOperator<Config> adjust) {
        Config config = adjust.apply(new Config(0, Optional.of(databaseUrl), Path.of("target", "unused-data-dir"),
                Optional.of(ADMIN_TOKEN), Optional.empty(), FeedSettings.DEFAULTS));
        try {
            return new TestServer(DarklaunchServer.start(config).await(2, TimeUnit.MINUTES), databaseUrl);
        } catch (Exception e) {
            throw new IllegalStateException("test server did not start", e);
        }
    }

    public String base() {
        return "http://localhost:" + server.port();
    }

    public int port() {
        return server.port();
    }

    public String databaseUrl() {
        return databaseUrl;
    }

    /** For {@link #start(String, UnaryOperator)}: the admin UI user {@code admin} gets {@link #ADMIN_PASSWORD}. */
    public static Config withAdminPassword(Config config) {
        return config.withAdminPassword(ADMIN_PASSWORD);
    }

    /** Signs in; fails the test unless it works. */
    public SignedIn signIn(String email, String password) {
        Http.Response response = new Http(base(), null).post("/api/v1/session", Map.of("email", email, "password", password));
        if (response.status() != 200) {
            throw new AssertionError("sign-in failed: " + response);
        }
        String setCookie = response.header("Set-Cookie").orElseThrow(() -> new AssertionError("no Set-Cookie: " + response));
        String secret = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
        String csrf = response.json().get("csrfToken").asText();
        Http cookieOnly = new Http(base(), null).with("Cookie", "darklaunch_session=" + secret);
        return new SignedIn(cookieOnly.with("X-CSRF-Token", csrf), cookieOnly, secret, csrf, response);
    }

    /**
     * A signed-in browser: {@code http} sends the cookie and the CSRF token, {@code withoutCsrf}
     * only the cookie.
     */
    public record SignedIn(Http http, Http withoutCsrf, String secret, String csrfToken, Http.Response response) {
    }

    /** Creates an admin UI user through the admin token. */
    public long user(String email, String password, String role) {
        Http.Response response = admin().post("/api/v1/users", Map.of("email", email, "password", password, "role", role));
        if (response.status() != 201) {
            throw new AssertionError("user not created: " + response);
        }
        return response.json().get("id").asLong();
    }

    /** A client using the bootstrap admin token. */
    public Http admin() {
        return new Http(base(), ADMIN_TOKEN);
    }

    /** Creates a token and returns its secret. */
    public String token(String kind, String project, String... environments) {
        Map<String, Object> body = project == null
                ? Map.of("name", "test " + kind, "kind", kind)
                : Map.of("name", "test " + kind, "kind", kind, "project", project, "environments", java.util.List.of(environments));
        Http.Response response = admin().post("/api/v1/tokens", body);
        if (response.status() != 201) {
            throw new AssertionError("token not created: " + response);
        }
        return response.json().get("secret").asText();
    }

    public DarklaunchServer server() {
        return server;
    }

    @Override
    public void close() {
        try {
            server.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
