package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestDatabase;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signals from monitoring against a real server: Alertmanager's webhook, as its documentation
 * shows it, rolls the matching deployment back within the request (in production, where
 * rollbackOnFailure is on); unmatched alerts change nothing; replays are no-ops; resolved alerts
 * are recorded; elsewhere a firing alert pauses a running release; bad payloads are 400s.
 */
class SignalsIT {

    private static final String P = "/api/v1/projects/default";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestServer server;
    private static Http admin;
    private static Http pipeline;
    private static Fixtures given;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.fresh());
        admin = server.admin();
        pipeline = admin.as(server.token("pipeline", "default", "production", "staging"));
        given = new Fixtures(admin);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Alertmanager's webhook body (version 4), as its documentation describes it. */
    private static Map<String, Object> alertmanager(String status, Map<String, String> labels, String fingerprint) {
        return Map.of("version", "4", "groupKey", "{}:{alertname=\"" + labels.get("alertname") + "\"}", "truncatedAlerts", 0,
                "status", status, "receiver", "darklaunch", "groupLabels", Map.of("alertname", labels.get("alertname")),
                "commonLabels", labels, "commonAnnotations", Map.of("summary", "error rate above 5 %"),
                "externalURL", "http://alertmanager.example.com:9093",
                "alerts", List.of(Map.of("status", status, "labels", labels, "annotations", Map.of("summary", "error rate above 5 %"),
                        "startsAt", "2026-12-08T02:00:00.123Z", "endsAt", "0001-01-01T00:00:00Z",
                        "generatorURL", "http://prometheus.example.com:9090/graph?g0.expr=errors", "fingerprint", fingerprint)));
    }

    @Test
    void a_firing_alertmanager_alert_rolls_the_matching_deployment_back_at_once_and_a_replay_changes_nothing() {
        long id = deploy("payments", "production", "fast-pay");
        given.release(id, null);
        Map<String, Object> alert = alertmanager("firing", Map.of("alertname", "HighErrorRate", "service", "payments",
                "severity", "page"), "c4f2b5d6e7a8b9c0");

        long started = System.nanoTime();
        Http.Response answered = pipeline.post(P + "/environments/production/alerts", alert);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("Alertmanager alert → deployment rolled back, answered in " + millis + " ms");
        assertThat(answered.status()).as(answered.text()).isEqualTo(200);
        JsonNode outcome = answered.json().at("/items/0");
        assertThat(outcome.get("outcome").asText()).isEqualTo("rolled_back");
        assertThat(outcome.get("deployment").asLong()).isEqualTo(id);
        assertThat(outcome.get("alert").asText()).isEqualTo("HighErrorRate");
        assertThat(millis).as("rolled back within a second, in the request").isLessThan(1_000);

        JsonNode deployment = admin.get(P + "/deployments/" + id).json();
        assertThat(deployment.get("status").asText()).isEqualTo("rolled_back");
        assertThat(deployment.at("/flags/0/on").asBoolean()).isFalse();
        JsonNode audit = admin.get(P + "/audit?deployment=" + id).json().get("items");
        assertThat(find(audit, "deployment.rollback").get("actor").asText()).isEqualTo("policy:signal");
        assertThat(find(audit, "deployment.rollback").get("comment").asText())
                .isEqualTo("alert HighErrorRate firing (service=payments, severity=page); production rolls a deployment back on a firing alert");

        Http.Response replay = pipeline.post(P + "/environments/production/alerts", alert);
        assertThat(replay.json().at("/items/0/outcome").asText()).isEqualTo("repeated");
        assertThat(actions(id).stream().filter("deployment.signal"::equals).count()).as("recorded once").isEqualTo(1);

        Http.Response resolved = pipeline.post(P + "/environments/production/alerts", alertmanager("resolved",
                Map.of("alertname", "HighErrorRate", "service", "payments", "severity", "page"), "c4f2b5d6e7a8b9c0"));
        assertThat(resolved.json().at("/items/0/outcome").asText()).isEqualTo("recorded");
        assertThat(actions(id).stream().filter("deployment.signal"::equals).count()).as("the resolution is recorded").isEqualTo(2);
    }

    @Test
    void alerts_that_match_no_deployment_change_nothing() {
        long id = deploy("search", "production", "fuzzy-search");
        given.release(id, null);
        int before = admin.auditEvents();
        for (Map<String, String> labels : List.of(Map.of("alertname", "DiskFull", "instance", "db-1"),
                Map.of("alertname", "HighErrorRate", "service", "no-such-service"),
                Map.of("alertname", "HighErrorRate", "service", "search", "environment", "staging"))) {
            Http.Response answered = pipeline.post(P + "/environments/production/alerts", Map.of("alerts",
                    List.of(Map.of("status", "firing", "labels", labels))));
            assertThat(answered.status()).as(answered.text()).isEqualTo(200);
            assertThat(answered.json().at("/items/0/outcome").asText()).as(labels.toString()).isEqualTo("unmatched");
            assertThat(answered.json().at("/items/0").has("deployment")).isFalse();
        }
        assertThat(admin.auditEvents()).isEqualTo(before);
        assertThat(admin.get(P + "/deployments/" + id).json().at("/flags/0/on").asBoolean()).isTrue();
    }

    @Test
    void where_failures_do_not_roll_back_a_firing_alert_pauses_the_running_release() {
        long id = deploy("catalog", "staging", "new-catalog");
        given.release(id, Map.of("steps", List.of(Map.of("percentage", 10), Map.of("percentage", 100, "after", "PT1H"))));
        Http.Response answered = pipeline.post(P + "/deployments/" + id + "/signals",
                Map.of("status", "firing", "labels", Map.of("alertname", "SlowPages", "service", "catalog")));
        assertThat(answered.status()).as(answered.text()).isEqualTo(200);
        assertThat(answered.json().get("outcome").asText()).isEqualTo("paused");
        JsonNode deployment = admin.get(P + "/deployments/" + id).json();
        assertThat(deployment.at("/release/state").asText()).isEqualTo("paused");
        assertThat(deployment.at("/release/pausedBy").asText()).isEqualTo("policy:signal");
        assertThat(deployment.at("/release/pauseReason").asText()).startsWith("alert SlowPages firing (service=catalog)");
        assertThat(deployment.at("/flags/0/percentage").asDouble()).isEqualTo(10.0);
        Await.until(WAIT, "the timeline shows the signal", () -> timeline("staging").stream()
                .anyMatch(summary -> summary.contains("alert SlowPages firing")));
    }

    @Test
    void bad_signals_are_refused_with_the_field_at_fault() {
        long id = deploy("orders", "production", "bulk-orders");
        List<Object[]> cases = List.of(
                new Object[]{P + "/environments/production/alerts", Map.of("receiver", "x"), "alerts"},
                new Object[]{P + "/environments/production/alerts", Map.of("alerts", List.of(Map.of("status", "burning"))), "alerts[0].status"},
                new Object[]{P + "/environments/production/alerts", Map.of("alerts", List.of(Map.of("status", "firing",
                        "startsAt", "yesterday"))), "alerts[0].startsAt"},
                new Object[]{P + "/deployments/" + id + "/signals", Map.of("labels", Map.of("alertname", "X")), "status"},
                new Object[]{P + "/deployments/" + id + "/signals", Map.of("status", "firing", "fingerprint", ""), "fingerprint"});
        for (Object[] bad : cases) {
            Http.Response refused = pipeline.post((String) bad[0], bad[1]);
            assertThat(refused.status()).as(refused.text()).isEqualTo(400);
            assertThat(refused.json().get("field").asText()).as(refused.text()).isEqualTo(bad[2]);
        }
        Http.Response notText = pipeline.post(P + "/deployments/" + id + "/signals", Map.of("status", "firing", "labels", Map.of("n", 1)));
        assertThat(notText.status()).as(notText.text()).isIn(200, 400); // a number label reads as its text
        Http.Response nested = pipeline.post(P + "/deployments/" + id + "/signals", Map.of("status", "firing",
                "labels", Map.of("n", Map.of("deep", true))));
        assertThat(nested.status()).as(nested.text()).isEqualTo(400);
        assertThat(pipeline.post(P + "/environments/nowhere/alerts", Map.of("alerts", List.of())).status()).isIn(403, 404);
    }

    private static long deploy(String service, String environment, String flag) {
        return given.deployment(Map.of("service", service, "version", "2.0.0", "environment", environment, "flags", List.of(flag),
                "status", "succeeded")).get("id").asLong();
    }

    private static List<String> actions(long id) {
        List<String> actions = new ArrayList<>();
        admin.get(P + "/audit?deployment=" + id).json().get("items").forEach(e -> actions.add(e.get("action").asText()));
        return actions;
    }

    private static List<String> timeline(String environment) {
        List<String> summaries = new ArrayList<>();
        admin.get(P + "/environments/" + environment + "/timeline").json().get("items").forEach(e -> summaries.add(e.get("summary").asText()));
        return summaries;
    }

    private static JsonNode find(JsonNode audit, String action) {
        for (JsonNode event : audit) {
            if (event.get("action").asText().equals(action)) {
                return event;
            }
        }
        throw new AssertionError("no " + action + " in " + audit);
    }
}
