package dev.darklaunch.sdk;

import static dev.darklaunch.sdk.FeedServer.await;
import static dev.darklaunch.sdk.LiveFeedTest.WAIT;
import static dev.darklaunch.sdk.LiveFeedTest.data;
import static dev.darklaunch.sdk.LiveFeedTest.flag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darklaunch.sdk.internal.data.FeedTimings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code track}: events go to the metrics endpoint in the same request as evaluation counts, summed
 * per name and minute, never one request per call; a failed post is sent again once, an accepted
 * one never; a server that does not know events still gets the evaluation counts; close() flushes.
 */
class TrackTest {

    private static final Context USER = Context.of("u-1");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Metrics every 100 ms; the stream's timings as in the other client tests. */
    private static final FeedTimings QUICK_METRICS = new FeedTimings(Duration.ofMillis(20), Duration.ofMillis(200),
            Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMillis(100));

    private final FeedServer server;
    private final List<DarklaunchClient> clients = new CopyOnWriteArrayList<>();

    TrackTest() throws IOException {
        server = new FeedServer();
    }

    @AfterEach
    void closeAll() {
        clients.forEach(DarklaunchClient::close);
        server.close();
    }

    private DarklaunchClient client(FeedTimings timings) throws InterruptedException {
        DarklaunchClient client = DarklaunchClient.create(DarklaunchConfig.builder().sdkToken("sdk-secret")
                .baseUri(server.uri()).timings(timings).initTimeout(Duration.ZERO).build());
        clients.add(client);
        server.nextStream().event("snapshot", 1, data(1, flag("a", true)));
        await(WAIT, "ready", () -> client.isEnabled("a", USER));
        return client;
    }

    @Test
    void trackedEventsTravelWithTheEvaluationCountsInFewRequests() throws Exception {
        DarklaunchClient client = client(QUICK_METRICS);
        for (int i = 0; i < 1_000; i++) {
            client.track("checkout", USER, 2.5);
            client.track("page-view", USER);
        }

        await(WAIT, "events posted", () -> count(server.acceptedMetrics, "checkout") == 1_000
                && count(server.acceptedMetrics, "page-view") == 1_000);
        assertThat(sum(server.acceptedMetrics, "checkout")).isEqualTo(2_500.0);
        assertThat(sum(server.acceptedMetrics, "page-view")).isZero();
        assertThat(server.metricsRequests).as("summed, not one request per call").hasSizeLessThan(20);
        JsonNode body = JSON.readTree(server.acceptedMetrics.get(server.acceptedMetrics.size() - 1).body());
        assertThat(body.has("flags")).as("the same request as the evaluation counts").isTrue();
        JsonNode event = body.path("events").get(0);
        assertThat(event.path("minute").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00Z");
    }

    @Test
    void aRefusedPostIsSentAgainAndCountedExactlyOnce() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        server.metricsAnswer = body -> body.contains("\"events\"") && attempts.getAndIncrement() == 0
                ? new FeedServer.Answer(503, "{\"error\":\"unavailable\",\"message\":\"database down\"}")
                : new FeedServer.Answer(202, "");
        DarklaunchClient client = client(QUICK_METRICS);
        for (int i = 0; i < 100; i++) {
            client.track("checkout", USER, 1);
        }

        await(WAIT, "events posted after a refusal", () -> count(server.acceptedMetrics, "checkout") == 100);
        assertThat(attempts.get()).isGreaterThanOrEqualTo(2);
        client.track("checkout", USER, 1);
        client.close();
        assertThat(count(server.acceptedMetrics, "checkout")).as("exactly once, the last one flushed by close()").isEqualTo(101);
        assertThat(sum(server.acceptedMetrics, "checkout")).isEqualTo(101.0);
        assertThat(count(server.metricsRequests, "checkout")).as("the refused post was sent, and again").isGreaterThan(101);
    }

    @Test
    void aServerThatDoesNotKnowEventsStillGetsTheEvaluationCounts() throws Exception {
        // what a server from before tracked events answers: its strict body reader names the field
        server.metricsAnswer = body -> body.contains("\"events\"")
                ? new FeedServer.Answer(400, "{\"error\":\"invalid\",\"message\":\"unknown field 'events'\",\"field\":\"events\"}")
                : new FeedServer.Answer(202, "");
        DarklaunchClient client = client(QUICK_METRICS);
        client.boolVariation("a", USER, false);
        client.track("checkout", USER, 1);

        await(WAIT, "counts posted without the events", () -> server.acceptedMetrics.stream()
                .anyMatch(request -> request.body().contains("\"a\"")));
        assertThat(server.acceptedMetrics).noneMatch(request -> request.body().contains("\"events\""));
        await(WAIT, "the dropped events counted", () -> client.metrics().eventsDropped() == 1);
    }

    @Test
    void invalidEventsAreIgnoredAndCountedWithoutThrowing() throws Exception {
        DarklaunchClient client = client(QUICK_METRICS);
        assertThatCode(() -> {
            client.track(null, USER, 1);
            client.track(" ", USER);
            client.track("checkout", null, Double.NaN);
            client.track("x".repeat(257), USER, 1);
        }).doesNotThrowAnyException();
        assertThat(client.metrics().eventsIgnored()).isEqualTo(4);
    }

    @Test
    void offlineClientsAndTestFlagsIgnoreEvents() {
        DarklaunchClient offline = DarklaunchClient.create(DarklaunchConfig.builder().offline().build());
        clients.add(offline);
        assertThatCode(() -> offline.track("checkout", USER, 1)).doesNotThrowAnyException();
        assertThat(offline.metrics()).isEqualTo(new ClientMetrics(0, 0, 0, 0, 0));
    }

    private static long count(List<FeedServer.Request> requests, String name) {
        return events(requests, name).stream().mapToLong(event -> event.path("count").asLong()).sum();
    }

    private static double sum(List<FeedServer.Request> requests, String name) {
        return events(requests, name).stream().mapToDouble(event -> event.path("sum").asDouble()).sum();
    }

    private static List<JsonNode> events(List<FeedServer.Request> requests, String name) {
        List<JsonNode> found = new java.util.ArrayList<>();
        for (FeedServer.Request request : requests) {
            try {
                for (JsonNode event : JSON.readTree(request.body()).path("events")) {
                    if (event.path("name").asText().equals(name)) {
                        found.add(event);
                    }
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return found;
    }
}
