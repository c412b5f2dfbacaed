package dev.darklaunch.sdk;

import static dev.darklaunch.sdk.FeedServer.await;
import static dev.darklaunch.sdk.LiveFeedTest.WAIT;
import static dev.darklaunch.sdk.LiveFeedTest.data;
import static dev.darklaunch.sdk.LiveFeedTest.flag;
import static dev.darklaunch.sdk.LiveFeedTest.patch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darklaunch.sdk.internal.data.FeedTimings;
import dev.darklaunch.sdk.micrometer.DarklaunchMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Guarded releases, the SDK's part: for a flag the feed marks {@code guarded}, every evaluation is
 * an exposure of the served variation, and every tracked event counts (count, sum, sum of squares)
 * towards the variation the flag serves the event's context; the sums travel in the metrics
 * report's {@code guards}, every few seconds while a flag is guarded, and only then.
 */
class GuardedReleaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Metrics every hour, but every 50 ms while a flag is guarded. */
    private static final FeedTimings GUARDED_QUICKLY = new FeedTimings(Duration.ofMillis(20), Duration.ofMillis(200),
            Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofHours(1),
            Duration.ofMillis(50));

    private final FeedServer server;
    private final List<DarklaunchClient> clients = new CopyOnWriteArrayList<>();

    GuardedReleaseTest() throws IOException {
        server = new FeedServer();
    }

    @AfterEach
    void closeAll() {
        clients.forEach(DarklaunchClient::close);
        server.close();
    }

    /** A boolean flag serving true (variation 0) to contexts whose "arm" is "treatment", false (1) to the rest. */
    static String released(String key, boolean guarded) {
        return "{\"flag\":{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"kind\":\"boolean\","
                + "\"variations\":[{\"value\":true},{\"value\":false}]},"
                + "\"config\":{\"on\":true,\"offVariation\":1,\"fallthrough\":{\"variation\":1},"
                + "\"rules\":[{\"clauses\":[{\"attribute\":\"arm\",\"op\":\"in\",\"values\":[\"treatment\"]}],"
                + "\"serve\":{\"variation\":0}}]}" + (guarded ? ",\"guarded\":true" : "") + "}";
    }

    private static Context treatment(int i) {
        return Context.of("t-" + i).with("arm", "treatment");
    }

    private static Context control(int i) {
        return Context.of("c-" + i).with("arm", "control");
    }

    /** The stream of the last client made. */
    private FeedServer.Stream stream;

    private DarklaunchClient client(String snapshot) throws InterruptedException {
        DarklaunchClient client = DarklaunchClient.create(DarklaunchConfig.builder().sdkToken("sdk-secret")
                .baseUri(server.uri()).timings(GUARDED_QUICKLY).initTimeout(Duration.ZERO).build());
        clients.add(client);
        stream = server.nextStream().event("snapshot", 1, snapshot);
        await(WAIT, "ready", client::isReady);
        return client;
    }

    @Test
    void exposuresAndEventsAreCountedPerServedVariationOfEachGuardedFlag() throws Exception {
        DarklaunchClient client = client(data(1, released("release", true), released("plain", false)));
        for (int i = 0; i < 30; i++) {
            assertThat(client.isEnabled("release", treatment(i))).isTrue();
            client.isEnabled("plain", treatment(i));
            client.track("latency", treatment(i), 10);
        }
        for (int i = 0; i < 70; i++) {
            assertThat(client.boolVariation("release", control(i), true)).isFalse();
            client.track("latency", control(i), 4);
        }
        for (int i = 0; i < 3; i++) {
            client.trackError(treatment(i), new IllegalStateException("boom"));
        }
        client.trackError(control(0), null);

        await(WAIT, "the guarded sums reported", () -> exposures("release", 0) == 30 && exposures("release", 1) == 70
                && eventCount("release", 0, "error") == 3 && eventCount("release", 1, "error") == 1
                && eventCount("release", 0, "latency") == 30 && eventCount("release", 1, "latency") == 70);
        assertThat(eventSums("release", 0, "latency")).containsExactly(300.0, 3000.0);
        assertThat(eventSums("release", 1, "latency")).containsExactly(280.0, 1120.0);
        assertThat(eventSums("release", 0, "error")).containsExactly(0.0, 0.0);
        assertThat(guards()).as("a flag no guard watches is not in guards")
                .noneMatch(entry -> entry.path("flag").asText().equals("plain"));
        assertThat(exposures("release", 0) + exposures("release", 1))
                .as("re-evaluating for track() counts no exposure").isEqualTo(100);
        JsonNode entry = guards().get(0);
        assertThat(entry.path("flag").isTextual() && entry.path("variation").isInt() && entry.path("exposures").isIntegralNumber()
                && entry.path("events").isArray()).as(entry.toString()).isTrue();
    }

    @Test
    void whileAFlagIsGuardedReportsComeEveryFewSecondsAndOtherwiseAtTheUsualInterval() throws Exception {
        DarklaunchClient client = client(data(1, released("release", false)));
        client.isEnabled("release", treatment(1));
        client.track("latency", treatment(1), 5);
        assertThat(server.metricsRequests).as("nothing while no flag is guarded: the usual interval is an hour").isEmpty();

        stream.event("patch", 2, patch(1, 2, released("release", true)));
        await(WAIT, "guarded", () -> !client.snapshot().guardedFlags().isEmpty());
        client.isEnabled("release", treatment(2));
        client.track("latency", treatment(2), 7);
        await(WAIT, "a report within the guarded interval", () -> exposures("release", 0) == 1
                && eventCount("release", 0, "latency") == 1);
        assertThat(eventSums("release", 0, "latency")).as("only what happened while guarded").containsExactly(7.0, 49.0);

        client.isEnabled("release", treatment(3));
        stream.event("patch", 3, patch(2, 3, released("release", false)));
        await(WAIT, "the last exposure of the guarded flag reported", () -> exposures("release", 0) == 2);
        int reports = server.metricsRequests.size();
        client.isEnabled("release", treatment(4));
        client.track("latency", treatment(4), 5);
        client.close();
        assertThat(server.metricsRequests.size()).as("only the closing report once no flag is guarded").isEqualTo(reports + 1);
        assertThat(exposures("release", 0)).isEqualTo(2);
    }

    @Test
    void eventNamesPerGuardedFlagAreBoundedAndTheOverflowIsCounted() throws Exception {
        DarklaunchClient client = client(data(1, released("release", true)));
        for (int i = 0; i < 150; i++) {
            client.track("event-" + i, treatment(1), 1);
        }
        await(WAIT, "a hundred names attributed", () -> guards().stream().mapToInt(entry -> entry.path("events").size()).sum() == 100);
        assertThat(client.metrics().eventsDropped()).isEqualTo(50);
        assertThat(guards()).allMatch(entry -> entry.path("variation").asInt() == 0);
    }

    @Test
    void invalidEventsAndContextsCountTowardsNoVariationAndNeverThrow() throws Exception {
        DarklaunchClient client = client(data(1, released("release", true)));
        assertThatCode(() -> {
            client.track(null, treatment(1), 1);
            client.track("latency", treatment(1), Double.NaN);
            client.track("latency", null, 3); // counted as an event, towards no variation
            client.track("huge", treatment(1), 1e200); // its square is beyond any double
            client.trackError(null, new RuntimeException());
        }).doesNotThrowAnyException();
        client.track("latency", treatment(1), 2);
        await(WAIT, "the valid one attributed", () -> eventCount("release", 0, "latency") == 1);
        assertThat(eventSums("release", 0, "latency")).containsExactly(2.0, 4.0);
        assertThat(eventCount("release", 0, "huge") + eventCount("release", 1, "huge")).isZero();
        assertThat(eventCount("release", 0, "error") + eventCount("release", 1, "error")).isZero();
    }

    @Test
    void aServerThatDoesNotKnowGuardsStillGetsTheRestOfTheReport() throws Exception {
        server.metricsAnswer = body -> body.contains("\"guards\"")
                ? new FeedServer.Answer(400, "{\"error\":\"invalid\",\"message\":\"unknown field 'guards'\",\"field\":\"guards\"}")
                : new FeedServer.Answer(202, "");
        DarklaunchClient client = client(data(1, released("release", true)));
        client.isEnabled("release", treatment(1));
        client.track("checkout", treatment(1), 1);

        await(WAIT, "counts and events posted without guards", () -> server.acceptedMetrics.stream()
                .anyMatch(request -> request.body().contains("\"release\"") && request.body().contains("\"checkout\"")));
        assertThat(server.acceptedMetrics).noneMatch(request -> request.body().contains("\"guards\""));
        await(WAIT, "the dropped guard sums counted", () -> client.metrics().eventsDropped() >= 1);
    }

    @Test
    void aMicrometerTimerAndCounterFeedTheGuards() throws Exception {
        DarklaunchClient client = client(data(1, released("release", true)));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Context[] who = {treatment(1)};
        Timer latency = DarklaunchMetrics.track(client, registry.timer("checkout.latency"), () -> who[0]);
        Counter failures = DarklaunchMetrics.track(client, registry.counter("checkout.failures"), () -> who[0]);

        latency.record(10, TimeUnit.MILLISECONDS);
        latency.record(Duration.ofMillis(20));
        failures.increment();
        who[0] = control(1);
        latency.record(4, TimeUnit.MILLISECONDS);
        assertThat(latency.record(() -> "placed")).isEqualTo("placed");
        Counter throwing = DarklaunchMetrics.track(client, registry.counter("checkout.failures"), () -> {
            throw new IllegalStateException("no request scope");
        });
        assertThatCode(throwing::increment).doesNotThrowAnyException();

        assertThat(registry.timer("checkout.latency").count()).as("the application's timer records as before").isEqualTo(4);
        assertThat(registry.counter("checkout.failures").count()).isEqualTo(2.0);
        assertThat(latency.count()).isEqualTo(4);
        await(WAIT, "the meters' recordings attributed", () -> eventCount("release", 0, "checkout.latency") == 2
                && eventCount("release", 1, "checkout.latency") == 2 && eventCount("release", 0, "checkout.failures") == 1);
        assertThat(eventSums("release", 0, "checkout.latency")).containsExactly(30.0, 500.0);
        assertThat(eventSums("release", 0, "checkout.failures")).containsExactly(1.0, 1.0);
    }

    /** Every guards entry the server accepted. */
    private List<JsonNode> guards() {
        List<JsonNode> entries = new ArrayList<>();
        for (FeedServer.Request request : server.acceptedMetrics) {
            try {
                JSON.readTree(request.body()).path("guards").forEach(entries::add);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return entries;
    }

    private long exposures(String flag, int variation) {
        return guards().stream().filter(entry -> entry.path("flag").asText().equals(flag) && entry.path("variation").asInt() == variation)
                .mapToLong(entry -> entry.path("exposures").asLong()).sum();
    }

    private List<JsonNode> events(String flag, int variation, String name) {
        List<JsonNode> found = new ArrayList<>();
        guards().stream().filter(entry -> entry.path("flag").asText().equals(flag) && entry.path("variation").asInt() == variation)
                .forEach(entry -> entry.path("events").forEach(event -> {
                    if (event.path("name").asText().equals(name)) {
                        found.add(event);
                    }
                }));
        return found;
    }

    private long eventCount(String flag, int variation, String name) {
        return events(flag, variation, name).stream().mapToLong(event -> event.path("count").asLong()).sum();
    }

    /** {sum, sum of squares} of an event's values attributed to a variation. */
    private List<Double> eventSums(String flag, int variation, String name) {
        List<JsonNode> found = events(flag, variation, name);
        return List.of(found.stream().mapToDouble(event -> event.path("sum").asDouble()).sum(),
                found.stream().mapToDouble(event -> event.path("sumOfSquares").asDouble()).sum());
    }
}
