package dev.darklaunch.server;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.SdkTestTimings;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.server.feed.EnvironmentKey;
import dev.darklaunch.server.feed.Feed;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What applications measure for a guarded release reaches the server's per-minute guard tables:
 * the real SDK, told by the real server's feed that a flag is guarded, counts exposures and
 * attributes events per served variation, and its reports are added to {@code guard_exposures}
 * and {@code guard_events}. Malformed samples are 400 naming the field and record nothing of the
 * report; samples of flags the token's environment does not guard are left out and counted, so an
 * SDK token cannot feed another environment's guards.
 *
 * <p>Nothing on the server marks a flag guarded yet (releases will): these tests put the mark into
 * the feed's memory, as a release would have it served, in projects of their own.
 */
@DarklaunchServerTest
class GuardSamplesIT {

    @Given
    private static String databaseUrl;
    @Given
    private static TestServer server;
    @Given
    private static Http admin;

    @Test
    void what_the_sdk_measures_for_a_guarded_flag_is_stored_per_variation_and_minute() throws Exception {
        releasedFlag("guards-sdk", "new-checkout");
        String token = server.token("sdk", "guards-sdk", "production");
        try (DarklaunchClient client = DarklaunchClient.create(SdkTestTimings.fast(DarklaunchConfig.builder()
                .baseUri(URI.create(server.base())).sdkToken(token)).initTimeout(Duration.ofSeconds(10)).build())) {
            assertThat(client.isEnabled("new-checkout", treatment(0))).isTrue();
            markGuarded("guards-sdk", "production", "new-checkout");
            // probes of the treatment until its exposures arrive: from then on the SDK counts for the guard
            Await.until(Duration.ofSeconds(30), "the SDK counting exposures of the guarded flag", () -> {
                client.isEnabled("new-checkout", treatment(0));
                return exposures("guards-sdk", "production", "new-checkout", 0) > 0;
            });

            for (int i = 0; i < 70; i++) {
                assertThat(client.isEnabled("new-checkout", control(i))).isFalse();
                client.track("latency", control(i), 4);
            }
            for (int i = 0; i < 30; i++) {
                client.track("latency", treatment(i), 10);
            }
            for (int i = 0; i < 3; i++) {
                client.trackError(treatment(i), new IllegalStateException("payment failed"));
            }
            client.trackError(control(0), new IllegalStateException("payment failed"));

            Await.until(Duration.ofSeconds(30), "the control's exposures and both arms' events stored",
                    () -> exposures("guards-sdk", "production", "new-checkout", 1) == 70
                            && events("guards-sdk", "production", "new-checkout", 0, "latency")[0] == 30
                            && events("guards-sdk", "production", "new-checkout", 1, "latency")[0] == 70
                            && events("guards-sdk", "production", "new-checkout", 0, "error")[0] == 3
                            && events("guards-sdk", "production", "new-checkout", 1, "error")[0] == 1);
        }
        assertThat(events("guards-sdk", "production", "new-checkout", 0, "latency")).containsExactly(30, 300, 3000);
        assertThat(events("guards-sdk", "production", "new-checkout", 1, "latency")).containsExactly(70, 280, 1120);
        assertThat(exposures("guards-sdk", "production", "new-checkout", 1)).as("exactly once each").isEqualTo(70);
    }

    @Test
    void malformed_samples_are_400_naming_the_field_and_record_nothing_of_the_report() {
        releasedFlag("guards-bad", "new-checkout");
        markGuarded("guards-bad", "production", "new-checkout");
        String sdk = server.token("sdk", "guards-bad", "production");
        Map<String, String> bad = new LinkedHashMap<>();
        String ok = "{\"flag\":\"new-checkout\",\"variation\":0,\"exposures\":5}";
        bad.put("[{\"flag\":\"new-checkout\",\"variation\":0,\"exposures\":-1}]", "guards[0].exposures");
        bad.put("[{\"flag\":\"new-checkout\",\"variation\":0,\"exposures\":9223372036854775808}]", "guards[0].exposures");
        bad.put("[{\"flag\":\"new-checkout\",\"variation\":0,\"exposures\":1.5}]", "guards[0].exposures");
        bad.put("[{\"flag\":\"new-checkout\",\"variation\":-1,\"exposures\":1}]", "guards[0].variation");
        bad.put("[{\"flag\":\"new-checkout\",\"variation\":\"0\",\"exposures\":1}]", "guards[0].variation");
        bad.put("[{\"flag\":\"new-checkout\",\"exposures\":1}]", "guards[0].variation");
        bad.put("[{\"flag\":\"\",\"variation\":0,\"exposures\":1}]", "guards[0].flag");
        bad.put("[" + ok + ",{\"flag\":\"new-checkout\",\"variation\":1,\"events\":[{\"name\":\"error\",\"count\":-3}]}]",
                "guards[1].events[0].count");
        bad.put("[{\"flag\":\"new-checkout\",\"variation\":1,\"events\":[{\"name\":\"latency\",\"count\":1,\"sum\":1e999}]}]",
                "guards[0].events[0].sum");
        bad.put("[{\"flag\":\"new-checkout\",\"variation\":1,\"events\":[{\"name\":\"latency\",\"count\":1,\"sum\":2,\"sumOfSquares\":-4}]}]",
                "guards[0].events[0].sumOfSquares");
        bad.put("[{\"flag\":\"new-checkout\",\"variation\":1,\"events\":[{\"name\":\"latency\",\"count\":2,\"sum\":20,\"sumOfSquares\":1}]}]",
                "guards[0].events[0].sumOfSquares");
        bad.put("[{\"flag\":\"new-checkout\",\"variation\":1,\"events\":[{\"name\":\"latency\",\"count\":0,\"sum\":3}]}]",
                "guards[0].events[0].sumOfSquares");
        bad.put("[{\"flag\":\"new-checkout\",\"variation\":1,\"events\":[{\"name\":\"\",\"count\":1}]}]", "guards[0].events[0].name");
        bad.put("[{\"flag\":\"new-checkout\",\"variation\":1,\"events\":[null]}]", "guards[0].events[0]");
        bad.put("[" + ok + ",null]", "guards[1]");
        bad.put("[{\"flag\":\"new-checkout\",\"variation\":0,\"exposures\":1,\"extra\":1}]", "guards[0].extra");
        bad.put("{}", "guards");
        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i <= 10_000; i++) {
            tooMany.append(i == 0 ? "" : ",").append(ok);
        }
        bad.put(tooMany.append("]").toString(), "guards");
        bad.forEach((guards, field) -> {
            String body = "{\"flags\":{\"new-checkout\":{\"0\":5}},\"guards\":" + guards + "}";
            Http.Response response = admin.as(sdk).send("POST", "/sdk/v1/metrics", body, "application/json");
            assertThat(response.status()).as(abbreviated(body) + " → " + response).isEqualTo(400);
            assertThat(response.json().path("field").asText()).as(abbreviated(body) + " → " + response).isEqualTo(field);
            assertThat(response.json().path("message").asText()).isNotBlank();
        });
        assertThat(exposures("guards-bad", "production", "new-checkout", 0)).as("nothing of a refused report").isZero();

        String good = "{\"flags\":{},\"guards\":[" + ok + "]}";
        assertThat(admin.as(sdk).send("POST", "/sdk/v1/metrics", good, "application/json").status()).isEqualTo(202);
        assertThat(exposures("guards-bad", "production", "new-checkout", 0)).isEqualTo(5);
    }

    @Test
    void samples_for_flags_the_tokens_environment_does_not_guard_are_left_out_and_counted() {
        releasedFlag("guards-other", "new-checkout");
        markGuarded("guards-other", "production", "new-checkout");
        String staging = server.token("sdk", "guards-other", "staging");
        String production = server.token("sdk", "guards-other", "production");
        double before = ignored("not-guarded") + ignored("unknown-flag") + ignored("no-such-variation");

        String body = """
                {"flags": {}, "guards": [
                  {"flag": "new-checkout", "variation": 0, "exposures": 1000, "events": [{"name": "error", "count": 1000}]},
                  {"flag": "no-such-flag", "variation": 0, "exposures": 7}]}""";
        Http.Response answer = admin.as(staging).send("POST", "/sdk/v1/metrics", body, "application/json");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        assertThat(exposures("guards-other", "production", "new-checkout", 0))
                .as("a staging token cannot feed production's guard").isZero();
        assertThat(exposures("guards-other", "staging", "new-checkout", 0)).as("staging guards nothing").isZero();
        assertThat(events("guards-other", "production", "new-checkout", 0, "error")[0]).isZero();

        String unknownVariation = """
                {"flags": {}, "guards": [{"flag": "new-checkout", "variation": 2, "exposures": 5},
                                         {"flag": "new-checkout", "variation": 1, "exposures": 5}]}""";
        assertThat(admin.as(production).send("POST", "/sdk/v1/metrics", unknownVariation, "application/json").status()).isEqualTo(202);
        assertThat(exposures("guards-other", "production", "new-checkout", 1)).as("the valid sample of the report").isEqualTo(5);
        assertThat(exposures("guards-other", "production", "new-checkout", 2)).isZero();
        assertThat(ignored("not-guarded") + ignored("unknown-flag") + ignored("no-such-variation") - before).isEqualTo(3.0);
    }

    @Test
    void counts_saturate_instead_of_overflowing_and_sums_add_up_across_reports() {
        releasedFlag("guards-huge", "new-checkout");
        markGuarded("guards-huge", "production", "new-checkout");
        String sdk = server.token("sdk", "guards-huge", "production");
        String body = "{\"flags\":{},\"guards\":[{\"flag\":\"new-checkout\",\"variation\":0,\"exposures\":" + Long.MAX_VALUE
                + ",\"events\":[{\"name\":\"latency\",\"count\":" + Long.MAX_VALUE + ",\"sum\":3,\"sumOfSquares\":9}]},"
                + "{\"flag\":\"new-checkout\",\"variation\":0,\"exposures\":5}]}";
        for (int i = 0; i < 3; i++) {
            Http.Response response = admin.as(sdk).send("POST", "/sdk/v1/metrics", body, "application/json");
            assertThat(response.status()).as(response.toString()).isEqualTo(202);
        }
        assertThat(exposures("guards-huge", "production", "new-checkout", 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(events("guards-huge", "production", "new-checkout", 0, "latency")).containsExactly(Long.MAX_VALUE, 9, 27);
    }

    /** A project with a flag serving true (variation 0) to contexts whose "arm" is "treatment", false to the rest, in production. */
    private static void releasedFlag(String project, String flag) {
        Fixtures given = new Fixtures(admin);
        given.project(project, project);
        given = given.inProject(project);
        given.booleanFlag(flag);
        given.configuration(flag, "production", Map.of("on", true, "offVariation", 1, "fallthrough", Map.of("variation", 1),
                "rules", List.of(Map.of("serve", Map.of("variation", 0),
                        "clauses", List.of(Map.of("attribute", "arm", "op", "in", "values", List.of("treatment")))))));
        EnvironmentKey key = new EnvironmentKey(project, "production");
        Await.until(Duration.ofSeconds(30), "the feed serving the released flag", () -> feed().data(key)
                .map(data -> data.flags().stream().anyMatch(f -> f.flag().key().equals(flag) && f.config().on()))
                .orElse(false));
    }

    /**
     * Marks a flag guarded in the feed's memory, as the next revision, which the feed sends to the
     * SDKs as a patch. (The project is the test's own: its later writes are not looked at.)
     */
    private static void markGuarded(String project, String environment, String flag) {
        EnvironmentKey key = new EnvironmentKey(project, environment);
        EnvironmentData data = feed().data(key).orElseThrow();
        List<EnvironmentFlag> flags = new ArrayList<>();
        for (EnvironmentFlag each : data.flags()) {
            flags.add(each.flag().key().equals(flag) ? new EnvironmentFlag(each.flag(), each.config(), true) : each);
        }
        feed().snapshot(key, new EnvironmentData(data.revision() + 1, flags, data.segments()));
        assertThat(feed().data(key).orElseThrow().flags()).anyMatch(f -> f.flag().key().equals(flag) && f.guarded());
    }

    private static Feed feed() {
        return server.server().feed();
    }

    private static Context treatment(int i) {
        return Context.of("t-" + i).with("arm", "treatment");
    }

    private static Context control(int i) {
        return Context.of("c-" + i).with("arm", "control");
    }

    private static String abbreviated(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    /** The public scrape's count of samples left out for {@code reason}. */
    private static double ignored(String reason) {
        String scrape = server.admin().as(null).get("/metrics").text();
        String prefix = "darklaunch_guards_samples_ignored_total{reason=\"" + reason + "\"";
        return scrape.lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static long exposures(String project, String environment, String flag, int variation) {
        try (Connection connection = SdkFeedIT.jdbc(databaseUrl);
             var statement = connection.prepareStatement("""
                     SELECT coalesce(sum(g.exposures), 0) FROM guard_exposures g
                     JOIN environments e ON e.id = g.environment_id JOIN projects p ON p.id = e.project_id
                     WHERE p.key = ? AND e.key = ? AND g.flag_key = ? AND g.variation = ?""")) {
            statement.setString(1, project);
            statement.setString(2, environment);
            statement.setString(3, flag);
            statement.setInt(4, variation);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBigDecimal(1).longValueExact();
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** {count, sum, sum of squares} of an event attributed to a variation, over all minutes (sums as whole numbers). */
    private static long[] events(String project, String environment, String flag, int variation, String name) {
        try (Connection connection = SdkFeedIT.jdbc(databaseUrl);
             var statement = connection.prepareStatement("""
                     SELECT coalesce(sum(g.count), 0), coalesce(sum(g.value_sum), 0), coalesce(sum(g.value_square_sum), 0)
                     FROM guard_events g
                     JOIN environments e ON e.id = g.environment_id JOIN projects p ON p.id = e.project_id
                     WHERE p.key = ? AND e.key = ? AND g.flag_key = ? AND g.variation = ? AND g.event_name = ?""")) {
            statement.setString(1, project);
            statement.setString(2, environment);
            statement.setString(3, flag);
            statement.setInt(4, variation);
            statement.setString(5, name);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new long[] {rows.getBigDecimal(1).longValueExact(), Math.round(rows.getDouble(2)), Math.round(rows.getDouble(3))};
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
