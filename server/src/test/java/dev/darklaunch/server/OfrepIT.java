package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.OfrepFixture;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.darklaunch.server.testing.OfrepFixture.P;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * OFREP on the server: single and bulk evaluation from the feed's memory with OpenFeature's
 * reasons, the bulk ETag that changes exactly when the answer does, and client tokens that see
 * client-side flags only, from the origins they list.
 */
@DarklaunchServerTest
class OfrepIT {

    private static final String SINGLE = "/ofrep/v1/evaluate/flags/";
    private static final String BULK = "/ofrep/v1/evaluate/flags";
    private static final String SHOP = "https://shop.example.com";
    /** The flag one test creates. */
    private static final String PLAIN = "plain";

    @Given
    private static TestServer server;
    @Given
    private static Fixtures given;
    @Given
    private static Http admin;
    private static Http sdk;
    private static Http client;

    @BeforeAll
    static void start() {
        OfrepFixture.create(admin);
        sdk = admin.as(server.token("sdk", "default", OfrepFixture.ENVIRONMENT));
        client = admin.as(OfrepFixture.clientToken(admin, SHOP, "http://localhost:5173"));
    }

    private static Map<String, Object> context(String key, Object... attributes) {
        Map<String, Object> context = new java.util.LinkedHashMap<>();
        context.put("targetingKey", key);
        for (int i = 0; i < attributes.length; i += 2) {
            context.put((String) attributes[i], attributes[i + 1]);
        }
        return Map.of("context", context);
    }

    @Test
    void each_kind_of_decision_answers_with_its_value_variant_and_reason() {
        JsonNode fixed = sdk.post(SINGLE + "on-off", context("u1")).json();
        assertThat(fixed.get("key").asText()).isEqualTo("on-off");
        assertThat(fixed.get("value").asBoolean()).isTrue();
        assertThat(fixed.get("reason").asText()).isEqualTo("STATIC");
        assertThat(fixed.get("variant").asText()).isEqualTo("0");

        answers(sdk.post(SINGLE + "by-country", context("u1", "country", "NO")).json(), "true", "TARGETING_MATCH");
        answers(sdk.post(SINGLE + "by-country", context("u1", "country", "SE")).json(), "false", "UNKNOWN");
        assertThat(sdk.post(SINGLE + "rollout-30", context("u1")).json().get("reason").asText()).isEqualTo("SPLIT");
        answers(sdk.post(SINGLE + "disabled", context("u1")).json(), "false", "DISABLED");
        JsonNode banner = sdk.post(SINGLE + "banner", context("u1", "plan", "premium")).json();
        assertThat(banner.get("value").asText()).isEqualTo("green");
        assertThat(banner.get("variant").asText()).isEqualTo("fresh");
        assertThat(sdk.post(SINGLE + "layout", context("u1")).json().get("value"))
                .isEqualTo(Http.mapper().valueToTree(Map.of("columns", 2, "theme", "dark")));
    }

    private static void answers(JsonNode answer, String value, String reason) {
        assertThat(answer.get("value").asText()).as(answer.toString()).isEqualTo(value);
        assertThat(answer.get("reason").asText()).as(answer.toString()).isEqualTo(reason);
    }

    @Test
    void a_30_percent_rollout_serves_about_30_percent_and_the_same_user_the_same_value() {
        int on = 0;
        for (int i = 0; i < 400; i++) {
            if (sdk.post(SINGLE + "rollout-30", context("user-" + i)).json().get("value").asBoolean()) {
                on++;
            }
        }
        assertThat(on).isBetween(80, 160);
        JsonNode first = sdk.post(SINGLE + "rollout-30", context("user-7")).json();
        assertThat(sdk.post(SINGLE + "rollout-30", context("user-7")).json()).isEqualTo(first);
    }

    @Test
    void a_missing_flag_is_404_flag_not_found() {
        Http.Response missing = sdk.post(SINGLE + "no-such-flag", context("u1"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("errorCode").asText()).isEqualTo("FLAG_NOT_FOUND");
        assertThat(missing.json().get("key").asText()).isEqualTo("no-such-flag");
    }

    @Test
    void a_context_without_targeting_key_is_400() {
        Http.Response response = sdk.post(SINGLE + "on-off", Map.of("context", Map.of("country", "NO")));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errorCode").asText()).isEqualTo("TARGETING_KEY_MISSING");
        Http.Response bulk = sdk.post(BULK, Map.of("context", Map.of("country", "NO")));
        assertThat(bulk.status()).isEqualTo(400);
        assertThat(bulk.json().get("errorCode").asText()).isEqualTo("TARGETING_KEY_MISSING");
    }

    @Test
    void bulk_answers_every_flag_in_key_order_for_an_sdk_token() {
        JsonNode flags = sdk.post(BULK, context("u1", "country", "NO")).json().get("flags");
        List<String> keys = new ArrayList<>();
        flags.forEach(flag -> keys.add(flag.get("key").asText()));
        keys.remove(PLAIN); // created by another test
        List<String> all = new ArrayList<>(OfrepFixture.CLIENT_SIDE);
        all.add(OfrepFixture.SERVER_ONLY);
        assertThat(keys).isEqualTo(all.stream().sorted().toList());
    }

    @Test
    void a_client_token_sees_client_side_flags_only_and_others_exactly_like_missing_ones() {
        JsonNode flags = client.post(BULK, context("u1")).json().get("flags");
        List<String> keys = new ArrayList<>();
        flags.forEach(flag -> keys.add(flag.get("key").asText()));
        keys.remove(PLAIN); // created by another test
        assertThat(keys).isEqualTo(OfrepFixture.CLIENT_SIDE);

        Http.Response hidden = client.post(SINGLE + OfrepFixture.SERVER_ONLY, context("u1"));
        Http.Response missing = client.post(SINGLE + "no-such-flag", context("u1"));
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.text()).isEqualTo(missing.text().replace("no-such-flag", OfrepFixture.SERVER_ONLY));
        assertThat(client.post(SINGLE + "on-off", context("u1")).status()).isEqualTo(200);
    }

    @Test
    void the_bulk_etag_changes_exactly_when_the_answer_for_that_context_changes() {
        Map<String, Object> norway = context("etag-user", "country", "NO");
        Http.Response first = client.post(BULK, norway);
        String etag = first.header("ETag").orElseThrow();
        Http.Response again = client.with("If-None-Match", etag).post(BULK, norway);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.text()).isEmpty();

        // a change no answer for this context depends on: a flag the client token does not see
        OfrepFixture.configure(admin, OfrepFixture.SERVER_ONLY, Map.of("on", false, "offVariation", 1, "fallthrough", Map.of("variation", 0)));
        awaitRevisionServed();
        assertThat(client.with("If-None-Match", etag).post(BULK, norway).status()).isEqualTo(304);

        // another context gets another answer, so another ETag
        assertThat(client.post(BULK, context("etag-user", "country", "SE")).header("ETag")).isNotEqualTo(Optional(etag));

        // a flip of a flag it sees
        given.toggle("on-off", "production", false);
        dev.darklaunch.server.testing.Await.until(java.time.Duration.ofSeconds(10), "the flip is served",
                () -> client.with("If-None-Match", etag).post(BULK, norway).status() == 200);
        Http.Response changed = client.with("If-None-Match", etag).post(BULK, norway);
        assertThat(changed.header("ETag").orElseThrow()).isNotEqualTo(etag);
        given.toggle("on-off", "production", true);
    }

    private static java.util.Optional<String> Optional(String value) {
        return java.util.Optional.of(value);
    }

    /** Waits until the SDK feed serves the latest revision, which OFREP evaluates from too. */
    private static void awaitRevisionServed() {
        long revision = admin.get(P + "/environments/production").json().path("revision").asLong();
        dev.darklaunch.server.testing.Await.until(java.time.Duration.ofSeconds(10), "revision " + revision + " is served",
                () -> sdk.get("/sdk/v1/flags").json().get("revision").asLong() >= revision);
    }

    @Test
    void cors_allows_the_origins_of_client_tokens_and_refuses_others() {
        Http.Response preflight = admin.as(null).with("Origin", SHOP).with("Access-Control-Request-Method", "POST")
                .with("Access-Control-Request-Headers", "authorization,content-type").send("OPTIONS", BULK, null, null);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).contains(SHOP);
        assertThat(preflight.header("Access-Control-Allow-Headers").orElseThrow()).containsIgnoringCase("authorization");

        Http.Response stranger = admin.as(null).with("Origin", "https://evil.example").with("Access-Control-Request-Method", "POST")
                .send("OPTIONS", BULK, null, null);
        assertThat(stranger.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(stranger.header("Access-Control-Allow-Methods")).isEmpty();

        Http.Response allowed = client.with("Origin", SHOP).post(BULK, context("u1"));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).contains(SHOP);
        assertThat(allowed.header("Access-Control-Expose-Headers").orElseThrow()).contains("ETag");

        Http.Response refused = client.with("Origin", "https://evil.example").post(BULK, context("u1"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Access-Control-Allow-Origin")).isEmpty();

        // an origin listed on another client token does not open this one
        String other = OfrepFixture.clientToken(admin, "https://blog.example.com");
        Http.Response crossed = admin.as(other).with("Origin", SHOP).post(BULK, context("u1"));
        assertThat(crossed.status()).isEqualTo(403);
        assertThat(crossed.header("Access-Control-Allow-Origin")).isEmpty();

        // SDK tokens belong on servers: no CORS headers for them
        Http.Response server = sdk.with("Origin", SHOP).post(BULK, context("u1"));
        assertThat(server.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void client_side_is_part_of_the_flag_definition_and_false_unless_said() {
        assertThat(admin.get(P + "/flags/banner").json().get("clientSide").asBoolean()).isTrue();
        assertThat(admin.post(P + "/flags", Map.of("key", "plain", "name", "Plain", "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false)))).json().path("clientSide").asBoolean()).isFalse();
        Map<String, Object> definition = new java.util.HashMap<>(OfrepFixture.bool("plain", true));
        definition.put("name", "Plain");
        Http.Response updated = admin.put(P + "/flags/plain", definition);
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().get("clientSide").asBoolean()).isTrue();
        dev.darklaunch.server.testing.Await.until(java.time.Duration.ofSeconds(10), "the client token sees it",
                () -> client.post(SINGLE + "plain", context("u1")).status() == 200);
    }

    @Test
    void a_page_hears_of_changes_on_the_event_stream_the_bulk_answer_names() {
        Map<String, Object> norway = context("stream-user", "country", "NO");
        Http.Response first = client.with("Origin", SHOP).post(BULK, norway);
        JsonNode stream = first.json().get("eventStreams").get(0);
        assertThat(stream.get("type").asText()).isEqualTo("sse");
        String address = stream.at("/endpoint/requestUri").asText();
        assertThat(address).startsWith("/ofrep/v1/events?token=dl_client_");
        assertThat(sdk.post(BULK, norway).json().has("eventStreams")).as("no secret of an SDK token in an address").isFalse();

        // as a browser's EventSource connects: no Authorization header, the page's Origin
        try (dev.darklaunch.server.testing.SseStream events = dev.darklaunch.server.testing.SseStream.open(
                server.base() + address, Map.of("Origin", SHOP))) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.header("Access-Control-Allow-Origin")).contains(SHOP);
            assertThat(admin.post(P + "/flags/by-country/environments/production/off", null).status()).isEqualTo(200);
            dev.darklaunch.server.testing.SseStream.Event event = events.nextEvent(java.time.Duration.ofSeconds(10));
            assertThat(event.name()).isEqualTo("message");
            assertThat(Http.mapper().readTree(event.data()).get("type").asText()).isEqualTo("refetchEvaluation");
            Http.Response refetched = client.with("If-None-Match", first.header("ETag").orElseThrow()).post(BULK, norway);
            assertThat(refetched.status()).isEqualTo(200);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            given.toggle("by-country", "production", true);
            awaitRevisionServed(); // so no later test sees the flag come back on mid-way
        }
        Http.Response badToken = admin.as(null).get("/ofrep/v1/events?token=dl_client_" + "x".repeat(43));
        assertThat(badToken.status()).isEqualTo(401);
    }

    @Test
    void revoking_a_client_token_ends_its_event_streams_at_once() {
        JsonNode created = given.token(Map.of("name", "soon revoked", "kind", "client", "project", "default",
                "environments", List.of("production"), "origins", List.of(SHOP)));
        String secret = created.get("secret").asText();
        try (dev.darklaunch.server.testing.SseStream events = dev.darklaunch.server.testing.SseStream.open(
                server.base() + "/ofrep/v1/events?token=" + secret, Map.of())) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(admin.delete("/api/v1/tokens/" + created.at("/token/id").asLong()).status()).isEqualTo(200);
            assertThat(events.awaitEnd(java.time.Duration.ofSeconds(10))).as("the stream ended").isTrue();
        }
        assertThat(admin.as(secret).post(BULK, context("u1")).status()).isEqualTo(401);
    }

    @Test
    void client_tokens_read_nothing_else() {
        for (String path : List.of(P + "/flags", P + "/flags/on-off", P + "/segments", "/api/v1/projects", "/sdk/v1/flags")) {
            assertThat(client.get(path).status()).as(path).isEqualTo(403);
        }
        assertThat(client.post(P + "/environments/production/evaluate", Map.of("context", Map.of("key", "u"))).status())
                .isEqualTo(403);
    }

    @Test
    void client_token_origins_are_checked() {
        for (String origin : List.of("https://shop.example.com/", "https://*.example.com", "ftp://x.example", "shop.example.com",
                "https://shop.example.com/path", "https://u:p@shop.example.com", "https://shop.example.com?x=1")) {
            Http.Response response = admin.post("/api/v1/tokens", Map.of("name", "w", "kind", "client", "project", "default",
                    "environments", List.of("production"), "origins", List.of(origin)));
            assertThat(response.status()).as(origin).isEqualTo(400);
            assertThat(response.json().get("field").asText()).isEqualTo("origins[0]");
        }
        Http.Response normalised = admin.post("/api/v1/tokens", Map.of("name", "w", "kind", "client", "project", "default",
                "environments", List.of("production"), "origins", List.of("HTTPS://Shop.Example.com:443", "http://localhost:5173")));
        assertThat(normalised.status()).isEqualTo(201);
        assertThat(normalised.json().at("/token/origins")).extracting(JsonNode::asText)
                .containsExactly("https://shop.example.com", "http://localhost:5173");
        Http.Response sdkWithOrigins = admin.post("/api/v1/tokens", Map.of("name", "w", "kind", "sdk", "project", "default",
                "environments", List.of("production"), "origins", List.of(SHOP)));
        assertThat(sdkWithOrigins.status()).isEqualTo(400);
    }
}
