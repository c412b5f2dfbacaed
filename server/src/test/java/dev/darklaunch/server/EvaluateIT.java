package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The evaluate preview: the SDK's evaluator over the environment's current data, with reasons. */
@DarklaunchServerTest
class EvaluateIT {

    private static final String P = "/api/v1/projects/default";
    private static final String EVALUATE = P + "/environments/production/evaluate";
    @Given
    private static TestServer server;
    @Given
    private static Fixtures given;
    @Given
    private static Http admin;

    @BeforeAll
    static void start() {
        given.flag(Map.of("key", "new-checkout", "name", "New checkout", "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false))));
        Http.Response put = admin.put(P + "/flags/new-checkout/environments/production", Map.of("on", true, "offVariation", 1,
                "targets", List.of(Map.of("variation", 0, "values", List.of("vip"))),
                "rules", List.of(Map.of("id", "norway", "clauses", List.of(Map.of("attribute", "country", "op", "in",
                        "values", List.of("NO"))), "serve", Map.of("variation", 0))),
                "fallthrough", Map.of("variation", 1)));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        given.flag(Map.of("key", "banner", "name", "Banner", "kind", "string",
                "variations", List.of(Map.of("value", "blue"), Map.of("value", "green"))));
    }

    @Test
    void each_flag_is_evaluated_with_its_reason() {
        JsonNode body = admin.post(EVALUATE, Map.of("context", Map.of("key", "user-1", "country", "NO"))).json();
        assertThat(body.get("revision").asLong()).isPositive();
        JsonNode checkout = body.at("/results/new-checkout");
        assertThat(checkout.get("value").asBoolean()).isTrue();
        assertThat(checkout.at("/reason/kind").asText()).isEqualTo("RULE_MATCH");
        assertThat(checkout.at("/reason/ruleIndex").asInt()).isZero();
        assertThat(checkout.at("/reason/ruleId").asText()).isEqualTo("norway");
        assertThat(body.at("/results/banner/reason/kind").asText()).isEqualTo("OFF");
        assertThat(body.at("/results/banner/value").asText()).isEqualTo("blue");

        JsonNode other = admin.post(EVALUATE, Map.of("context", Map.of("key", "user-2", "country", "SE"),
                "flags", List.of("new-checkout", "nope"))).json();
        assertThat(other.at("/results/new-checkout/value").asBoolean()).isFalse();
        assertThat(other.at("/results/new-checkout/reason/kind").asText()).isEqualTo("FALLTHROUGH");
        assertThat(other.get("unknownFlags")).extracting(JsonNode::asText).containsExactly("nope");

        JsonNode vip = admin.post(EVALUATE, Map.of("context", Map.of("key", "vip"))).json();
        assertThat(vip.at("/results/new-checkout/reason/kind").asText()).isEqualTo("TARGET_MATCH");
    }

    @Test
    void a_context_must_have_a_key_and_simple_attributes() {
        Http.Response noKey = admin.post(EVALUATE, Map.of("context", Map.of("country", "NO")));
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.json().get("field").asText()).isEqualTo("context.key");
        Http.Response nested = admin.post(EVALUATE, Map.of("context", Map.of("key", "u", "address", Map.of("city", "Oslo"))));
        assertThat(nested.status()).isEqualTo(400);
        assertThat(nested.json().get("field").asText()).isEqualTo("context.address");
        assertThat(admin.post(P + "/environments/moon/evaluate", Map.of("context", Map.of("key", "u"))).status()).isEqualTo(404);
    }

    @Test
    void a_pipeline_token_of_the_project_may_preview_and_an_sdk_token_may_not() {
        String pipeline = server.token("pipeline", "default", "staging");
        assertThat(admin.as(pipeline).post(EVALUATE, Map.of("context", Map.of("key", "u"))).status()).isEqualTo(200);
        String sdk = server.token("sdk", "default", "production");
        assertThat(admin.as(sdk).post(EVALUATE, Map.of("context", Map.of("key", "u"))).status()).isEqualTo(403);
    }
}
