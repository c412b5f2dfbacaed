package dev.darklaunch.sdk;

import static dev.darklaunch.sdk.FeedServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.darklaunch.sdk.internal.data.FeedTimings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RELIABILITY.md scenarios 1–7, 9 and 10 and docs/sdk-feed.md, end to end: a real
 * {@link DarklaunchClient} against a real HTTP server on an ephemeral port that speaks SSE as each
 * test scripts it. Every wait is on a condition.
 */
class LiveFeedTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    /** Fast retries so tests run quickly; the defaults are checked in BackoffTest and scenario 1. */
    static final FeedTimings FAST = new FeedTimings(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(60),
            Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofHours(1));

    private final FeedServer server;
    private final List<DarklaunchClient> clients = new CopyOnWriteArrayList<>();
    private static final Context USER = Context.of("u-1");

    LiveFeedTest() throws IOException {
        server = new FeedServer();
    }

    @AfterEach
    void closeAll() {
        clients.forEach(DarklaunchClient::close);
        server.close();
    }

    // ---- fixtures -------------------------------------------------------------------------------

    static String flag(String key, boolean on) {
        return "{\"flag\":{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"kind\":\"boolean\","
                + "\"variations\":[{\"value\":true},{\"value\":false}]},"
                + "\"config\":{\"on\":" + on + ",\"offVariation\":1,\"fallthrough\":{\"variation\":0}}}";
    }

    static String segmentFlag(String key, String segment) {
        return "{\"flag\":{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"kind\":\"boolean\","
                + "\"variations\":[{\"value\":true},{\"value\":false}]},"
                + "\"config\":{\"on\":true,\"offVariation\":1,\"fallthrough\":{\"variation\":1},"
                + "\"rules\":[{\"clauses\":[{\"attribute\":\"key\",\"op\":\"segmentMatch\",\"values\":[\"" + segment + "\"]}],"
                + "\"serve\":{\"variation\":0}}]}}";
    }

    static String segment(String key, String... included) {
        String members = Stream.of(included).map(k -> "\"" + k + "\"").collect(Collectors.joining(","));
        return "{\"key\":\"" + key + "\",\"config\":{\"included\":[" + members + "]}}";
    }

    static String data(long revision, String... flags) {
        return "{\"revision\":" + revision + ",\"flags\":[" + String.join(",", flags) + "],\"segments\":[]}";
    }

    static String patch(long previous, long revision, String... flags) {
        return "{\"previous\":" + previous + ",\"revision\":" + revision + ",\"flags\":[" + String.join(",", flags) + "]}";
    }

    DarklaunchConfig.Builder config() {
        return DarklaunchConfig.builder().sdkToken("sdk-secret").baseUri(server.uri()).timings(FAST)
                .initTimeout(Duration.ZERO).evaluationCounts(false);
    }

    DarklaunchClient client(DarklaunchConfig.Builder config) {
        DarklaunchClient client = DarklaunchClient.create(config.build());
        clients.add(client);
        return client;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    // ---- the protocol ---------------------------------------------------------------------------

    @Test
    void snapshotThenPatchesAreApplied_andTheTokenIsSent() throws Exception {
        DarklaunchClient client = client(config());
        FeedServer.Stream stream = server.nextStream();
        stream.event("snapshot", 1, data(1, flag("a", false)));
        await(WAIT, "snapshot applied", () -> client.status().state() == Status.State.READY);
        assertThat(client.isEnabled("a", USER)).isFalse();

        stream.heartbeat().event("patch", 2, patch(1, 2, flag("a", true)));
        await(WAIT, "patch applied", () -> client.isEnabled("a", USER));
        assertThat(server.streamRequests.get(0).authorization()).isEqualTo("Bearer sdk-secret");
        assertThat(server.streamRequests).hasSize(1);
    }

    @Test
    void initTimeoutIsAnUpperBound_createReturnsAsSoonAsDataArrives() throws Exception {
        server.flagsBody = data(3, flag("a", true));
        long start = System.nanoTime();
        DarklaunchClient client = client(config().streaming(false).initTimeout(Duration.ofSeconds(30)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(client.isEnabled("a", USER)).isTrue();
        assertThat(client.status().state()).isEqualTo(Status.State.READY);
    }

    // ---- RELIABILITY.md scenario 1 ----------------------------------------------------------------

    @Test
    void scenario1_serverClosesTheStream_firstRetryWithinOneSecond() throws Exception {
        DarklaunchClient client = client(config().timings(FeedTimings.DEFAULT));
        FeedServer.Stream stream = server.nextStream();
        stream.event("snapshot", 1, data(1, flag("a", true)));
        await(WAIT, "ready", () -> client.status().state() == Status.State.READY);

        long closedAt = System.nanoTime();
        stream.close();
        server.nextStream();
        FeedServer.Request retry = server.streamRequests.get(1);
        assertThat(Duration.ofNanos(retry.nanoTime() - closedAt)).isLessThan(Duration.ofMillis(1_500)); // 1 s + scheduling slack
        assertThat(client.isEnabled("a", USER)).as("last good state kept").isTrue();
    }

    // ---- scenario 2 -------------------------------------------------------------------------------

    @ParameterizedTest(name = "scenario 2: HTTP {0} twice, then success")
    @ValueSource(ints = {400, 408, 429, 500, 503})
    void scenario2_connectFailsTwiceThenSucceeds_threeAttemptsAndDataApplied(int status) throws Exception {
        server.streamStatus = attempt -> attempt < 2 ? status : 200;
        DarklaunchClient client = client(config());
        server.nextStream().event("snapshot", 5, data(5, flag("a", true)));
        await(WAIT, "data applied", () -> client.isEnabled("a", USER));
        assertThat(server.streamRequests).hasSize(3);
        assertThat(client.status().state()).isEqualTo(Status.State.READY);
    }

    @Test
    void scenario2_connectionRefused_reportedAsAnErrorWhileThereIsNoData() throws Exception {
        int port = freePort(); // nothing listens here: connection refused
        DarklaunchClient client = client(config().baseUri(URI.create("http://127.0.0.1:" + port)));
        await(WAIT, "error reported", () -> client.status().lastError() != null);
        assertThat(client.status().state()).isEqualTo(Status.State.ERROR); // no data at all
        assertThat(client.isEnabled("a", USER)).isFalse();
    }

    @Test
    void whileTheStreamKeepsFailing_theClientPollsAndStaysCurrent() throws Exception {
        server.streamStatus = attempt -> 502; // e.g. a proxy that breaks event streams
        server.flagsBody = data(4, flag("a", true));
        server.flagsEtag = "\"4\"";
        DarklaunchClient client = client(config());
        await(WAIT, "data from polling", () -> client.isEnabled("a", USER));

        server.flagsBody = data(5, flag("a", false));
        server.flagsEtag = "\"5\"";
        await(WAIT, "a later change from polling", () -> !client.isEnabled("a", USER));
        assertThat(server.flagRequests).as("polls say which revision they have")
                .anySatisfy(request -> assertThat(request.ifNoneMatch()).isEqualTo("\"4\""));
    }

    // ---- scenario 3 -------------------------------------------------------------------------------

    @ParameterizedTest(name = "scenario 3: HTTP {0} → long backoff, no tight loop")
    @ValueSource(ints = {401, 403})
    void scenario3_unauthorized_noTightLoop_createReturnsEarly(int status) throws Exception {
        server.streamStatus = attempt -> status;
        long start = System.nanoTime();
        DarklaunchClient client = client(config().initTimeout(Duration.ofSeconds(30)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("create waits no longer once refused").isLessThan(Duration.ofSeconds(10));
        assertThat(client.status().state()).isEqualTo(Status.State.ERROR);
        assertThat(client.status().lastError()).contains(Integer.toString(status)).doesNotContain("sdk-secret");
        // A tight loop would have made dozens of attempts with FAST's 20 ms retry; the next try is 10 minutes away.
        Thread.sleep(500); // observing that nothing happens needs elapsed time; nothing is synchronised on it
        assertThat(server.streamRequests).hasSize(1);
    }

    // ---- scenario 4 -------------------------------------------------------------------------------

    @ParameterizedTest(name = "scenario 4: malformed event {0}")
    @ValueSource(strings = {"{not json", "{\"revision\":\"two\",\"flags\":[]}", "{\"flags\":[]}", "[1,2]",
            "{\"revision\":2,\"flags\":[{\"flag\":{\"key\":\"a\"}}]}", "{\"revision\":2,\"flags\":[3]}"})
    void scenario4_malformedSnapshot_dropsTheStreamKeepsTheLastGoodState(String bad) throws Exception {
        DarklaunchClient client = client(config());
        List<Status> statuses = new CopyOnWriteArrayList<>();
        client.addStatusListener(statuses::add);
        FeedServer.Stream first = server.nextStream();
        first.event("snapshot", 1, data(1, flag("a", true)));
        await(WAIT, "ready", () -> client.isEnabled("a", USER));

        first.event("snapshot", 2, bad);
        FeedServer.Stream second = server.nextStream(); // dropped and reconnected
        assertThat(client.isEnabled("a", USER)).as("last good state kept").isTrue();
        await(WAIT, "stale reported", () -> statuses.stream().anyMatch(s -> s.state() == Status.State.STALE));
        assertThat(statuses).filteredOn(s -> s.state() == Status.State.STALE).first()
                .satisfies(s -> assertThat(s.lastError()).contains("malformed"));
        second.event("snapshot", 3, data(3, flag("a", false)));
        await(WAIT, "recovered", () -> !client.isEnabled("a", USER) && client.status().state() == Status.State.READY);
    }

    @Test
    void scenario4_malformedPatch_dropsTheStream() throws Exception {
        DarklaunchClient client = client(config());
        FeedServer.Stream first = server.nextStream();
        first.event("snapshot", 1, data(1, flag("a", true)));
        await(WAIT, "ready", () -> client.isEnabled("a", USER));
        first.event("patch", 2, "{\"previous\":1}");
        server.nextStream();
        assertThat(client.isEnabled("a", USER)).isTrue();
        assertThat(server.streamRequests.get(1).lastEventId()).isEqualTo("1");
    }

    @Test
    void scenario4_unknownEventsAreIgnored_theStreamStays() throws Exception {
        DarklaunchClient client = client(config());
        FeedServer.Stream stream = server.nextStream();
        stream.event("snapshot", 1, data(1, flag("a", false)));
        stream.event("something-new", 7, "{whatever: not even json}");
        stream.event("patch", 2, patch(1, 2, flag("a", true)));
        await(WAIT, "patch after the unknown event applied", () -> client.isEnabled("a", USER));
        assertThat(server.streamRequests).hasSize(1);
    }

    // ---- scenario 5 -------------------------------------------------------------------------------

    @Test
    void scenario5_aPatchAtOrBelowTheCurrentRevisionChangesNothing() throws Exception {
        DarklaunchClient client = client(config());
        List<Set<String>> changes = new CopyOnWriteArrayList<>();
        client.addFlagChangeListener(changes::add);
        FeedServer.Stream stream = server.nextStream();
        stream.event("snapshot", 5, data(5, flag("a", true), flag("b", true)));
        await(WAIT, "ready", () -> changes.size() == 1);

        stream.event("patch", 5, patch(4, 5, flag("a", false)));   // duplicate of the current revision
        stream.event("patch", 3, patch(2, 3, flag("b", false)));   // older
        stream.event("patch", 6, patch(5, 6, flag("c", true)));    // a marker that the two above were processed
        await(WAIT, "marker applied", () -> client.isEnabled("c", USER));
        assertThat(client.isEnabled("a", USER)).isTrue();
        assertThat(client.isEnabled("b", USER)).isTrue();
        await(WAIT, "listener ran", () -> changes.size() == 2);
        assertThat(changes.get(1)).containsExactly("c");
        assertThat(server.streamRequests).as("duplicates do not drop the stream").hasSize(1);
    }

    // ---- scenario 6 -------------------------------------------------------------------------------

    @Test
    void scenario6_silentStream_reconnectsAfterTheSilenceTimeout_heartbeatsKeepItOpen() throws Exception {
        Duration silence = Duration.ofMillis(400);
        DarklaunchClient client = client(config().timings(new FeedTimings(Duration.ofMillis(20), Duration.ofMillis(200),
                Duration.ofSeconds(60), Duration.ofMinutes(10), silence, Duration.ofSeconds(5), Duration.ofHours(1))));
        FeedServer.Stream stream = server.nextStream();
        stream.event("snapshot", 1, data(1, flag("a", true)));
        await(WAIT, "ready", () -> client.isEnabled("a", USER));

        long heartbeatsUntil = System.nanoTime() + Duration.ofMillis(1_200).toNanos(); // three silence periods
        long silentFrom = 0;
        while (System.nanoTime() < heartbeatsUntil) {
            stream.heartbeat();
            silentFrom = System.nanoTime();
            Thread.sleep(100); // the heartbeat rhythm of this scripted server
        }
        assertThat(server.streamRequests).as("heartbeats keep the stream").hasSize(1);

        server.nextStream(); // the server stays silent: the client gives up on the stream
        Duration after = Duration.ofNanos(server.streamRequests.get(1).nanoTime() - silentFrom);
        assertThat(after).isGreaterThanOrEqualTo(silence.minusMillis(50)).isLessThan(Duration.ofSeconds(3));
        assertThat(server.streamRequests.get(1).lastEventId()).isEqualTo("1");
    }

    // ---- scenario 7 -------------------------------------------------------------------------------

    @Test
    void scenario7_reconnectSendsLastEventId_andAGapAsksForASnapshot() throws Exception {
        DarklaunchClient client = client(config());
        FeedServer.Stream first = server.nextStream();
        assertThat(server.streamRequests.get(0).lastEventId()).as("first connect: no data yet").isNull();
        first.event("snapshot", 4, data(4, flag("a", false)));
        first.event("patch", 5, patch(4, 5, flag("a", true)));
        await(WAIT, "patched", () -> client.isEnabled("a", USER));
        first.close();

        FeedServer.Stream second = server.nextStream();
        assertThat(server.streamRequests.get(1).lastEventId()).isEqualTo("5");
        second.event("patch", 6, patch(5, 6, flag("b", true))); // resumed: only later events
        await(WAIT, "resumed patch applied", () -> client.isEnabled("b", USER));

        second.event("patch", 9, patch(8, 9, flag("a", false))); // 7 and 8 missed
        FeedServer.Stream third = server.nextStream();
        assertThat(server.streamRequests.get(2).lastEventId()).as("a gap asks for a full snapshot").isNull();
        assertThat(client.isEnabled("a", USER)).as("the patch after the gap was not applied").isTrue();
        third.event("snapshot", 9, data(9, flag("a", false)));
        await(WAIT, "snapshot after gap", () -> !client.isEnabled("a", USER) && !client.isEnabled("b", USER));
    }

    @Test
    void scenario7_aResumedStreamIsReadyOnlyOnceAHeartbeatOrPatchArrives_itsHeadersAloneSayNothing() throws Exception {
        DarklaunchClient client = client(config());
        FeedServer.Stream first = server.nextStream();
        first.event("snapshot", 1, data(1, flag("a", true)));
        await(WAIT, "ready", () -> client.status().state() == Status.State.READY);
        java.time.Instant confirmed = client.status().dataUpdatedAt();
        server.streamStatus = attempt -> attempt == 1 ? 503 : 200;
        first.close();
        await(WAIT, "stale", () -> client.status().state() == Status.State.STALE);

        FeedServer.Stream resumed = server.nextStream(); // headers sent, then nothing: a stream that lost its data
        assertThat(server.streamRequests.get(2).lastEventId()).isEqualTo("1");
        Thread.sleep(300); // observing that nothing happens needs elapsed time; nothing is synchronised on it
        assertThat(client.status().state()).as("headers prove nothing about the data").isEqualTo(Status.State.STALE);
        assertThat(client.status().dataUpdatedAt()).as("the data is as old as it was").isEqualTo(confirmed);

        resumed.heartbeat(); // the server sends one right after what a resumed stream needs
        await(WAIT, "ready once the stream shows it is live", () -> client.status().state() == Status.State.READY);
        assertThat(client.status().dataUpdatedAt()).isAfter(confirmed);
        java.time.Instant live = client.status().dataUpdatedAt();
        resumed.event("patch", 2, patch(1, 2, flag("a", false)));
        await(WAIT, "patch applied", () -> !client.isEnabled("a", USER));
        resumed.heartbeat();
        await(WAIT, "each heartbeat confirms the data current", () -> client.status().dataUpdatedAt().isAfter(live));
    }

    // ---- scenario 9 -------------------------------------------------------------------------------

    @Test
    void scenario9_serverDown_startsOnTheBackupWithinTheInitTimeout(@TempDir Path dir) throws Exception {
        Path backup = dir.resolve("flags.json");
        Files.writeString(backup, data(7, flag("from-backup", true)));
        URI down = URI.create("http://127.0.0.1:" + freePort());
        long start = System.nanoTime();
        DarklaunchClient client = client(config().baseUri(down).backupFile(backup).initTimeout(Duration.ofMillis(300))
                .bootstrap(data(0, flag("from-bootstrap", true))));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250)).isLessThan(Duration.ofSeconds(3));
        assertThat(client.isEnabled("from-backup", USER)).isTrue();
        assertThat(client.isEnabled("from-bootstrap", USER)).as("backup wins over bootstrap").isFalse();
        await(WAIT, "stale", () -> client.status().state() == Status.State.STALE);
        assertThat(client.status().dataAge()).isPresent();
    }

    @Test
    void scenario9_serverDown_noBackup_bootstrapElseDefaults_neverThrows() throws Exception {
        URI down = URI.create("http://127.0.0.1:" + freePort());
        DarklaunchClient bootstrapped = client(config().baseUri(down).initTimeout(Duration.ofMillis(200))
                .bootstrap(data(0, flag("from-bootstrap", true))));
        assertThat(bootstrapped.isEnabled("from-bootstrap", USER)).isTrue();

        DarklaunchClient bare = client(config().baseUri(down).initTimeout(Duration.ofMillis(200)));
        assertThatCode(() -> {
            assertThat(bare.isEnabled("anything", USER)).isFalse();
            assertThat(bare.stringVariation("anything", USER, "default")).isEqualTo("default");
            assertThat(bare.isEnabled(null, null)).isFalse();
        }).doesNotThrowAnyException();
        await(WAIT, "error without data", () -> bare.status().state() == Status.State.ERROR);
    }

    // ---- scenario 10 ------------------------------------------------------------------------------

    @ParameterizedTest(name = "scenario 10: backup file {0}")
    @ValueSource(strings = {"truncated", "garbage", "empty", "wrong-shape"})
    void scenario10_corruptBackupIsIgnored_bootstrapUsed(String kind, @TempDir Path dir) throws Exception {
        String good = data(7, flag("from-backup", true));
        String content = switch (kind) {
            case "truncated" -> good.substring(0, good.length() / 2);
            case "garbage" -> "\u0000\u0001binary";
            case "empty" -> "";
            default -> "{\"flags\": {}}";
        };
        Path backup = dir.resolve("flags.json");
        Files.writeString(backup, content);
        DarklaunchClient client = client(DarklaunchConfig.builder().offline().backupFile(backup)
                .bootstrap(data(0, flag("from-bootstrap", true))));
        assertThat(client.isEnabled("from-bootstrap", USER)).isTrue();
        assertThat(client.isEnabled("from-backup", USER)).isFalse();
        assertThat(client.status().state()).isEqualTo(Status.State.READY);
    }

    @Test
    void scenario10_backupIsWrittenAtomically_readersOnlyEverSeeWholeFiles(@TempDir Path dir) throws Exception {
        Path backup = dir.resolve("flags.json");
        DarklaunchClient client = client(config().backupFile(backup));
        FeedServer.Stream stream = server.nextStream();
        stream.event("snapshot", 1, data(1, flag("a", true)));
        await(WAIT, "first backup", () -> Files.exists(backup));

        for (int revision = 2; revision <= 60; revision++) {
            String[] flags = new String[50];
            for (int i = 0; i < flags.length; i++) {
                flags[i] = flag("f" + i, (i + revision) % 2 == 0);
            }
            stream.event("patch", revision, patch(revision - 1, revision, flags));
            String onDisk = Files.readString(backup); // a rename swaps whole files, so this always parses
            assertThat(onDisk).startsWith("{").endsWith("}");
            DarklaunchClient reader = client(DarklaunchConfig.builder().offline().backupFile(backup));
            assertThat(reader.isReady()).as("backup at revision %d readable", revision).isTrue();
        }
        await(WAIT, "last revision on disk", () -> {
            try {
                return Files.readString(backup).contains("\"revision\":60");
            } catch (IOException e) {
                return false;
            }
        });
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary files left").containsExactly("flags.json");
        }
        DarklaunchClient restarted = client(DarklaunchConfig.builder().offline().backupFile(backup));
        assertThat(restarted.isEnabled("f0", USER)).isEqualTo(client.isEnabled("f0", USER));
    }
}
