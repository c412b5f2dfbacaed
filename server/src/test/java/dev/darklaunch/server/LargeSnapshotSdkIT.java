package dev.darklaunch.server;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.SdkProbe;
import dev.darklaunch.sdk.SdkTestTimings;
import dev.darklaunch.sdk.Status;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestDatabase;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static dev.darklaunch.server.SdkFeedIT.P;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real SDKs on an environment whose snapshot is several megabytes, over plain http (where the
 * SDK's HTTP client once tried an h2c upgrade that lost such streams' data): every SDK start and
 * restart reaches READY with exactly the server's revision, a change made while the SDKs' server
 * restarts reaches all of them, and no SDK ever says READY — data confirmed current — while it
 * serves data older than a change the server already had when it confirmed.
 */
class LargeSnapshotSdkIT {

    private static final FeedSettings FEED = FeedSettings.DEFAULTS.withHeartbeat(Duration.ofSeconds(1))
            .withReconcileInterval(Duration.ofMillis(500));
    /** Several megabytes: large JSON variations, as a configuration-carrying flag has. */
    private static final int SNAPSHOT_BYTES = 5 * 1024 * 1024;
    private static final int SDKS = 6;
    private static final Duration CONVERGE = Duration.ofSeconds(90);
    private static final Context USER = Context.of("user-1");

    private static String database;
    private static TestServer writer;
    private static TestServer follower;
    private static int followerPort;
    private static String sdk;
    private final List<Watched> clients = new CopyOnWriteArrayList<>();

    /** One SDK and every problem its status reported. */
    private record Watched(DarklaunchClient client, List<String> errors) {
        Watched {
            client.addStatusListener(status -> {
                if (status.lastError() != null) {
                    errors.add(status.state() + ": " + status.lastError());
                }
            });
        }

        boolean readyAt(long revision) {
            return client.status().state() == Status.State.READY && SdkProbe.revision(client) == revision;
        }
    }

    @BeforeAll
    static void start() throws IOException {
        database = TestDatabase.fresh();
        writer = TestServer.start(database, FEED);
        Http admin = writer.admin();
        assertThat(admin.post(P + "/flags", SdkFeedIT.flag("switch")).status()).isEqualTo(201);
        for (int i = 0; i * 480 * 1024 < SNAPSHOT_BYTES; i++) {
            Http.Response created = admin.post(P + "/flags", configurationFlag("config-" + i, 240 * 1024));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        sdk = writer.token("sdk", "default", "production");
        followerPort = freePort();
        follower = TestServer.start(database, FEED, followerPort);
        long revision = SdkFeedIT.awaitCurrent(follower, sdk);
        int bytes = follower.admin().as(sdk).get("/sdk/v1/flags").text().length();
        assertThat(bytes).as("snapshot size").isGreaterThanOrEqualTo(SNAPSHOT_BYTES);
        System.out.printf("environment snapshot: %,d bytes at revision %d%n", bytes, revision);
    }

    @AfterAll
    static void stop() {
        for (TestServer server : new TestServer[]{follower, writer}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(watched -> watched.client().close());
        clients.clear();
    }

    @Test
    void every_sdk_start_reaches_ready_with_exactly_the_servers_revision() {
        long revision = SdkFeedIT.awaitCurrent(follower, sdk);
        for (int round = 0; round < 3; round++) {
            List<Watched> started = startSdks();
            long began = System.nanoTime();
            Await.until(CONVERGE, "every SDK READY at revision " + revision + " (round " + round + ")",
                    () -> started.stream().allMatch(w -> w.readyAt(revision)));
            System.out.printf("round %d: %d SDKs READY at revision %d after %d ms%n", round, SDKS, revision,
                    (System.nanoTime() - began) / 1_000_000);
            for (Watched watched : started) {
                assertThat(watched.errors()).as("a healthy server's stream delivers its snapshot the first time").isEmpty();
                watched.client().close();
            }
            clients.removeAll(started);
        }
    }

    @Test
    void a_change_made_while_the_server_restarts_reaches_every_sdk_and_none_says_ready_with_older_data() throws Exception {
        long revision = SdkFeedIT.awaitCurrent(follower, sdk);
        List<Watched> sdks = startSdks();
        Await.until(CONVERGE, "every SDK READY at revision " + revision, () -> sdks.stream().allMatch(w -> w.readyAt(revision)));

        List<String> lies = new CopyOnWriteArrayList<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Instant[] changedAt = {Instant.MAX};
        long[] changedRevision = {revision};
        Thread detector = new Thread(() -> {
            while (watching.get()) {
                for (Watched watched : sdks) {
                    // a Status object read twice around the revision: it held all the while the revision was read
                    Status before = watched.client().status();
                    long served = SdkProbe.revision(watched.client());
                    Status after = watched.client().status();
                    if (before == after && before.state() == Status.State.READY && before.dataUpdatedAt().isAfter(changedAt[0])
                            && served < changedRevision[0]) {
                        lies.add("READY, confirmed at " + before.dataUpdatedAt() + ", serving revision " + served
                                + " after revision " + changedRevision[0] + " was made at " + changedAt[0]);
                    }
                }
                LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
            }
        }, "ready-lie-detector");
        detector.setDaemon(true);
        detector.start();

        boolean on = false;
        for (int restart = 0; restart < 3; restart++) {
            follower.server().vertx().close().await(30, TimeUnit.SECONDS); // killed: no graceful drain
            on = !on;
            Http.Response flip = writer.admin().post(P + "/flags/switch/environments/production/" + (on ? "on" : "off"), null);
            assertThat(flip.status()).as(flip.toString()).isEqualTo(200);
            long expected = writer.admin().get(P + "/environments/production").json().get("revision").asLong();
            changedRevision[0] = expected;
            changedAt[0] = Instant.now();
            long began = System.nanoTime();
            follower = TestServer.start(database, FEED, followerPort);
            boolean expectedOn = on;
            Await.until(CONVERGE, "every SDK READY at revision " + expected + " with the change (restart " + restart + ")",
                    () -> sdks.stream().allMatch(w -> w.readyAt(expected) && w.client().isEnabled("switch", USER) == expectedOn));
            System.out.printf("restart %d: %d SDKs READY at revision %d %d ms after the server started again%n",
                    restart, SDKS, expected, (System.nanoTime() - began) / 1_000_000);
        }
        watching.set(false);
        detector.join();
        assertThat(lies).as("READY while serving data older than the server's").isEmpty();
    }

    private List<Watched> startSdks() {
        List<Watched> started = new ArrayList<>();
        for (int i = 0; i < SDKS; i++) {
            // 10 s of silence (the server's heartbeat: 1 s) before a stream is dropped: megabytes on a
            // loaded machine take a while, and a stream that lost its data stays silent for good
            DarklaunchClient client = DarklaunchClient.create(SdkTestTimings.fast(DarklaunchConfig.builder()
                            .baseUri(URI.create(follower.base())).sdkToken(sdk).initTimeout(Duration.ZERO)
                            .evaluationCounts(false), Duration.ofSeconds(10))
                    .build());
            started.add(new Watched(client, new CopyOnWriteArrayList<>()));
        }
        clients.addAll(started);
        return started;
    }

    /** A JSON flag whose two variations are each about {@code bytes} of configuration. */
    private static Map<String, Object> configurationFlag(String key, int bytes) {
        List<Object> variations = new ArrayList<>();
        for (int v = 0; v < 2; v++) {
            List<Map<String, Object>> entries = new ArrayList<>();
            for (int i = 0; i * 100 < bytes; i++) {
                entries.add(Map.of("name", "setting-" + v + "-" + i, "value", "v".repeat(64)));
            }
            variations.add(Map.of("value", Map.of("entries", entries)));
        }
        return Map.of("key", key, "name", key, "kind", "json", "variations", variations);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
