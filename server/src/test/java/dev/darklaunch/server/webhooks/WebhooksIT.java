package dev.darklaunch.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.Config;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks against real servers and a real receiver: signed deliveries of flag changes and
 * deployments with before and after, Slack sentences, retries while the receiver is down —
 * in order and once per delivery id, across two instances and a restart — and bad input.
 */
@DarklaunchServerTest(servers = 2, adminPassword = true, config = "webhooks")
class WebhooksIT {

    private static final String P = "/api/v1/projects/default";
    private static final String PASSWORD = "webhooks test password";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Given
    private static TestServer a;
    @Given(server = 1)
    private static TestServer b;
    @Given
    private static Http admin;
    @Given
    private static Fixtures fixtures;
    @Given
    private static String databaseUrl;
    private static Receiver receiver;

    /** Receivers on loopback allowed (the test's own), short waits between attempts, a quick poll. */
    static Config webhooks(Config config) {
        return config.withWebhooks(WebhookSettings.DEFAULTS.withPrivateAddresses(true)
                .withRetries(Duration.ofMillis(100), Duration.ofMillis(800)).withPoll(Duration.ofMillis(100)));
    }

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        a.user("ada@example.com", PASSWORD, "editor");
        a.user("vic@example.com", PASSWORD, "viewer");
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void a_switched_off_flag_is_delivered_signed_with_before_and_after() {
        fixtures.booleanFlag("one-click-pay");
        JsonNode created = create(admin, Map.of("name", "ops", "url", receiver.url("/flags"), "events", List.of("flags")));
        String secret = created.get("secret").asText();
        long id = created.at("/webhook/id").asLong();
        fixtures.toggle("one-click-pay", "production", true);
        fixtures.toggle("one-click-pay", "production", false, Map.of("comment", "error rate up"));

        List<Receiver.Received> got = Await.value(WAIT, "both switches delivered",
                () -> receiver.at("/flags").size() >= 2 ? receiver.at("/flags") : null);
        assertThat(got).extracting(Receiver.Received::event).containsExactly("flag.on", "flag.off");
        Receiver.Received off = got.get(1);
        assertThat(off.signedWith(secret)).as("HMAC-SHA256 of the raw body with the secret").isTrue();
        JsonNode body = off.json();
        assertThat(off.deliveryId()).isEqualTo(id + "." + body.get("sequence").asLong()).isEqualTo(body.get("deliveryId").asText());
        assertThat(body.get("webhookId").asLong()).isEqualTo(id);
        assertThat(body.get("action").asText()).isEqualTo("flag.off");
        assertThat(body.get("flag").asText()).isEqualTo("one-click-pay");
        assertThat(body.get("environment").asText()).isEqualTo("production");
        assertThat(body.get("comment").asText()).isEqualTo("error rate up");
        assertThat(body.get("actor").asText()).isNotBlank();
        assertThat(body.get("at").asText()).isNotBlank();
        assertThat(body.at("/before/on").asBoolean()).as(body.toString()).isTrue();
        assertThat(body.at("/after/on").asBoolean()).as(body.toString()).isFalse();
        JsonNode log = admin.get(P + "/webhooks/" + id + "/deliveries").json().get("items");
        assertThat(log).hasSize(2);
        assertThat(log.get(0).get("deliveryId").asText()).isEqualTo(off.deliveryId());
        assertThat(log.get(0).get("succeeded").asBoolean()).isTrue();
        assertThat(log.get(0).get("status").asInt()).isEqualTo(204);
    }

    @Test
    void a_rolled_back_deployment_is_delivered_to_a_webhook_that_asks_for_deployments_only() {
        JsonNode created = create(admin, Map.of("name", "deploys", "url", receiver.url("/deployments"),
                "events", List.of("deployments")));
        String secret = created.get("secret").asText();
        long deployment = fixtures.deployment(Map.of("service", "checkout", "version", "2.0.0", "environment", "production",
                "flags", List.of("checkout-v2"))).get("id").asLong();
        fixtures.release(deployment, null);
        fixtures.rollback(deployment);

        Receiver.Received rollback = Await.value(WAIT, "the rollback delivered", () -> receiver.at("/deployments").stream()
                .filter(r -> "deployment.rollback".equals(r.event())).findFirst().orElse(null));
        assertThat(rollback.signedWith(secret)).isTrue();
        JsonNode body = rollback.json();
        assertThat(body.get("deploymentId").asLong()).isEqualTo(deployment);
        assertThat(body.get("before")).as(body.toString()).isNotNull();
        assertThat(body.get("after")).as(body.toString()).isNotNull();
        assertThat(body.get("before")).isNotEqualTo(body.get("after"));
        assertThat(receiver.at("/deployments")).extracting(Receiver.Received::event)
                .allMatch(event -> event.startsWith("deployment."))
                .contains("deployment.create", "deployment.rollback");
    }

    @Test
    void a_slack_webhook_hears_a_sentence() {
        fixtures.booleanFlag("one-click-slack");
        Http ada = a.signIn("ada@example.com", PASSWORD).http();
        create(ada, Map.of("name", "#releases", "url", receiver.url("/slack"), "format", "slack", "events", List.of("flags")));
        fixtures.as(ada).toggle("one-click-slack", "production", true);
        fixtures.as(ada).toggle("one-click-slack", "production", false, Map.of("comment", "error rate up"));

        List<Receiver.Received> got = Await.value(WAIT, "two sentences", () -> receiver.at("/slack").size() >= 2
                ? receiver.at("/slack") : null);
        assertThat(got.get(0).json().get("text").asText()).isEqualTo("Turned on one-click-slack in production (by ada@example.com)");
        assertThat(got.get(1).json().get("text").asText())
                .isEqualTo("Turned off one-click-slack in production — 'error rate up' (by ada@example.com)");
        assertThat(got.get(1).json().size()).as("only text, as Slack's incoming webhooks expect").isEqualTo(1);
    }

    @Test
    void deliveries_wait_out_a_receiver_that_is_down_and_then_arrive_in_order_once_each_across_two_instances_and_a_restart()
            throws Exception {
        fixtures.booleanFlag("outage");
        JsonNode created = create(admin, Map.of("name", "outage", "url", receiver.url("/outage"), "events", List.of("flags")));
        String secret = created.get("secret").asText();
        long id = created.at("/webhook/id").asLong();
        TestServer c = TestServer.start(databaseUrl, config -> webhooks(TestServer.withAdminPassword(config)));
        List<String> expected = new ArrayList<>();
        try {
            receiver.stop();
            boolean on = true;
            for (int i = 0; i < 6; i++, on = !on) {
                new Fixtures(i % 2 == 0 ? a.admin() : c.admin()).toggle("outage", "production", on);
                expected.add(on ? "flag.on" : "flag.off");
            }
            Await.until(WAIT, "several refused attempts logged", () -> {
                JsonNode log = admin.get(P + "/webhooks/" + id + "/deliveries").json().get("items");
                return log.size() >= 4;
            });
            JsonNode failing = admin.get(P + "/webhooks/" + id).json();
            assertThat(failing.get("failures").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(admin.get(P + "/webhooks/" + id + "/deliveries").json().get("items"))
                    .allMatch(attempt -> !attempt.get("succeeded").asBoolean() && attempt.has("error"));

            c.close(); // one instance restarts while the receiver is still down
            c = TestServer.start(databaseUrl, config -> webhooks(TestServer.withAdminPassword(config)));
            for (int i = 0; i < 2; i++, on = !on) {
                new Fixtures(c.admin()).toggle("outage", "production", on);
                expected.add(on ? "flag.on" : "flag.off");
            }
            receiver.start();

            Await.until(WAIT, "every change delivered", () -> receiver.at("/outage").size() >= expected.size());
            Await.until(WAIT, "the webhook caught up", () -> admin.get(P + "/webhooks/" + id).json().get("failures").asInt() == 0);
            Await.past(Instant.now().plusMillis(500)); // time for a duplicate to show, were there one
            List<Receiver.Received> got = receiver.at("/outage");
            assertThat(got).extracting(Receiver.Received::event).containsExactlyElementsOf(expected);
            assertThat(got).extracting(Receiver.Received::deliveryId).doesNotHaveDuplicates();
            assertThat(got).allMatch(r -> r.signedWith(secret));
            List<Long> sequences = got.stream().map(r -> r.json().get("sequence").asLong()).toList();
            assertThat(sequences).isSorted();
        } finally {
            c.close();
            receiver.start();
        }
    }

    @Test
    void an_event_committed_after_a_later_one_is_not_skipped() throws Exception {
        JsonNode created = create(admin, Map.of("name", "late", "url", receiver.url("/late"), "events", List.of("flags")));
        long id = created.at("/webhook/id").asLong();
        String insert = "INSERT INTO audit_events (actor, action, project, environment, target_kind, target_key)"
                + " VALUES ('test', 'flag.on', 'default', 'production', 'flag', '%s') RETURNING seq";
        try (Connection first = jdbc(databaseUrl); Connection second = jdbc(databaseUrl);
             Statement one = first.createStatement(); Statement two = second.createStatement()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            long early = seq(one.executeQuery(insert.formatted("takes-the-lower-sequence")));
            long later = seq(two.executeQuery(insert.formatted("commits-first")));
            assertThat(later).isGreaterThan(early);
            second.commit();
            Await.past(Instant.now().plusSeconds(1));
            assertThat(receiver.at("/late")).as("nothing goes out while an older transaction may still commit").isEmpty();
            first.commit();
        }
        List<Receiver.Received> got = Await.value(WAIT, "both events delivered",
                () -> receiver.at("/late").size() >= 2 ? receiver.at("/late") : null);
        assertThat(got).extracting(r -> r.json().get("targetKey").asText())
                .containsExactly("takes-the-lower-sequence", "commits-first");
        assertThat(got).extracting(Receiver.Received::deliveryId).allMatch(delivery -> delivery.startsWith(id + "."));
    }

    @Test
    void the_secret_is_shown_once_and_a_rotated_one_signs_what_follows() {
        fixtures.booleanFlag("rotated");
        JsonNode created = create(admin, Map.of("name", "rotating", "url", receiver.url("/rotate"), "events", List.of("flags")));
        String secret = created.get("secret").asText();
        long id = created.at("/webhook/id").asLong();
        assertThat(secret).startsWith("whsec_");
        assertThat(admin.get(P + "/webhooks/" + id).text()).doesNotContain(secret).doesNotContain("\"secret\"");
        assertThat(admin.get(P + "/webhooks").text()).doesNotContain(secret).doesNotContain("\"secret\"");
        assertThat(admin.get(P + "/audit").text()).doesNotContain(secret);

        Http.Response rotated = admin.post(P + "/webhooks/" + id + "/secret", null);
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        assertThat(rotated.header("Cache-Control")).contains("no-store");
        String next = rotated.json().get("secret").asText();
        assertThat(next).startsWith("whsec_").isNotEqualTo(secret);
        fixtures.toggle("rotated", "production", true);
        Receiver.Received got = Await.value(WAIT, "a delivery", () -> receiver.at("/rotate").stream().findFirst().orElse(null));
        assertThat(got.signedWith(next)).isTrue();
        assertThat(got.signedWith(secret)).isFalse();
    }

    @Test
    void a_past_delivery_can_be_sent_again_with_the_same_delivery_id() {
        fixtures.booleanFlag("again");
        long id = create(admin, Map.of("name", "again", "url", receiver.url("/again"), "events", List.of("flags")))
                .at("/webhook/id").asLong();
        fixtures.toggle("again", "production", true);
        Receiver.Received first = Await.value(WAIT, "a delivery", () -> receiver.at("/again").stream().findFirst().orElse(null));
        long event = first.json().get("sequence").asLong();

        Http.Response again = admin.post(P + "/webhooks/" + id + "/deliveries/" + event + "/redeliver", null);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("redelivery").asBoolean()).isTrue();
        assertThat(again.json().get("succeeded").asBoolean()).isTrue();
        assertThat(receiver.at("/again")).hasSize(2).extracting(Receiver.Received::deliveryId).containsOnly(first.deliveryId());
        assertThat(admin.post(P + "/webhooks/" + id + "/deliveries/999999999/redeliver", null).status()).isEqualTo(404);
        assertThat(admin.post(P + "/webhooks/999999/deliveries/" + event + "/redeliver", null).status()).isEqualTo(404);
    }

    @Test
    void bad_input_is_refused_with_the_field_and_nothing_is_created() {
        int before = admin.get(P + "/webhooks").json().size();
        String url = receiver.url("/never");
        Map<String, Map<String, Object>> cases = new java.util.LinkedHashMap<>();
        cases.put("url", Map.of("name", "x", "url", "ftp://example.com/"));
        cases.put("url ", Map.of("name", "x", "url", "file:///etc/passwd"));
        cases.put("url  ", Map.of("name", "x"));
        cases.put("url   ", Map.of("name", "x", "url", "http://127.0.0.1:" + URI.create(databaseUrl).getPort() + "/"));
        cases.put("name", Map.of("name", "x".repeat(101), "url", url));
        cases.put("name ", Map.of("name", " ", "url", url));
        cases.put("events", Map.of("name", "x", "url", url, "events", List.of("flags", "everything")));
        cases.put("events ", Map.of("name", "x", "url", url, "events", List.of()));
        cases.put("format", Map.of("name", "x", "url", url, "format", "xml"));
        cases.put("secret", Map.of("name", "x", "url", url, "secret", "mine"));
        cases.forEach((field, body) -> {
            Http.Response response = admin.post(P + "/webhooks", body);
            assertThat(response.status()).as(body + " → " + response).isEqualTo(400);
            assertThat(response.json().get("field").asText()).as(response.toString()).isEqualTo(field.strip());
        });
        for (String malformed : List.of("{\"name\": 5, \"url\": \"" + url + "\"}", "{\"name\": \"x\", \"url\": \"" + url
                + "\", \"events\": \"flags\"}", "{\"name\": \"x\", \"url\": \"" + url + "\", \"enabled\": \"yes\"}",
                "{\"name\": \"x\", \"url\": [\"" + url + "\"]}", "{\"name\": \"x\"", "[]", "null")) {
            Http.Response response = admin.send("POST", P + "/webhooks", malformed, "application/json");
            assertThat(response.status()).as(malformed + " → " + response).isEqualTo(400);
        }
        assertThat(admin.get(P + "/webhooks").json().size()).isEqualTo(before);

        long id = create(admin, Map.of("name", "patched", "url", url)).at("/webhook/id").asLong();
        Http.Response patch = admin.send("PATCH", P + "/webhooks/" + id, Map.of("url", "gopher://example.com/"), "application/json");
        assertThat(patch.status()).isEqualTo(400);
        assertThat(patch.json().get("field").asText()).isEqualTo("url");
        JsonNode unchanged = admin.get(P + "/webhooks/" + id).json();
        assertThat(unchanged.get("url").asText()).isEqualTo(url);
        assertThat(unchanged.get("events")).hasSize(EventKind.ALL.size());
        assertThat(admin.get(P + "/webhooks/nope").status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/projects/missing/webhooks").status()).isEqualTo(404);
        assertThat(admin.delete(P + "/webhooks/" + id).status()).isEqualTo(204);
        assertThat(admin.get(P + "/webhooks/" + id).status()).isEqualTo(404);
    }

    @Test
    void a_viewer_cannot_create_or_read_webhooks_and_an_editor_can() {
        Http vic = a.signIn("vic@example.com", PASSWORD).http();
        Map<String, Object> body = Map.of("name", "viewer's", "url", receiver.url("/viewer"));
        assertThat(vic.post(P + "/webhooks", body).status()).isEqualTo(403);
        assertThat(vic.get(P + "/webhooks").status()).isEqualTo(403);
        Http ada = a.signIn("ada@example.com", PASSWORD).http();
        long id = create(ada, body).at("/webhook/id").asLong();
        assertThat(vic.get(P + "/webhooks/" + id).status()).isEqualTo(403);
        assertThat(vic.get(P + "/webhooks/" + id + "/deliveries").status()).isEqualTo(403);
        Http.Response disabled = ada.send("PATCH", P + "/webhooks/" + id, Map.of("enabled", false), "application/json");
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
    }

    private static JsonNode create(Http http, Map<String, ?> body) {
        Http.Response response = http.post(P + "/webhooks", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.header("Cache-Control")).contains("no-store");
        return response.json();
    }

    private static long seq(ResultSet rows) throws Exception {
        rows.next();
        return rows.getLong(1);
    }

    private static Connection jdbc(String url) throws Exception {
        URI uri = URI.create(url);
        String[] credentials = uri.getUserInfo().split(":", 2);
        return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
                credentials[0], credentials.length > 1 ? credentials[1] : "");
    }
}
