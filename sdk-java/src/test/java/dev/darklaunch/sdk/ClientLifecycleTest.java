package dev.darklaunch.sdk;

import static dev.darklaunch.sdk.FeedServer.await;
import static dev.darklaunch.sdk.LiveFeedTest.FAST;
import static dev.darklaunch.sdk.LiveFeedTest.WAIT;
import static dev.darklaunch.sdk.LiveFeedTest.data;
import static dev.darklaunch.sdk.LiveFeedTest.flag;
import static dev.darklaunch.sdk.LiveFeedTest.segment;
import static dev.darklaunch.sdk.LiveFeedTest.segmentFlag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darklaunch.sdk.internal.data.FeedTimings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requirements (docs/sdk-feed.md "Client behaviour", ARCHITECTURE.md "reports its status … and
 * flag-change events"): status transitions, flag-change listeners with exactly the changed keys,
 * isolated listener failures, polling with If-None-Match, evaluation counts posted to the metrics
 * endpoint, {@code close()} ending every thread, and the configuration's checks.
 */
class ClientLifecycleTest {

    private static final Context USER = Context.of("u-1");
    private final FeedServer server;
    private final List<DarklaunchClient> clients = new CopyOnWriteArrayList<>();

    ClientLifecycleTest() throws IOException {
        server = new FeedServer();
    }

    @AfterEach
    void closeAll() {
        clients.forEach(DarklaunchClient::close);
        server.close();
    }

    private DarklaunchConfig.Builder config() {
        return DarklaunchConfig.builder().sdkToken("sdk-secret").baseUri(server.uri()).timings(FAST)
                .initTimeout(Duration.ZERO).evaluationCounts(false);
    }

    private DarklaunchClient client(DarklaunchConfig.Builder config) {
        DarklaunchClient client = DarklaunchClient.create(config.build());
        clients.add(client);
        return client;
    }

    private static String dataWithSegments(long revision, String[] segments, String... flags) {
        return "{\"revision\":" + revision + ",\"flags\":[" + String.join(",", flags) + "],\"segments\":["
                + String.join(",", segments) + "]}";
    }

    @Test
    void statusGoesInitializingReadyStaleReady_andListenersHearEachChange() throws Exception {
        DarklaunchClient client = client(config());
        List<Status.State> states = new CopyOnWriteArrayList<>();
        assertThat(client.status().state()).isEqualTo(Status.State.INITIALIZING);
        assertThat(client.status().dataAge()).isEmpty();
        client.addStatusListener(status -> states.add(status.state()));

        FeedServer.Stream first = server.nextStream();
        first.event("snapshot", 1, data(1, flag("a", true)));
        await(WAIT, "ready", () -> states.contains(Status.State.READY));
        assertThat(client.status().dataAge()).hasValueSatisfying(age -> assertThat(age).isLessThan(Duration.ofSeconds(10)));

        server.streamStatus = attempt -> attempt == 1 ? 503 : 200; // the next connect fails once
        first.close();
        await(WAIT, "stale", () -> states.contains(Status.State.STALE));
        assertThat(client.isEnabled("a", USER)).isTrue();
        server.nextStream().heartbeat(); // a resumed stream is live once something comes through it
        await(WAIT, "ready again", () -> states.size() >= 3 && states.get(states.size() - 1) == Status.State.READY);
        assertThat(states).containsSubsequence(Status.State.READY, Status.State.STALE, Status.State.READY);
        assertThat(client.status().lastError()).isNull();
    }

    @Test
    void flagChangeListenerGetsExactlyTheChangedKeys_includingFlagsUsingAChangedSegment() throws Exception {
        DarklaunchClient client = client(config());
        List<Set<String>> changes = new CopyOnWriteArrayList<>();
        client.addFlagChangeListener(keys -> {
            throw new IllegalStateException("a broken listener must not stop the others");
        });
        client.addFlagChangeListener(changes::add);
        FeedServer.Stream stream = server.nextStream();
        stream.event("snapshot", 1, dataWithSegments(1, new String[]{segment("beta", "u-2")},
                flag("a", true), flag("b", true), flag("c", false), segmentFlag("beta-only", "beta")));
        await(WAIT, "first data", () -> changes.size() == 1);
        assertThat(changes.get(0)).containsExactlyInAnyOrder("a", "b", "c", "beta-only");

        stream.event("patch", 2, "{\"previous\":1,\"revision\":2,\"flags\":[" + flag("b", false) + "," + flag("d", true)
                + "],\"deletedFlags\":[\"c\"]}");
        await(WAIT, "patch", () -> changes.size() == 2);
        assertThat(changes.get(1)).containsExactlyInAnyOrder("b", "c", "d");

        stream.event("patch", 3, "{\"previous\":2,\"revision\":3,\"segments\":[" + segment("beta", "u-1") + "]}");
        await(WAIT, "segment patch", () -> changes.size() == 3);
        assertThat(changes.get(2)).containsExactly("beta-only");
        assertThat(client.isEnabled("beta-only", USER)).isTrue();

        stream.event("snapshot", 3, dataWithSegments(3, new String[]{segment("beta", "u-1")},
                flag("a", true), flag("b", false), flag("d", true), segmentFlag("beta-only", "beta")));
        stream.event("patch", 4, "{\"previous\":3,\"revision\":4,\"flags\":[" + flag("a", false) + "]}");
        await(WAIT, "after an identical snapshot", () -> changes.size() == 4);
        assertThat(changes.get(3)).as("an identical snapshot reports nothing").containsExactly("a");
    }

    @Test
    void pollingSendsIfNoneMatch_andAppliesNewData() throws Exception {
        server.flagsBody = data(3, flag("a", true));
        server.flagsEtag = "\"3\"";
        DarklaunchClient client = client(config().streaming(false).pollInterval(Duration.ofSeconds(1)));
        await(WAIT, "first poll", () -> client.isEnabled("a", USER));
        await(WAIT, "second poll", () -> server.flagRequests.size() >= 2);
        assertThat(server.flagRequests.get(0).ifNoneMatch()).isNull();
        assertThat(server.flagRequests.get(1).ifNoneMatch()).isEqualTo("\"3\"");
        assertThat(client.status().state()).isEqualTo(Status.State.READY);

        server.flagsBody = data(4, flag("a", false));
        server.flagsEtag = "\"4\"";
        await(WAIT, "changed data polled", () -> !client.isEnabled("a", USER));
        assertThat(server.streamRequests).isEmpty();
    }

    @Test
    void evaluationCountsReachTheMetricsEndpoint() throws Exception {
        FeedTimings quickMetrics = new FeedTimings(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(60),
                Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMillis(100));
        DarklaunchClient client = client(config().timings(quickMetrics).evaluationCounts(true));
        server.nextStream().event("snapshot", 1, data(1, flag("a", true), flag("off", false)));
        await(WAIT, "ready", () -> client.isEnabled("a", USER));
        for (int i = 0; i < 99; i++) {
            client.isEnabled("a", USER);
        }
        client.isEnabled("off", USER);
        client.stringVariation("a", USER, "wrong type: the default is served");

        ObjectMapper json = new ObjectMapper();
        await(WAIT, "counts posted", () -> total(json, "a", "0") == 100 && total(json, "off", "1") == 1
                && total(json, "a", "-1") == 1);
        FeedServer.Request post = server.metricsRequests.get(0);
        assertThat(post.authorization()).isEqualTo("Bearer sdk-secret");
        JsonNode body = json.readTree(post.body());
        assertThat(body.has("start") && body.has("end")).isTrue();
    }

    private long total(ObjectMapper json, String flag, String variation) {
        long sum = 0;
        for (FeedServer.Request request : server.metricsRequests) {
            try {
                sum += json.readTree(request.body()).path("flags").path(flag).path(variation).asLong(0);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return sum;
    }

    @Test
    void closeEndsEveryThreadOfTheClient() throws Exception {
        DarklaunchClient client = DarklaunchClient.create(config().evaluationCounts(true).build());
        server.nextStream().event("snapshot", 1, data(1, flag("a", true)));
        await(WAIT, "ready", () -> client.isEnabled("a", USER));
        assertThat(sdkThreads()).isNotEmpty().allMatch(Thread::isDaemon);

        client.close();
        await(WAIT, "threads ended", () -> sdkThreads().isEmpty());
        assertThat(client.isEnabled("a", USER)).as("evaluations still work on the last data").isTrue();
        client.close(); // idempotent
    }

    private static List<Thread> sdkThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("darklaunch-") && t.isAlive()).toList();
    }

    @Test
    void configurationRejectsMissingAndConflictingSettings() {
        assertThatThrownBy(() -> DarklaunchConfig.builder().sdkToken("t").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("baseUri");
        assertThatThrownBy(() -> DarklaunchConfig.builder().offline().sdkToken("t").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("offline");
        assertThatThrownBy(() -> DarklaunchConfig.builder().offline().evaluationCounts(true).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> DarklaunchConfig.builder().pollInterval(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 s");
        assertThatThrownBy(() -> DarklaunchConfig.builder().initTimeout(Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DarklaunchConfig.builder().initTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DarklaunchConfig.builder().baseUri(URI.create("ftp://x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DarklaunchConfig.builder().sdkToken(" "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DarklaunchConfig.builder().offline().backupFile(Path.of("x.json")).build().offline()).isTrue();
        DarklaunchConfig connected = DarklaunchConfig.builder().sdkToken("t").baseUri(URI.create("https://flags.example.com")).build();
        assertThat(connected.streaming()).isTrue();
        assertThat(connected.pollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(connected.initTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(connected.evaluationCounts()).isTrue();
        assertThat(connected.offline()).isFalse();
    }
}
