package dev.darklaunch.server;

import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.RoundTripCounter;
import dev.darklaunch.server.testing.TestDatabase;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.darklaunch.server.SdkFeedIT.P;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write waits for the database as few times as it can, counted on the wire between the server
 * and PostgreSQL: a toggle is begin, one statement, commit; so is a configuration write (its one
 * statement also reads what the validation needs; a change the validation refuses rolls back).
 * Only a flag that a running release ships costs one statement more, the pause of that release
 * (automation never overrides a person). A connection's first use of a statement adds one round
 * trip (prepare), later uses do not. An import writes each kind with one statement of arrays.
 */
class WriteRoundTripsIT {

    private static RoundTripCounter counter;
    private static TestServer server;

    @BeforeAll
    static void start() {
        String database = TestDatabase.fresh();
        counter = new RoundTripCounter(database);
        server = TestServer.start(counter.url(database));
        assertThat(server.admin().post(P + "/flags", SdkFeedIT.flag("counted")).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (counter != null) {
            counter.close();
        }
    }

    /** More writes than the pool has connections (16): some connection runs the write twice, its statements prepared. */
    private static final int WRITES = 20;

    @Test
    void a_toggle_is_three_statements_and_three_round_trips_once_its_statements_are_prepared() {
        for (int i = 0; i < WRITES; i++) {
            Http.Response switched = server.admin().post(P + "/flags/counted/environments/production/" + (i % 2 == 0 ? "on" : "off"),
                    Map.of("comment", "toggle-" + i + "-marker"));
            assertThat(switched.status()).as(switched.toString()).isEqualTo(200);
        }
        List<RoundTripCounter.Transaction> toggles = marked("toggle-");
        System.out.printf("a toggle: %d statements, %d to %d round trips; the first: %s%n", toggles.get(0).statements(),
                fewest(toggles), most(toggles), toggles.get(0).roundTrips());
        assertThat(toggles).allSatisfy(t -> assertThat(t.statements()).as(t.roundTrips().toString()).isLessThanOrEqualTo(3));
        assertThat(fewest(toggles)).isLessThanOrEqualTo(3);
    }

    @Test
    void a_configuration_write_is_three_statements_and_three_round_trips_once_its_statements_are_prepared() {
        for (int i = 0; i < WRITES; i++) {
            Map<String, Object> config = Map.of("on", true, "offVariation", 0, "fallthrough", Map.of("variation", 1),
                    "targets", List.of(Map.of("variation", 0, "values", List.of("someone-" + i))), "comment", "config-" + i + "-marker");
            Http.Response put = server.admin().put(P + "/flags/counted/environments/staging", config);
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
        }
        List<RoundTripCounter.Transaction> writes = marked("config-");
        System.out.printf("a configuration write: %d statements, %d to %d round trips; the first: %s%n",
                writes.get(0).statements(), fewest(writes), most(writes), writes.get(0).roundTrips());
        assertThat(writes).allSatisfy(t -> assertThat(t.statements()).as(t.roundTrips().toString()).isLessThanOrEqualTo(3));
        assertThat(fewest(writes)).isLessThanOrEqualTo(3);
    }

    /**
     * The one statement writes before the validation runs; a change the validation refuses rolls
     * back: 400, and the configuration, its version, the environment's revision and the audit log
     * stay as they were.
     */
    @Test
    void a_configuration_write_the_validation_refuses_leaves_no_trace() {
        String config = P + "/flags/counted/environments/development";
        Http.Response before = server.admin().get(config);
        long revision = server.admin().get(P + "/environments/development").json().get("revision").asLong();
        int events = server.admin().get(P + "/audit?flag=counted&limit=500").json().get("items").size();

        Http.Response refused = server.admin().put(config, Map.of("on", true, "offVariation", 0, "fallthrough", Map.of("variation", 1),
                "prerequisites", List.of(Map.of("flag", "no-such-flag", "variation", 0)), "comment", "refused-marker"));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().get("field").asText()).isEqualTo("prerequisites[0].flag");
        Http.Response after = server.admin().get(config);
        assertThat(after.json()).isEqualTo(before.json());
        assertThat(after.header("ETag")).isEqualTo(before.header("ETag"));
        assertThat(server.admin().get(P + "/environments/development").json().get("revision").asLong()).isEqualTo(revision);
        assertThat(server.admin().get(P + "/audit?flag=counted&limit=500").json().get("items").size()).isEqualTo(events);
        assertThat(counter.transactionsWith("refused-marker")).singleElement()
                .satisfies(t -> assertThat(t.roundTrips().get(t.count() - 1)).startsWith("ROLLBACK"));
    }

    /**
     * A 500-flag Unleash import (with segments they match) is a handful of round trips however
     * many flags it carries, and one revision per environment it changes: creating the flags
     * (every environment), then changing their configuration (the imported one); importing the
     * same again changes nothing. Round trips and wall time are printed for BENCHMARKS.md.
     */
    @Test
    void a_500_flag_import_is_a_handful_of_round_trips_and_one_revision_per_environment() {
        assertThat(server.admin().post("/api/v1/projects", Map.of("key", "bulk", "name", "Bulk")).status()).isEqualTo(201);
        List<Map<String, Object>> segments = java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> Map.<String, Object>of("id", i + 1, "name", "segment-" + i,
                        "constraints", List.of(Map.of("contextName", "country", "operator", "IN", "values", List.of("c" + i)))))
                .toList();
        Map<String, Long> before = revisions();

        Timed created = importBulk(bulk(segments, 0, "import-1-marker"));
        Map<String, Long> afterCreating = revisions();
        Timed changed = importBulk(bulk(segments, 1, "import-2-marker"));
        Map<String, Long> afterChanging = revisions();
        long start = System.nanoTime();
        Http.Response again = server.admin().post(BULK_IMPORT, bulk(segments, 1, "import-3-marker"));
        long againMillis = (System.nanoTime() - start) / 1_000_000;

        System.out.printf("a %d-flag import: creating them %d round trips, %d ms; changing every configuration %d round trips, "
                        + "%d ms; the same again (nothing changes) %d ms%n", IMPORTED, created.roundTrips(), created.millis(),
                changed.roundTrips(), changed.millis(), againMillis);
        assertThat(created.summary().at("/flags/created").size()).isEqualTo(IMPORTED);
        assertThat(changed.summary().at("/flags/updated").size()).isEqualTo(IMPORTED);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().at("/flags/unchanged").size()).isEqualTo(IMPORTED);
        before.forEach((environment, revision) -> assertThat(afterCreating.get(environment))
                .as("one revision for the import in " + environment).isEqualTo(revision + 1));
        afterCreating.forEach((environment, revision) -> assertThat(afterChanging.get(environment))
                .as("one revision in the imported environment, none elsewhere: " + environment)
                .isEqualTo(environment.equals("development") ? revision + 1 : revision));
        assertThat(revisions()).isEqualTo(afterChanging);
        assertThat(created.roundTrips()).isLessThanOrEqualTo(30); // a statement's first use on a connection prepares it
        assertThat(changed.roundTrips()).isLessThanOrEqualTo(30);
    }

    private static final String BULK_IMPORT = "/api/v1/projects/bulk/import/unleash?environment=development";

    /** 500 features, every fifth a rollout to a segment; {@code shift} moves which are enabled. */
    private static Map<String, Object> bulk(List<Map<String, Object>> segments, int shift, String comment) {
        List<Map<String, Object>> features = java.util.stream.IntStream.range(0, IMPORTED)
                .mapToObj(i -> Map.<String, Object>of("name", "bulk-%03d".formatted(i), "enabled", (i + shift) % 2 == 0,
                        "strategies", List.of(i % 5 == 0
                                ? Map.of("name", "flexibleRollout", "segments", List.of(i % 5 + 1),
                                "parameters", Map.of("rollout", "25", "stickiness", "userId", "groupId", "bulk-%03d".formatted(i)))
                                : Map.of("name", "default"))))
                .toList();
        return Map.of("version", 2, "features", features, "segments", segments, "comment", comment);
    }

    private static final int IMPORTED = 500;

    private record Timed(com.fasterxml.jackson.databind.JsonNode summary, int roundTrips, long millis) {
    }

    private static Timed importBulk(Map<String, Object> payload) {
        long start = System.nanoTime();
        Http.Response imported = server.admin().post(BULK_IMPORT, payload);
        long millis = (System.nanoTime() - start) / 1_000_000;
        List<RoundTripCounter.Transaction> transactions = counter.transactionsWith((String) payload.get("comment"));
        System.out.printf("an import of %d flags answered %d in %d ms after %s round trips%n", IMPORTED, imported.status(), millis,
                transactions.stream().map(t -> String.valueOf(t.count())).toList());
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        assertThat(transactions).hasSize(1);
        return new Timed(imported.json(), transactions.get(0).count(), millis);
    }

    private static Map<String, Long> revisions() {
        Map<String, Long> revisions = new java.util.TreeMap<>();
        server.admin().get("/api/v1/projects/bulk/environments").json().get("items").forEach(environment ->
                revisions.put(environment.get("key").asText(), environment.get("revision").asLong()));
        return revisions;
    }

    private static List<RoundTripCounter.Transaction> marked(String prefix) {
        List<RoundTripCounter.Transaction> found = new java.util.ArrayList<>();
        for (int i = 0; i < WRITES; i++) {
            List<RoundTripCounter.Transaction> one = counter.transactionsWith(prefix + i + "-marker");
            assertThat(one).as("one transaction carried marker " + i).hasSize(1);
            found.add(one.get(0));
        }
        return found;
    }

    private static int fewest(List<RoundTripCounter.Transaction> transactions) {
        return transactions.stream().mapToInt(RoundTripCounter.Transaction::count).min().orElseThrow();
    }

    private static int most(List<RoundTripCounter.Transaction> transactions) {
        return transactions.stream().mapToInt(RoundTripCounter.Transaction::count).max().orElseThrow();
    }
}
