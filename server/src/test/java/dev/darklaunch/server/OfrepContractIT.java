package dev.darklaunch.server;

import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.OfrepFixture;
import dev.darklaunch.server.testing.OfrepSpec;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of OFREP answer, validated against the protocol's own OpenAPI document
 * ({@code shared/ofrep/openapi.yaml}) by a JSON-schema validator: successes of every value type,
 * a missing flag, a value the caller will read as another type, bad contexts, unreadable requests,
 * 401 and 403, bulk answers and 304.
 */
@DarklaunchServerTest
class OfrepContractIT {

    private static final String SINGLE_PATH = "/ofrep/v1/evaluate/flags/{key}";
    private static final String BULK_PATH = "/ofrep/v1/evaluate/flags";
    private static final Map<String, Object> CONTEXT = Map.of("context", Map.of("targetingKey", "user-1", "country", "NO"));

    @Given
    private static TestServer server;

    @Given
    private static Fixtures given;
    private static Http sdk;
    private static Http client;
    private static OfrepSpec spec;

    @BeforeAll
    static void start() {
        spec = OfrepSpec.load();
        OfrepFixture.create(server.admin());
        sdk = server.admin().as(server.token("sdk", "default", OfrepFixture.ENVIRONMENT));
        client = server.admin().as(OfrepFixture.clientToken(server.admin(), "https://shop.example.com"));
    }

    private static Http.Response single(Http http, String key, Object body) {
        return conforms("POST", SINGLE_PATH, http.post("/ofrep/v1/evaluate/flags/" + key, body));
    }

    private static Http.Response bulk(Http http, Object body) {
        return conforms("POST", BULK_PATH, http.post("/ofrep/v1/evaluate/flags", body));
    }

    private static Http.Response conforms(String method, String path, Http.Response response) {
        assertThat(spec.problems(method, path, response)).as(method + " " + path + " → " + response).isEmpty();
        return response;
    }

    @Test
    void successes_of_every_value_type_conform() {
        for (String key : List.of("on-off", "by-country", "rollout-30", "banner", "discount", "layout", "disabled",
                OfrepFixture.SERVER_ONLY)) {
            assertThat(single(sdk, key, CONTEXT).status()).as(key).isEqualTo(200);
        }
        Http.Response integer = single(sdk, "discount", Map.of("context", Map.of("targetingKey", "u", "plan", "premium")));
        assertThat(integer.json().get("value").isIntegralNumber()).isTrue();
        assertThat(single(client, "banner", CONTEXT).status()).isEqualTo(200);
    }

    /**
     * A flag that is off without an off variation defers to the caller's default: the protocol's
     * code-default answer (no value, no variant); flag metadata travels with every answer.
     */
    @Test
    void code_defaults_and_flag_metadata_conform() {
        java.util.Map<String, Object> config = new java.util.HashMap<>(Map.of("on", false, "fallthrough", Map.of("variation", 0),
                "metadata", Map.of("team", "growth", "priority", 2, "experiment", true)));
        config.put("offVariation", null);
        OfrepFixture.flag(server.admin(), OfrepFixture.bool("code-default", false), config);
        com.fasterxml.jackson.databind.JsonNode off = dev.darklaunch.server.testing.Await.value(java.time.Duration.ofSeconds(10),
                "the flag in the server's memory", () -> {
                    Http.Response answer = sdk.post("/ofrep/v1/evaluate/flags/code-default", CONTEXT);
                    return answer.status() == 200 && answer.json().has("metadata") ? answer : null;
                }).json();
        single(sdk, "code-default", CONTEXT);
        assertThat(off.has("value")).as("%s", off).isFalse();
        assertThat(off.has("variant")).as("%s", off).isFalse();
        assertThat(off.get("reason").asText()).isEqualTo("DISABLED");
        assertThat(off.get("metadata").toString()).isEqualTo("{\"experiment\":true,\"priority\":2,\"team\":\"growth\"}");

        config.put("on", true);
        OfrepFixture.configure(server.admin(), "code-default", config);
        com.fasterxml.jackson.databind.JsonNode on = dev.darklaunch.server.testing.Await.value(java.time.Duration.ofSeconds(10),
                "the change in the server's memory", () -> {
                    Http.Response answer = sdk.post("/ofrep/v1/evaluate/flags/code-default", CONTEXT);
                    return answer.json().has("value") ? answer : null;
                }).json();
        assertThat(on.get("value").asBoolean()).isTrue();
        assertThat(on.get("reason").asText()).isEqualTo("STATIC");
        assertThat(on.get("metadata").get("team").asText()).isEqualTo("growth");
    }

    @Test
    void the_validator_refuses_what_the_protocol_does_not_allow() {
        String success = "#/components/schemas/serverEvaluationSuccess";
        assertThat(spec.problems(success, "{\"key\":\"a\",\"value\":true,\"reason\":\"STATIC\",\"variant\":\"on\"}")).isEmpty();
        assertThat(spec.problems(success, "{\"key\":\"a\",\"reason\":\"STATIC\"}")).as("a code default").isEmpty();
        assertThat(spec.problems(success, "{\"key\":\"a\",\"value\":true,\"reason\":\"DEFAULT\"}")).as("a reason OFREP lacks").isNotEmpty();
        assertThat(spec.problems(success, "{\"value\":true,\"reason\":\"STATIC\"}")).as("no key").isNotEmpty();
        assertThat(spec.problems(success, "{\"key\":\"a\",\"value\":[1],\"reason\":\"STATIC\"}")).as("a list").isNotEmpty();
        assertThat(spec.problems("#/components/schemas/flagNotFound", "{\"key\":\"a\",\"errorCode\":\"GENERAL\"}")).isNotEmpty();
        // read literally, the document refuses every answer with a value (see OfrepSpec.corrected)
        assertThat(OfrepSpec.loadAsWritten().problems(success, "{\"key\":\"a\",\"value\":true,\"reason\":\"STATIC\"}"))
                .anySatisfy(problem -> assertThat(problem).contains("one and only one"));
    }

    @Test
    void event_stream_notifications_conform() throws Exception {
        Http.Response answer = bulk(client, CONTEXT);
        String address = answer.json().at("/eventStreams/0/endpoint/requestUri").asText();
        try (dev.darklaunch.server.testing.SseStream events = dev.darklaunch.server.testing.SseStream.open(
                server.base() + address, Map.of())) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(server.admin().post(OfrepFixture.P + "/flags/disabled/environments/production/on", null).status()).isEqualTo(200);
            dev.darklaunch.server.testing.SseStream.Event event = events.nextEvent(java.time.Duration.ofSeconds(10));
            assertThat(event.name()).isEqualTo("message");
            assertThat(event.id()).isNotBlank();
            assertThat(spec.problems("#/components/schemas/sseEventData", event.data())).as(event.data()).isEmpty();
        } finally {
            given.toggle("disabled", "production", false);
            // so no later test sees the flag switch back mid-way
            dev.darklaunch.server.testing.Await.until(java.time.Duration.ofSeconds(10), "the flag is off again",
                    () -> !sdk.post("/ofrep/v1/evaluate/flags/disabled", CONTEXT).json().path("value").asBoolean(true));
        }
    }

    @Test
    void a_missing_flag_conforms() {
        assertThat(single(sdk, "no-such-flag", CONTEXT).status()).isEqualTo(404);
        assertThat(single(client, OfrepFixture.SERVER_ONLY, CONTEXT).status()).isEqualTo(404);
    }

    @Test
    void bad_contexts_and_unreadable_requests_conform() {
        List<Object> bodies = List.of(Map.of("context", Map.of("country", "NO")), Map.of("context", Map.of("targetingKey", 42)),
                Map.of("context", "user-1"), Map.of(), Map.of("context", CONTEXT.get("context"), "flags", List.of("x")),
                "not json", "[1,2]");
        for (Object body : bodies) {
            assertThat(single(sdk, "on-off", body).status()).as(body.toString()).isEqualTo(400);
            assertThat(bulk(sdk, body).status()).as(body.toString()).isEqualTo(400);
        }
        Http.Response wrongType = conforms("POST", SINGLE_PATH,
                sdk.send("POST", "/ofrep/v1/evaluate/flags/on-off", "targetingKey=u", "application/x-www-form-urlencoded"));
        assertThat(wrongType.status()).isEqualTo(400);
    }

    @Test
    void authentication_and_authorization_failures_conform() {
        assertThat(single(sdk.as(null), "on-off", CONTEXT).status()).isEqualTo(401);
        assertThat(bulk(sdk.as("dl_sdk_" + "x".repeat(43)), CONTEXT).status()).isEqualTo(401);
        assertThat(single(sdk.as(TestServer.ADMIN_TOKEN), "on-off", CONTEXT).status()).isEqualTo(403);
        assertThat(bulk(client.with("Origin", "https://evil.example"), CONTEXT).status()).isEqualTo(403);
    }

    @Test
    void bulk_answers_and_304_conform() {
        Http.Response all = bulk(sdk, CONTEXT);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().get("flags").findValuesAsText("key")).as("every flag, to an sdk token")
                .containsAll(OfrepFixture.CLIENT_SIDE).contains(OfrepFixture.SERVER_ONLY);
        Http.Response browser = bulk(client, CONTEXT);
        assertThat(browser.status()).isEqualTo(200);
        assertThat(browser.json().get("flags").findValuesAsText("key")).as("client-side flags only, to a client token")
                .containsExactlyElementsOf(OfrepFixture.CLIENT_SIDE);
        Http.Response unchanged = bulk(client.with("If-None-Match", browser.header("ETag").orElseThrow()), CONTEXT);
        assertThat(unchanged.status()).isEqualTo(304);
    }
}
