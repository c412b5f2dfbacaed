package dev.darklaunch.sdk;

import static dev.darklaunch.sdk.FeedServer.await;
import static dev.darklaunch.sdk.LiveFeedTest.FAST;
import static dev.darklaunch.sdk.LiveFeedTest.WAIT;
import static dev.darklaunch.sdk.LiveFeedTest.data;
import static dev.darklaunch.sdk.LiveFeedTest.flag;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Answers that say 200 but carry no flag data — a proxy's or a wrong base URI's HTML page, an
 * empty body, the wrong content type, a stream cut in the middle of an event, a snapshot that does
 * not parse — are failures like any other (RELIABILITY.md scenarios 2 and 4, docs/sdk-feed.md):
 * the client keeps its last good data, says STALE (ERROR while it has none) and what was wrong,
 * keeps the data's age as it was, backs off and polls meanwhile, and never says READY on them.
 * A good answer then brings it back.
 */
class JunkAnswersTest {

    private static final Context USER = Context.of("u-1");
    private static final String HTML = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n"
            + "<body><h1>Welcome to the corporate network</h1></body></html>\n";

    /** What a broken proxy, a captive portal or a wrong base URI answers a stream request with. */
    enum StreamJunk {
        HTML_PAGE(new FeedServer.Canned("text/html; charset=utf-8", HTML), "Content-Type text/html"),
        EMPTY_BODY(new FeedServer.Canned("text/event-stream", ""), "ended before any data arrived"),
        WRONG_CONTENT_TYPE(new FeedServer.Canned("application/json", data(9, flag("a", false))), "Content-Type application/json"),
        CUT_MID_EVENT(new FeedServer.Canned("text/event-stream",
                "event: snapshot\nid: 9\ndata: " + data(9, flag("a", false)).substring(0, 40)), "in the middle of an event"),
        UNPARSEABLE_SNAPSHOT(new FeedServer.Canned("text/event-stream",
                "event: snapshot\nid: 9\ndata: {\"revision\": 9, \"flags\": [{\"flag\": \n\n"), "malformed snapshot");

        final FeedServer.Canned answer;
        final String error;

        StreamJunk(FeedServer.Canned answer, String error) {
            this.answer = answer;
            this.error = error;
        }
    }

    /** The same for a poll of {@code /sdk/v1/flags}. */
    enum PollJunk {
        HTML_PAGE("text/html; charset=utf-8", HTML, "Content-Type text/html"),
        EMPTY_BODY("application/json", "", "malformed flag data"),
        WRONG_CONTENT_TYPE("text/plain", data(9, flag("a", false)), "Content-Type text/plain"),
        TRUNCATED_JSON("application/json", data(9, flag("a", false)).substring(0, 40), "malformed flag data");

        final String contentType;
        final String body;
        final String error;

        PollJunk(String contentType, String body, String error) {
            this.contentType = contentType;
            this.body = body;
            this.error = error;
        }
    }

    private final FeedServer server;
    private final List<DarklaunchClient> clients = new CopyOnWriteArrayList<>();

    JunkAnswersTest() throws IOException {
        server = new FeedServer();
    }

    @AfterEach
    void closeAll() {
        clients.forEach(DarklaunchClient::close);
        server.close();
    }

    private DarklaunchClient client(DarklaunchConfig.Builder config) {
        DarklaunchClient client = DarklaunchClient.create(config.build());
        clients.add(client);
        return client;
    }

    private DarklaunchConfig.Builder config() {
        return DarklaunchConfig.builder().sdkToken("sdk-secret").baseUri(server.uri()).timings(FAST)
                .initTimeout(Duration.ZERO).evaluationCounts(false);
    }

    @ParameterizedTest(name = "the stream answers 200 with {0}")
    @EnumSource(StreamJunk.class)
    void aJunkStreamAnswer_isAFailure_theLastGoodDataStays_staleWithItsAge_backedOff_polling(StreamJunk junk) throws Exception {
        DarklaunchClient client = client(config());
        List<Status> statuses = new CopyOnWriteArrayList<>();
        client.addStatusListener(statuses::add);
        FeedServer.Stream first = server.nextStream();
        first.event("snapshot", 1, data(1, flag("a", true)));
        await(WAIT, "ready", () -> statuses.stream().anyMatch(s -> s.state() == Status.State.READY));
        Instant confirmed = client.status().dataUpdatedAt();
        statuses.clear();

        server.cannedStream = junk.answer; // every reconnect from now on; polls answer 503 meanwhile
        first.close();
        await(WAIT, "stale", () -> client.status().state() == Status.State.STALE);
        await(WAIT, "attempts into the capped backoff", () -> server.streamRequests.size() >= 9);

        Status status = client.status();
        assertThat(status.state()).isEqualTo(Status.State.STALE);
        assertThat(status.lastError()).contains(junk.error).doesNotContain("sdk-secret");
        assertThat(status.dataUpdatedAt()).as("the data is as old as it was").isEqualTo(confirmed);
        assertThat(client.isEnabled("a", USER)).as("the last good data stays").isTrue();
        assertThat(statuses).as("never READY on a junk answer").noneMatch(s -> s.state() == Status.State.READY);
        await(WAIT, "polling while the stream fails", () -> !server.flagRequests.isEmpty());
        // FAST: 20 ms doubling to a 200 ms cap, each between half and all of it; attempts 7 on wait at least 100 ms
        List<FeedServer.Request> attempts = server.streamRequests;
        for (int i = 7; i < 9; i++) {
            assertThat(Duration.ofNanos(attempts.get(i).nanoTime() - attempts.get(i - 1).nanoTime()))
                    .as("backed off before attempt %d", i).isGreaterThanOrEqualTo(Duration.ofMillis(95));
        }

        server.cannedStream = null;
        server.nextStream().event("snapshot", 2, data(2, flag("a", false)));
        await(WAIT, "recovered", () -> !client.isEnabled("a", USER) && client.status().state() == Status.State.READY);
        assertThat(client.status().dataUpdatedAt()).isAfter(confirmed);
        assertThat(client.status().lastError()).isNull();
    }

    @ParameterizedTest(name = "from the start, the stream answers 200 with {0}")
    @EnumSource(StreamJunk.class)
    void junkFromTheStart_isAnErrorWithoutData_neverReady(StreamJunk junk) throws Exception {
        server.cannedStream = junk.answer;
        DarklaunchClient client = client(config());
        await(WAIT, "error", () -> client.status().state() == Status.State.ERROR);
        await(WAIT, "several attempts and a poll", () -> server.streamRequests.size() >= 4 && !server.flagRequests.isEmpty());
        assertThat(client.isReady()).as("nothing from the junk was taken as data").isFalse();
        assertThat(client.status().lastError()).contains(junk.error);
        assertThat(client.status().dataUpdatedAt()).isNull();
        assertThat(client.isEnabled("a", USER)).isFalse();
    }

    @ParameterizedTest(name = "a poll answers 200 with {0}")
    @EnumSource(PollJunk.class)
    void aJunkPollAnswer_isAFailure_theLastGoodDataStays_staleWithItsAge(PollJunk junk) throws Exception {
        server.flagsBody = data(3, flag("a", true));
        DarklaunchClient client = client(config().streaming(false).pollInterval(DarklaunchConfig.MIN_POLL_INTERVAL));
        await(WAIT, "first poll", () -> client.isEnabled("a", USER) && client.status().state() == Status.State.READY);

        server.flagsContentType = junk.contentType;
        server.flagsBody = junk.body;
        await(WAIT, "stale", () -> client.status().state() == Status.State.STALE);
        Status stale = client.status();
        int polls = server.flagRequests.size();
        await(WAIT, "two more junk polls", () -> server.flagRequests.size() >= polls + 2);

        assertThat(client.status().state()).isEqualTo(Status.State.STALE);
        assertThat(client.status().lastError()).contains(junk.error);
        assertThat(client.status().dataUpdatedAt()).as("the data is as old as it was").isEqualTo(stale.dataUpdatedAt());
        assertThat(client.isEnabled("a", USER)).as("the last good data stays").isTrue();

        server.flagsContentType = "application/json";
        server.flagsBody = data(4, flag("a", false));
        await(WAIT, "recovered", () -> !client.isEnabled("a", USER) && client.status().state() == Status.State.READY);
    }
}
