package dev.darklaunch.sdk;

import static dev.darklaunch.sdk.FeedServer.await;
import static dev.darklaunch.sdk.LiveFeedTest.FAST;
import static dev.darklaunch.sdk.LiveFeedTest.flag;
import static dev.darklaunch.sdk.LiveFeedTest.patch;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Environments whose snapshot is 100 KB, 1 MB and 5 MB, over plain http and over TLS with a
 * private certificate: every one of many SDK starts reaches READY with the whole snapshot at
 * exactly the revision sent, and so does every reconnect — resumed with {@code Last-Event-ID}, or
 * after a gap with a new snapshot. The SDK speaks HTTP/1.1 and never asks for an h2c upgrade: a
 * real server's upgraded streams lost such snapshots (the server's LargeSnapshotSdkIT).
 */
class LargeSnapshotTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Context USER = Context.of("u-1");
    /** One configuration entry of a JSON variation, about 100 bytes on the wire. */
    private static final String ENTRY = "{\"name\":\"setting-%06d\",\"value\":\"" + "v".repeat(64) + "\"}";

    static Stream<Arguments> transportsAndSizes() {
        return Stream.of("http", "https").flatMap(scheme -> Stream.of(100_000, 1_000_000, 5_000_000)
                .map(bytes -> Arguments.of(scheme, bytes)));
    }

    @ParameterizedTest(name = "{0}, a snapshot of {1} bytes")
    @MethodSource("transportsAndSizes")
    void everyStartAndReconnectGetsTheWholeSnapshot_atExactlyItsRevision(String scheme, int bytes) throws Exception {
        boolean tls = scheme.equals("https");
        int starts = bytes >= 5_000_000 ? 4 : 10;
        int entries = bytes / 100;
        try (FeedServer server = new FeedServer(tls ? SelfSignedCertificate.server() : null)) {
            for (int start = 0; start < starts; start++) {
                long revision = 100L * (start + 1);
                String snapshot = environment(revision, entries, false);
                assertThat(snapshot.length()).isGreaterThanOrEqualTo(bytes);
                DarklaunchConfig.Builder config = DarklaunchConfig.builder().sdkToken("sdk-secret").baseUri(server.uri())
                        .timings(FAST).initTimeout(Duration.ZERO).evaluationCounts(false);
                if (tls) {
                    config.sslContext(SelfSignedCertificate.trusting());
                }
                try (DarklaunchClient client = DarklaunchClient.create(config.build())) {
                    FeedServer.Stream first = server.nextStream();
                    first.event("snapshot", revision, snapshot);
                    awaitReadyAt(client, revision, "start " + start);
                    assertThat(client.jsonVariation("config-0", USER, null).path("entries").size()).isEqualTo(entriesPerFlag(entries) / 2);
                    assertThat(client.isEnabled("switch", USER)).isFalse();

                    first.close(); // the server ends the stream: resumed, a change
                    FeedServer.Stream resumed = server.nextStream();
                    assertThat(server.streamRequests.get(server.streamRequests.size() - 1).lastEventId())
                            .isEqualTo(Long.toString(revision));
                    resumed.event("patch", revision + 1, patch(revision, revision + 1, flag("switch", true)));
                    awaitReadyAt(client, revision + 1, "resumed after start " + start);
                    assertThat(client.isEnabled("switch", USER)).isTrue();

                    resumed.event("patch", revision + 5, patch(revision + 4, revision + 5, flag("switch", false))); // a gap
                    FeedServer.Stream again = server.nextStream();
                    assertThat(server.streamRequests.get(server.streamRequests.size() - 1).lastEventId()).isNull();
                    again.event("snapshot", revision + 5, environment(revision + 5, entries, false));
                    awaitReadyAt(client, revision + 5, "a snapshot after a gap, start " + start);
                    assertThat(client.isEnabled("switch", USER)).isFalse();
                }
            }
            assertThat(server.streamRequests).hasSize(3 * starts).allSatisfy(request -> {
                assertThat(request.protocol()).isEqualTo("HTTP/1.1");
                assertThat(request.upgrade()).as("no h2c upgrade asked for").isNull();
            });
        }
    }

    private static void awaitReadyAt(DarklaunchClient client, long revision, String when) {
        await(WAIT, "READY at revision " + revision + " (" + when + ")", () -> client.status().state() == Status.State.READY
                && client.snapshot() != null && client.snapshot().data().revision() == revision);
    }

    /** A flag "switch" and JSON flags whose variations hold {@code entries} configuration entries in all. */
    static String environment(long revision, int entries, boolean on) {
        StringBuilder json = new StringBuilder(entries * 110 + 1_000);
        json.append("{\"revision\":").append(revision).append(",\"flags\":[").append(flag("switch", on));
        int perFlag = entriesPerFlag(entries);
        for (int flag = 0, entry = 0; entry < entries; flag++) {
            json.append(",{\"flag\":{\"key\":\"config-").append(flag).append("\",\"name\":\"config ").append(flag)
                    .append("\",\"kind\":\"json\",\"variations\":[");
            for (int variation = 0; variation < 2; variation++) {
                json.append(variation == 0 ? "" : ",").append("{\"value\":{\"entries\":[");
                for (int i = 0; i < perFlag / 2; i++, entry++) {
                    json.append(i == 0 ? "" : ",").append(String.format(ENTRY, entry));
                }
                json.append("]}}");
            }
            json.append("]},\"config\":{\"on\":true,\"offVariation\":1,\"fallthrough\":{\"variation\":0}}}");
        }
        return json.append("],\"segments\":[]}").toString();
    }

    /** Up to 5 000 entries (half a megabyte) per flag, split between its two variations. */
    private static int entriesPerFlag(int entries) {
        return Math.min(5_000, entries);
    }
}
