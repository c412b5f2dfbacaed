package dev.darklaunch.server;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.Status;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.TestDatabase;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY 15: a node with many SDKs connected restarts; the SDKs (default settings) reconnect
 * spread out by jitter rather than all at once, and all are back, current, within a bounded time.
 */
class ReconnectSpreadIT {

    private static final int SDKS = 30;

    @Test
    void sdks_reconnect_spread_by_jitter_and_all_are_back_within_seconds() throws Exception {
        String database = TestDatabase.fresh();
        int port = freePort();
        TestServer server = TestServer.start(database, FeedSettings.DEFAULTS, port);
        Fixtures given = new Fixtures(server.admin()); // the restarted server answers at the same address
        given.flag(Map.of("key", "f", "name", "F", "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false))));
        String token = server.token("sdk", "default", "production");

        List<DarklaunchClient> clients = new ArrayList<>();
        Map<DarklaunchClient, Long> backAt = new ConcurrentHashMap<>();
        try {
            for (int i = 0; i < SDKS; i++) {
                DarklaunchClient client = DarklaunchClient.create(DarklaunchConfig.builder()
                        .baseUri(URI.create(server.base())).sdkToken(token).build());
                assertThat(client.status().state()).isEqualTo(Status.State.READY);
                clients.add(client);
            }
            server.server().vertx().close().await(30, TimeUnit.SECONDS); // the node goes away
            awaitAll(Duration.ofSeconds(20), clients, c -> c.status().state() == Status.State.STALE);
            clients.forEach(client -> client.addStatusListener(status -> {
                if (status.state() == Status.State.READY) {
                    backAt.putIfAbsent(client, System.nanoTime());
                }
            }));

            long restartedAt = System.nanoTime();
            server = TestServer.start(database, FeedSettings.DEFAULTS, port);
            given.toggle("f", "production", true);
            awaitAll(Duration.ofSeconds(40), clients, c -> c.isEnabled("f", Context.of("u")));
            // status listeners are told on the SDK's own thread, a moment after the data is served
            Await.until(Duration.ofSeconds(10), "every SDK's READY told to its listener", () -> backAt.size() == SDKS);

            assertThat(backAt).as("every SDK reconnected").hasSize(SDKS);
            List<Long> millis = backAt.values().stream().map(t -> (t - restartedAt) / 1_000_000).sorted().toList();
            long spread = millis.get(millis.size() - 1) - millis.get(0);
            System.out.printf("reconnected after restart: first %d ms, median %d ms, last %d ms%n",
                    millis.get(0), millis.get(millis.size() / 2), millis.get(millis.size() - 1));
            assertThat(spread).as("reconnects spread out by jitter, not a thundering herd").isGreaterThan(100);
            assertThat(millis.get(millis.size() - 1)).as("all back within a bounded time").isLessThan(40_000);
        } finally {
            clients.forEach(DarklaunchClient::close);
            server.close();
        }
    }

    private static void awaitAll(Duration timeout, List<DarklaunchClient> clients,
                                 java.util.function.Predicate<DarklaunchClient> condition) {
        Await.until(timeout, "every SDK got there", () -> clients.stream().allMatch(condition));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
