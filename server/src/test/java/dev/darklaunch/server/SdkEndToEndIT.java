package dev.darklaunch.server;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.SdkTestTimings;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.DarklaunchServerTest.Lifetime;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The real SDK against real servers and PostgreSQL: the mission loop, atomic changes, restarts. */
@DarklaunchServerTest(lifetime = Lifetime.PER_TEST, config = "fastFeed")
class SdkEndToEndIT {

    private static final String P = "/api/v1/projects/default";
    private static final FeedSettings FAST_FEED = FeedSettings.DEFAULTS.withHeartbeat(Duration.ofSeconds(1))
            .withReconcileInterval(Duration.ofMillis(500));
    private static final Context USER = Context.of("user-1");

    private final List<AutoCloseable> closeables = new ArrayList<>();
    @Given
    private TestServer server;
    @Given
    private String database;

    static Config fastFeed(Config config) {
        return config.withFeed(FAST_FEED);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @org.junit.jupiter.api.RepeatedTest(3) // it once caught a listener told about data from before it was added
    void a_flag_flipped_over_rest_reaches_the_sdk_listener_and_is_enabled_changes() throws Exception {
        Http admin = server.admin();
        assertThat(admin.post(P + "/flags", booleanFlag("new-checkout")).status()).isEqualTo(201);
        DarklaunchClient client = keep(client(server.base(), server.token("sdk", "default", "production")));
        assertThat(client.isReady()).isTrue();
        // the server's feed may hand out its snapshot a moment before it has caught up on the flag's creation
        Await.until(Duration.ofSeconds(10), "the condition", () -> client.allFlags(USER).containsKey("new-checkout"));
        assertThat(client.isEnabled("new-checkout", USER)).as("shipped dark").isFalse();

        BlockingQueue<Set<String>> changes = new LinkedBlockingQueue<>();
        client.addFlagChangeListener(changes::add);
        long flippedAt = System.nanoTime();
        assertThat(admin.post(P + "/flags/new-checkout/environments/production/on", null).status()).isEqualTo(200);
        Set<String> changed = changes.poll(10, TimeUnit.SECONDS);
        long micros = (System.nanoTime() - flippedAt) / 1_000;

        assertThat(changed).containsExactly("new-checkout");
        assertThat(client.isEnabled("new-checkout", USER)).isTrue();
        System.out.printf("flip → SDK listener: %d µs%n", micros);
    }

    @Test
    void a_change_to_several_flags_reaches_the_sdk_as_one_atomic_change() throws Exception {
        Http admin = server.admin();
        Fixtures given = new Fixtures(admin);
        given.segment(Map.of("key", "beta", "name", "Beta"));
        given.segmentConfiguration("beta", "production", Map.of("included", List.of("user-1")));
        for (String key : List.of("a", "b", "c")) {
            given.flag(booleanFlag(key));
            given.configuration(key, "production", Map.of("on", true, "offVariation", 1,
                    "fallthrough", Map.of("variation", 1), "rules", List.of(Map.of("clauses", List.of(Map.of(
                            "attribute", "key", "op", "segmentMatch", "values", List.of("beta"))), "serve", Map.of("variation", 0)))));
        }
        DarklaunchClient client = keep(client(server.base(), server.token("sdk", "default", "production")));
        Await.until(Duration.ofSeconds(10), "the condition", () -> states(client).equals("true/true/true"));

        // Watch the client's view while the segment changes: allFlags reads one snapshot, so it shows
        // exactly what any single evaluation could see. No snapshot may hold some flags off and others on.
        List<String> mixed = new CopyOnWriteArrayList<>();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                String seen = states(client);
                if (!seen.equals("true/true/true") && !seen.equals("false/false/false")) {
                    mixed.add(seen);
                }
            }
        });
        BlockingQueue<Set<String>> changes = new LinkedBlockingQueue<>();
        client.addFlagChangeListener(changes::add);
        watcher.start();
        assertThat(admin.put(P + "/segments/beta/environments/production", Map.of("included", List.of())).status()).isEqualTo(200);
        assertThat(changes.poll(10, TimeUnit.SECONDS)).as("one change event naming all three")
                .containsExactlyInAnyOrder("a", "b", "c");
        Await.until(Duration.ofSeconds(10), "the condition", () -> states(client).equals("false/false/false"));
        watcher.interrupt();
        watcher.join();

        assertThat(mixed).as("the three flags changed together").isEmpty();
    }

    /** The three flags' values for the user, from one snapshot. */
    private static String states(DarklaunchClient client) {
        Map<String, com.fasterxml.jackson.databind.JsonNode> all = client.allFlags(USER);
        return List.of("a", "b", "c").stream().map(key -> String.valueOf(all.get(key) != null && all.get(key).asBoolean()))
                .collect(java.util.stream.Collectors.joining("/"));
    }

    /** RELIABILITY 11: the SDK's server killed and restarted 50 times while flags flip; the SDK ends at exactly the final state. */
    @Test
    void an_sdk_ends_at_the_final_state_after_its_server_restarts_fifty_times_during_flips() throws Exception {
        TestServer writer = server;
        Http admin = writer.admin();
        Fixtures given = new Fixtures(admin);
        List<String> keys = List.of("f0", "f1", "f2", "f3");
        keys.forEach(key -> given.flag(booleanFlag(key)));
        String token = writer.token("sdk", "default", "production");

        int port = freePort();
        TestServer follower = TestServer.start(database, FAST_FEED, port);
        DarklaunchClient client = keep(client(follower.base(), token));
        boolean[] expected = new boolean[keys.size()];
        for (int restart = 0; restart < 50; restart++) {
            follower.server().vertx().close().await(30, TimeUnit.SECONDS); // killed: no graceful drain
            int flag = restart % keys.size();
            expected[flag] = !expected[flag];
            String path = P + "/flags/" + keys.get(flag) + "/environments/production/" + (expected[flag] ? "on" : "off");
            assertThat(admin.post(path, null).status()).isEqualTo(200);
            follower = TestServer.start(database, FAST_FEED, port);
        }
        TestServer last = keep(follower);
        Await.until(Duration.ofSeconds(60), "the condition", () -> {
            for (int i = 0; i < keys.size(); i++) {
                if (client.isEnabled(keys.get(i), USER) != expected[i]) {
                    return false;
                }
            }
            return true;
        });
        assertThat(last.admin().get(P + "/environments/production").json().get("revision").asLong())
                .isPositive();
    }

    private static DarklaunchClient client(String base, String token) {
        return DarklaunchClient.create(SdkTestTimings.fast(DarklaunchConfig.builder()
                        .baseUri(URI.create(base))
                        .sdkToken(token)
                        .initTimeout(Duration.ofSeconds(10)))
                .build());
    }

    private static Map<String, Object> booleanFlag(String key) {
        return Map.of("key", key, "name", key, "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false)));
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
