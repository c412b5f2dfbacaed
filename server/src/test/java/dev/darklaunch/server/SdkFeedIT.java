package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.SseStream;
import dev.darklaunch.server.testing.SseStream.Event;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server side of docs/sdk-feed.md against a real server and database: snapshot and ETag,
 * live patches, resuming (RELIABILITY 7), heartbeats, bounded lifetime and per-token caps
 * (RELIABILITY 22), revocation closing streams (RELIABILITY 8), and who may read the feed.
 */
@DarklaunchServerTest(config = "feed")
class SdkFeedIT {

    static final String P = "/api/v1/projects/default";
    static final Duration HEARTBEAT = Duration.ofMillis(300);
    static final int HISTORY = 5;
    static final int MAX_STREAMS = 2;

    @Given
    private static String databaseUrl;
    @Given
    private static TestServer server;
    @Given
    private static Http admin;
    private static String sdk;

    static Config feed(Config config) {
        return config.withFeed(FeedSettings.DEFAULTS.withHeartbeat(HEARTBEAT).withHistorySize(HISTORY).withMaxStreamsPerToken(MAX_STREAMS));
    }

    @BeforeAll
    static void start() {
        assertThat(admin.post(P + "/flags", flag("checkout")).status()).isEqualTo(201);
        sdk = server.token("sdk", "default", "production");
    }

    @Test
    void flags_answers_the_environment_data_with_its_revision_as_etag_and_304_when_current() {
        long revision = awaitCurrent(server, sdk);
        Http.Response full = admin.as(sdk).get("/sdk/v1/flags");
        assertThat(full.status()).isEqualTo(200);
        assertThat(full.header("ETag")).hasValue("\"" + revision + "\"");
        assertThat(full.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(full.json().get("revision").asLong()).isEqualTo(revision);
        assertThat(keys(full.json().get("flags"))).contains("checkout");
        assertThat(full.json().has("segments")).isTrue();

        Http.Response notModified = admin.as(sdk).with("If-None-Match", "\"" + revision + "\"").get("/sdk/v1/flags");
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.text()).isEmpty();
        Http.Response stale = admin.as(sdk).with("If-None-Match", "\"" + (revision - 1) + "\"").get("/sdk/v1/flags");
        assertThat(stale.status()).isEqualTo(200);
    }

    @Test
    void a_flip_over_rest_reaches_an_open_stream_as_one_patch_uncompressed() {
        long revision = awaitCurrent(server, sdk);
        try (SseStream stream = SseStream.open(server.base(), sdk, null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            assertThat(stream.header("Content-Encoding").orElse("identity")).as("never compressed").isEqualTo("identity");
            Event snapshot = stream.nextEvent(Duration.ofSeconds(5));
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(snapshot.id()).isEqualTo(String.valueOf(revision));
            assertThat(json(snapshot).get("revision").asLong()).isEqualTo(revision);

            boolean on = !json(snapshot).get("flags").findValues("config").get(0).get("on").asBoolean();
            assertThat(admin.post(P + "/flags/checkout/environments/production/" + (on ? "on" : "off"), null).status()).isEqualTo(200);

            Event patch = stream.nextEvent(Duration.ofSeconds(5));
            assertThat(patch.name()).isEqualTo("patch");
            assertThat(patch.id()).isEqualTo(String.valueOf(revision + 1));
            JsonNode body = json(patch);
            assertThat(body.get("previous").asLong()).isEqualTo(revision);
            assertThat(body.get("revision").asLong()).isEqualTo(revision + 1);
            assertThat(keys(body.get("flags"))).containsExactly("checkout");
            assertThat(body.at("/flags/0/config/on").asBoolean()).isEqualTo(on);
            assertThat(body.get("segments")).isEmpty();
            assertThat(body.get("deletedFlags")).isEmpty();
            assertThat(body.get("deletedSegments")).isEmpty();
        }
    }

    @Test
    void a_change_of_several_flags_in_one_transaction_is_one_patch() {
        long revision = awaitCurrent(server, sdk);
        try (SseStream stream = SseStream.open(server.base(), sdk, String.valueOf(revision))) {
            assertThat(stream.status()).isEqualTo(200);
            // one import is one transaction, and one revision per environment
            Map<String, Object> features = Map.of("features", List.of(
                    Map.of("name", "multi-a", "enabled", true, "strategies", List.of(Map.of("name", "default"))),
                    Map.of("name", "multi-b", "enabled", true, "strategies", List.of(Map.of("name", "default")))));
            Http.Response imported = admin.post(P + "/import/unleash?environment=production", features);
            assertThat(imported.status()).as(imported.toString()).isLessThan(300);
            long after = admin.get(P + "/environments/production").json().get("revision").asLong();

            List<Event> patches = new ArrayList<>();
            while (patches.isEmpty() || json(patches.get(patches.size() - 1)).get("revision").asLong() < after) {
                patches.add(stream.nextEvent(Duration.ofSeconds(5)));
            }
            assertThat(after).as("one transaction, one revision").isEqualTo(revision + 1);
            assertThat(patches).hasSize(1);
            assertThat(keys(json(patches.get(0)).get("flags"))).containsExactlyInAnyOrder("multi-a", "multi-b");
        }
    }

    @Test
    void resuming_with_last_event_id_sends_nothing_when_current_later_patches_when_in_history_else_a_snapshot() {
        long start = awaitCurrent(server, sdk);
        try (SseStream current = SseStream.open(server.base(), sdk, String.valueOf(start))) {
            List<Event> seen = current.during(HEARTBEAT.multipliedBy(4));
            assertThat(seen).as("only heartbeats").isNotEmpty().allMatch(Event::isComment);
        }
        for (int i = 0; i < 3; i++) {
            flip("checkout");
        }
        long now = awaitRevision(server, sdk, start + 3);
        // resumed from `start`, where this instance certainly was: a patch begins there. (A later
        // revision may lie inside a patch that covers several, when the instance caught up on them
        // at once; resuming there is answered with a snapshot, which the test below covers.)
        try (SseStream resumed = SseStream.open(server.base(), sdk, String.valueOf(start))) {
            // one patch per revision, or fewer when the instance caught up on several revisions at once:
            // either way a contiguous chain from start to now, and nothing else
            long at = start;
            while (at < now) {
                Event patch = resumed.nextEvent(Duration.ofSeconds(5));
                assertThat(patch.name()).isEqualTo("patch");
                assertThat(json(patch).get("previous").asLong()).as("contiguous").isEqualTo(at);
                at = json(patch).get("revision").asLong();
            }
            assertThat(at).isEqualTo(now);
            assertThat(resumed.during(HEARTBEAT.multipliedBy(2))).allMatch(Event::isComment);
        }
        for (String unresumable : List.of("not-a-number", "", "-5", String.valueOf(now + 1000))) {
            try (SseStream fresh = SseStream.open(server.base(), sdk, unresumable)) {
                Event event = fresh.nextEvent(Duration.ofSeconds(5));
                assertThat(event.name()).as("Last-Event-ID '%s'", unresumable).isEqualTo("snapshot");
                assertThat(event.id()).isEqualTo(String.valueOf(now));
            }
        }
        long latest = now;
        for (int i = 0; i < HISTORY + 1; i++) {
            flip("checkout");
            latest = awaitRevision(server, sdk, latest + 1); // one patch each: the history really overflows
        }
        try (SseStream tooOld = SseStream.open(server.base(), sdk, String.valueOf(now))) {
            Event event = tooOld.nextEvent(Duration.ofSeconds(5));
            assertThat(event.name()).as("older than the history holds").isEqualTo("snapshot");
            assertThat(json(event).get("revision").asLong()).isEqualTo(latest);
        }
    }

    @Test
    void a_resumed_stream_gets_a_heartbeat_at_once_after_what_it_needs_so_an_sdk_knows_it_is_current() {
        long revision = awaitCurrent(server, sdk);
        flip("checkout");
        long now = awaitRevision(server, sdk, revision + 1);
        // heartbeats 100 s apart (the most the default 120 s idle timeout allows): only the one sent at once can arrive within the test
        try (TestServer quiet = TestServer.start(databaseUrl, FeedSettings.DEFAULTS.withHeartbeat(Duration.ofSeconds(100)))) {
            awaitRevision(quiet, sdk, now);
            try (SseStream current = SseStream.open(quiet.base(), sdk, String.valueOf(now))) {
                Event first = current.next(Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("nothing within 5 s"));
                assertThat(first.isComment()).as("current: nothing to send but the heartbeat").isTrue();
            }
            try (SseStream behind = SseStream.open(quiet.base(), sdk, String.valueOf(revision))) {
                // a fresh instance has no history to resume from: a snapshot, then the heartbeat
                Event snapshot = behind.next(Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("nothing within 5 s"));
                assertThat(snapshot.name()).isEqualTo("snapshot");
                assertThat(behind.next(Duration.ofSeconds(5))).hasValueSatisfying(e -> assertThat(e.isComment()).isTrue());
            }
            try (SseStream fresh = SseStream.open(quiet.base(), sdk, null)) {
                assertThat(fresh.nextEvent(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            }
        }
    }

    @Test
    void heartbeats_arrive_on_an_idle_stream() {
        try (SseStream stream = SseStream.open(server.base(), sdk, null)) {
            assertThat(stream.nextEvent(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            List<Event> seen = stream.during(HEARTBEAT.multipliedBy(5));
            assertThat(seen.stream().filter(e -> e.isComment() && e.data().equals("heartbeat")).count()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void the_server_ends_a_stream_after_its_lifetime() {
        try (TestServer shortLived = TestServer.start(databaseUrl, FeedSettings.DEFAULTS.withStreamLifetime(Duration.ofSeconds(1)));
             SseStream stream = SseStream.open(shortLived.base(), sdk, null)) {
            assertThat(stream.nextEvent(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            long opened = System.nanoTime();
            assertThat(stream.awaitEnd(Duration.ofSeconds(5))).as("ended by the server").isTrue();
            Duration lived = Duration.ofNanos(System.nanoTime() - opened);
            assertThat(lived).isBetween(Duration.ofMillis(600), Duration.ofMillis(2000));
        }
    }

    @Test
    void revoking_a_token_closes_its_stream_within_a_second() {
        JsonNode created = new Fixtures(admin).token(Map.of("name", "soon revoked sdk", "kind", "sdk",
                "project", "default", "environments", List.of("production")));
        String secret = created.get("secret").asText();
        long id = created.at("/token/id").asLong();
        try (SseStream stream = SseStream.open(server.base(), secret, null)) {
            assertThat(stream.nextEvent(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            assertThat(admin.delete("/api/v1/tokens/" + id).status()).isEqualTo(200);
            assertThat(stream.awaitEnd(Duration.ofSeconds(1))).as("closed within a second").isTrue();
        }
        assertThat(admin.as(secret).get("/sdk/v1/flags").status()).isEqualTo(401);
        SseStream refused = SseStream.open(server.base(), secret, null);
        assertThat(refused.status()).isEqualTo(401);
    }

    @Test
    void only_sdk_tokens_read_the_feed() {
        String pipeline = server.token("pipeline", "default", "production");
        for (String path : List.of("/sdk/v1/flags", "/sdk/v1/stream")) {
            assertThat(admin.as(null).get(path).status()).as(path).isEqualTo(401);
            assertThat(admin.as("dl_sdk_" + "x".repeat(40)).get(path).status()).as(path).isEqualTo(401);
            assertThat(admin.get(path).status()).as(path).isEqualTo(403);
            assertThat(admin.as(pipeline).get(path).status()).as(path).isEqualTo(403);
        }
        assertThat(admin.post("/sdk/v1/metrics", Map.of("flags", Map.of())).status()).isEqualTo(403);
        assertThat(admin.as(null).post("/sdk/v1/metrics", Map.of("flags", Map.of())).status()).isEqualTo(401);
        assertThat(admin.as(sdk).get(P + "/flags").status()).as("and SDK tokens read nothing else").isEqualTo(403);
    }

    @Test
    void a_token_holds_at_most_the_configured_number_of_streams_per_instance() {
        String capped = server.token("sdk", "default", "production");
        List<SseStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_STREAMS; i++) {
                open.add(SseStream.open(server.base(), capped, null));
                assertThat(open.get(i).status()).isEqualTo(200);
            }
            SseStream refused = SseStream.open(server.base(), capped, null);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.errorBody()).contains("too_many_requests");
            try (SseStream other = SseStream.open(server.base(), sdk, null)) { // closed: the other tests share this token
                assertThat(other.status()).as("other tokens are not affected").isEqualTo(200);
            }

            open.remove(0).close();
            SseStream again = Await.value(Duration.ofSeconds(5), Duration.ofMillis(100), "a stream accepted again", () -> {
                SseStream attempt = SseStream.open(server.base(), capped, null);
                return attempt.status() == 200 ? attempt : null;
            });
            open.add(again);
            int status = again.status();
            assertThat(status).as("a closed stream frees its place").isEqualTo(200);
        } finally {
            open.forEach(SseStream::close);
        }
    }

    @Test
    void evaluation_counts_are_accepted_and_recorded_per_flag_and_environment() throws Exception {
        Map<String, Object> report = Map.of("start", "2026-11-26T12:00:00Z", "end", "2026-11-26T12:01:00Z",
                "flags", Map.of("checkout", Map.of("0", 1200, "1", 34), "unknown-flag", Map.of("-1", 2)));
        assertThat(admin.as(sdk).post("/sdk/v1/metrics", report).status()).isEqualTo(202);
        assertThat(admin.as(sdk).post("/sdk/v1/metrics", Map.of("flags", Map.of("checkout", Map.of("0", 6)))).status())
                .isEqualTo(202);
        try (Connection connection = jdbc(databaseUrl);
             ResultSet rows = connection.createStatement().executeQuery("""
                     SELECT u.flag_key, u.evaluations, u.last_evaluated_at FROM flag_usage u
                     JOIN environments e ON e.id = u.environment_id WHERE e.key = 'production'""")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("checkout");
            assertThat(rows.getLong(2)).isEqualTo(1240);
            assertThat(rows.getTimestamp(3)).isNotNull();
            assertThat(rows.next()).as("unknown flags are not recorded").isFalse();
        }
        JsonNode environments = admin.get("/api/v1/projects/default/flags/checkout").json().get("environments");
        assertThat(environments.at("/production/lastEvaluatedAt").asText()).as("shown in the flag API").isNotEmpty();
        assertThat(environments.get("staging").has("lastEvaluatedAt")).as("never evaluated in staging").isFalse();
        for (Object bad : List.of(Map.of("flags", Map.of("checkout", Map.of("zero", 1))),
                Map.of("flags", Map.of("checkout", Map.of("0", -1))), Map.of("flags", List.of()), Map.of(),
                Map.of("flags", Map.of(), "extra", 1), Map.of("start", "yesterday", "flags", Map.of()))) {
            Http.Response response = admin.as(sdk).post("/sdk/v1/metrics", bad);
            assertThat(response.status()).as(bad + " → " + response).isEqualTo(400);
        }
    }

    @Test
    void a_usage_count_saturates_at_the_largest_count_and_later_reports_are_still_recorded() throws Exception {
        assertThat(admin.post(P + "/flags", flag("busy")).status()).isEqualTo(201);
        String staging = server.token("sdk", "default", "staging");
        Map<String, Object> huge = Map.of("flags", Map.of("busy", Map.of("0", Long.MAX_VALUE)));
        assertThat(admin.as(staging).post("/sdk/v1/metrics", huge).status()).isEqualTo(202);
        for (Map<String, Object> report : List.of(huge, Map.<String, Object>of("flags", Map.of("busy", Map.of("0", 1, "1", 2))))) {
            Http.Response response = admin.as(staging).post("/sdk/v1/metrics", report);
            assertThat(response.status()).as("a report after the count reached its largest value: %s", response).isEqualTo(202);
        }
        try (Connection connection = jdbc(databaseUrl);
             ResultSet rows = connection.createStatement().executeQuery("""
                     SELECT u.evaluations FROM flag_usage u JOIN environments e ON e.id = u.environment_id
                     WHERE e.key = 'staging' AND u.flag_key = 'busy'""")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void counts_and_times_of_a_usage_report_outside_their_range_are_400_naming_them() {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("{\"flags\":{\"checkout\":{\"0\":1.5}}}", "flags.checkout.0");
        bad.put("{\"flags\":{\"checkout\":{\"0\":1e3}}}", "flags.checkout.0");
        bad.put("{\"flags\":{\"checkout\":{\"0\":\"12\"}}}", "flags.checkout.0");
        bad.put("{\"flags\":{\"checkout\":{\"0\":-1}}}", "flags.checkout.0");
        bad.put("{\"flags\":{\"checkout\":{\"1\":9223372036854775808}}}", "flags.checkout.1");
        bad.put("{\"flags\":{\"checkout\":{\"1\":99999999999999999999999999999}}}", "flags.checkout.1");
        bad.put("{\"start\":\"+294277-01-01T00:00:00Z\",\"flags\":{}}", "start");
        bad.put("{\"end\":\"+999999999-12-31T23:59:59Z\",\"flags\":{}}", "end");
        bad.put("{\"start\":\"-4714-11-24T00:00:00Z\",\"flags\":{}}", "start");
        bad.forEach((body, field) -> {
            Http.Response response = admin.as(sdk).send("POST", "/sdk/v1/metrics", body, "application/json");
            assertThat(response.status()).as(body + " → " + response).isEqualTo(400);
            assertThat(response.json().path("field").asText()).as(body + " → " + response).isEqualTo(field);
            assertThat(response.json().get("message").asText()).as(body + " → " + response)
                    .containsAnyOf("whole numbers from 0 to 9223372036854775807", "from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z");
        });
    }

    @Test
    void metrics_show_open_streams_and_the_propagation_lag_publicly_and_the_revision_per_environment_to_admins() {
        long revision = awaitCurrent(server, sdk);
        try (SseStream stream = SseStream.open(server.base(), sdk, null)) {
            assertThat(stream.nextEvent(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            String metrics = admin.as(null).get("/metrics").text();
            assertThat(metrics).containsPattern("darklaunch_sdk_streams_open [1-9]");
            assertThat(metrics).contains("darklaunch_feed_propagation_lag_seconds_count");
            assertThat(metrics).as("no project or environment names in public").doesNotContain("darklaunch_feed_revision");
            String everything = admin.get("/api/v1/metrics").text();
            assertThat(everything).contains("darklaunch_feed_revision{environment=\"production\",project=\"default\"} " + revision + ".0");
            assertThat(everything).containsPattern("darklaunch_sdk_streams_open [1-9]");
        }
    }

    // --- helpers shared with the other feed tests ---

    static Map<String, Object> flag(String key) {
        return Map.of("key", key, "name", key, "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false)));
    }

    /** Switches the flag in production to the other state: always one new revision. */
    static void flip(String flag) {
        boolean on = admin.get(P + "/flags/" + flag + "/environments/production").json().at("/config/on").asBoolean();
        toggle(flag, !on);
    }

    private static void toggle(String flag, boolean on) {
        Http.Response response = admin.post(P + "/flags/" + flag + "/environments/production/" + (on ? "on" : "off"), null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    /** Waits until the feed serves the database's current revision of production; returns it. */
    static long awaitCurrent(TestServer server, String sdk) {
        long revision = server.admin().get(P + "/environments/production").json().get("revision").asLong();
        return awaitRevision(server, sdk, revision);
    }

    static long awaitRevision(TestServer server, String sdk, long revision) {
        long[] served = {-1};
        return Await.value(Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> "the feed did not reach revision " + revision + " (serves " + served[0] + ")", () -> {
                    Http.Response response = server.admin().as(sdk).get("/sdk/v1/flags");
                    if (response.status() == 200) {
                        served[0] = response.json().get("revision").asLong();
                    }
                    return served[0] >= revision ? served[0] : null;
                });
    }

    static JsonNode json(Event event) {
        try {
            return Http.mapper().readTree(event.data());
        } catch (Exception e) {
            throw new AssertionError("event data is not JSON: " + event, e);
        }
    }

    static List<String> keys(JsonNode flags) {
        List<String> keys = new ArrayList<>();
        flags.forEach(f -> keys.add(f.at("/flag/key").asText()));
        return keys;
    }

    static Connection jdbc(String url) throws Exception {
        java.net.URI uri = java.net.URI.create(url);
        String[] credentials = uri.getUserInfo().split(":", 2);
        return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
                credentials[0], credentials.length > 1 ? credentials[1] : "");
    }
}
