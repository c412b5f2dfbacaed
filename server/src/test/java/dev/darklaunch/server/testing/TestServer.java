package dev.darklaunch.server.testing;

import dev.darklaunch.server.Config;
import dev.darklaunch.server.DarklaunchServer;
import dev.darklaunch.server.feed.FeedSettings;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A real Darklaunch server on an ephemeral port, over a fresh real database. */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_TOKEN = "dl_admin_test-bootstrap-token-0123456789";

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
        Config config = new Config(port, Optional.of(databaseUrl), Path.of("target", "unused-data-dir"),
                Optional.of(ADMIN_TOKEN), Optional.empty(), feed);
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
