package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Security: regular expression compile bombs and prerequisite graphs whose evaluation would cost
 * seconds. A {@code matches} value {@code ((a{1000}){1000}){1000}} in a flag rule used to block an
 * event loop for 9.5 s and exhaust a 1 GiB heap; {@code (a{1000}){1000}} ×10 was accepted. Now
 * the model validator refuses them from the pattern's text, before compiling, in flag rules,
 * segment rules and Unleash imports alike (400 naming the field and the limit, quickly), and the
 * server answers other requests meanwhile. Prerequisites: cycles and graphs with too many paths
 * are refused when saving, a deep acyclic chain is accepted.
 */
@DarklaunchServerTest
class EvaluationLimitsIT {

    private static final String P = "/api/v1/projects/default";
    private static final String BOMB = "((a{1000}){1000}){1000}";
    /** Far above the milliseconds a refusal takes, far below the seconds compiling a bomb took. */
    private static final Duration QUICKLY = Duration.ofSeconds(3);
    @Given
    private static TestServer server;
    @Given
    private static Http admin;

    @Test
    void a_bomb_in_a_flag_rule_is_refused_quickly_and_the_server_stays_responsive() {
        createFlag("bomb-target");
        String config = P + "/flags/bomb-target/environments/production";
        CompletableFuture<List<Http.Response>> bombs = CompletableFuture.supplyAsync(() -> {
            List<Http.Response> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(admin.put(config, withRule(List.of(BOMB))));
                answers.add(admin.put(config, withRule(Collections.nCopies(10, "(a{1000}){1000}"))));
            }
            return answers;
        });
        // meanwhile the server answers other requests at once
        for (int i = 0; i < 10; i++) {
            long started = System.nanoTime();
            assertThat(admin.get(P + "/flags/bomb-target").status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(QUICKLY);
        }
        for (Http.Response answer : bombs.join()) {
            assertRefused(answer, "rules[0].clauses[0].values[0]");
        }
        long started = System.nanoTime();
        Http.Response one = admin.put(config, withRule(List.of(BOMB)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(QUICKLY);
        assertRefused(one, "rules[0].clauses[0].values[0]");

        // a sane pattern is accepted and evaluates
        Http.Response sane = admin.put(config, withRule(List.of("^[a-z0-9._%+-]{1,64}@example\\.com$", "[0-9]{1,1000}")));
        assertThat(sane.status()).as(sane.text()).isEqualTo(200);
        Http.Response evaluated = admin.post(P + "/environments/production/evaluate",
                Map.of("context", Map.of("key", "u-1", "email", "ada@example.com"), "flags", List.of("bomb-target")));
        assertThat(evaluated.json().at("/results/bomb-target/value").asBoolean()).as(evaluated.text()).isTrue();
    }

    @Test
    void a_bomb_in_a_segment_rule_is_refused_quickly() {
        Http.Response created = admin.post(P + "/segments", Map.of("key", "bombed", "name", "Bombed"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long started = System.nanoTime();
        Http.Response refused = admin.put(P + "/segments/bombed/environments/production", Map.of("rules", List.of(
                Map.of("clauses", List.of(Map.of("attribute", "email", "op", "matches", "values", List.of(BOMB)))))));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(QUICKLY);
        assertRefused(refused, "rules[0].clauses[0].values[0]");
    }

    @Test
    void a_segment_change_that_makes_a_flag_using_it_too_costly_is_refused_naming_the_flag() {
        assertThat(admin.post(P + "/segments", Map.of("key", "heavy", "name", "Heavy")).status()).isEqualTo(201);
        createFlag("uses-heavy");
        Map<String, Object> inHeavy = Map.of("attribute", "key", "op", "segmentMatch", "values", List.of("heavy"));
        Http.Response flag = admin.put(P + "/flags/uses-heavy/environments/production", Map.of("on", true, "offVariation", 1,
                "fallthrough", Map.of("variation", 1), "rules", List.of(Map.of("clauses", List.of(inHeavy, inHeavy, inHeavy, inHeavy),
                        "serve", Map.of("variation", 0)))));
        assertThat(flag.status()).as(flag.text()).isEqualTo(200);
        // seven patterns of about 2 000 instructions: 14 000 units for the segment, fine alone; four times over in the flag
        Map<String, Object> patterns = Map.of("rules", List.of(Map.of("clauses", List.of(Map.of("attribute", "id", "op", "matches",
                "values", Collections.nCopies(7, "[0-9]{1,1000}"))))));
        Http.Response refused = admin.put(P + "/segments/heavy/environments/production", patterns);
        assertRefusedWith(refused, "rules", "flag 'uses-heavy' matches this segment");
        assertThat(refused.json().get("message").asText()).contains("at most 50000");
    }

    @Test
    void a_bomb_in_an_unleash_regex_constraint_is_refused_quickly() {
        Map<String, Object> payload = Map.of("version", 2, "features", List.of(Map.of("name", "regex-bomb", "enabled", true,
                "strategies", List.of(Map.of("name", "default", "constraints", List.of(Map.of("contextName", "email",
                        "operator", "REGEX", "values", List.of(), "value", BOMB)))))));
        long started = System.nanoTime();
        Http.Response refused = admin.post(P + "/import/unleash?environment=production", payload);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(QUICKLY);
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.json().get("field").asText()).startsWith("features[0]");
        assertThat(refused.json().get("message").asText()).contains("too large once compiled", "at most 10000");
        assertThat(admin.get(P + "/flags/regex-bomb").status()).as("nothing written").isEqualTo(404);
    }

    @Test
    void a_deep_acyclic_chain_is_accepted_and_a_cycle_is_refused_naming_the_prerequisite() {
        for (int i = 0; i <= 25; i++) {
            createFlag("chain-" + i);
        }
        for (int i = 24; i >= 0; i--) {
            Http.Response linked = admin.put(P + "/flags/chain-" + i + "/environments/production", onRequiring("chain-" + (i + 1)));
            assertThat(linked.status()).as(linked.text()).isEqualTo(200);
        }
        Http.Response evaluated = admin.post(P + "/environments/production/evaluate",
                Map.of("context", Map.of("key", "u-1"), "flags", List.of("chain-0")));
        assertThat(evaluated.json().at("/results/chain-0/reason/kind").asText()).as(evaluated.text()).isNotEqualTo("ERROR");

        Http.Response cycle = admin.put(P + "/flags/chain-25/environments/production", onRequiring("chain-3"));
        assertRefusedWith(cycle, "prerequisites[0]", "cycle");
        assertThat(cycle.json().get("message").asText()).contains("chain-25 → chain-3 → chain-4");
    }

    @Test
    void a_prerequisite_graph_with_too_many_paths_is_refused_naming_the_prerequisite() {
        // seven layers of three flags, each requiring the whole next layer: from layer 0, 3 + 9 + … + 729 = 1092 paths
        for (int layer = 6; layer >= 0; layer--) {
            for (int k = 0; k < 3; k++) {
                String key = "fan-" + layer + "-" + k;
                createFlag(key);
                List<String> next = layer == 6 ? List.of() : List.of("fan-" + (layer + 1) + "-0", "fan-" + (layer + 1) + "-1",
                        "fan-" + (layer + 1) + "-2");
                Http.Response linked = admin.put(P + "/flags/" + key + "/environments/production", onRequiring(next.toArray(String[]::new)));
                if (layer > 0) {
                    assertThat(linked.status()).as(key + ": " + linked.text()).isEqualTo(200);
                } else {
                    // 364, 728, then 1092 at the third prerequisite
                    assertRefusedWith(linked, "prerequisites[2]", "at most 1000");
                }
            }
        }
        // a change deep down that would take the flags requiring it over the bound is refused too, naming one of them
        List<String> extras = new ArrayList<>();
        for (int k = 0; k < 9; k++) {
            createFlag("extra-" + k);
            extras.add("extra-" + k);
        }
        Http.Response deep = admin.put(P + "/flags/fan-6-0/environments/production", onRequiring(extras.toArray(String[]::new)));
        assertRefusedWith(deep, "prerequisites", "flag 'fan-1-0' requires this flag (directly or through other prerequisites)");
        assertThat(deep.json().get("message").asText()).contains("at most 1000");
        Http.Response fewer = admin.put(P + "/flags/fan-6-0/environments/production", onRequiring("extra-0", "extra-1", "extra-2"));
        assertThat(fewer.status()).as("81 paths to it × 3 more: 606 from layer 1").isEqualTo(200);
    }

    private static void createFlag(String key) {
        Http.Response created = admin.post(P + "/flags", Map.of("key", key, "name", key, "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false))));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    private static Map<String, Object> withRule(List<String> patterns) {
        return Map.of("on", true, "offVariation", 1, "fallthrough", Map.of("variation", 1), "rules", List.of(Map.of(
                "clauses", List.of(Map.of("attribute", "email", "op", "matches", "values", patterns)), "serve", Map.of("variation", 0))));
    }

    private static Map<String, Object> onRequiring(String... keys) {
        List<Map<String, Object>> prerequisites = new ArrayList<>();
        for (String key : keys) {
            prerequisites.add(Map.of("flag", key, "variation", 0));
        }
        return Map.of("on", true, "offVariation", 1, "fallthrough", Map.of("variation", 0), "prerequisites", prerequisites);
    }

    private static void assertRefused(Http.Response response, String field) {
        assertRefusedWith(response, field, "too large once compiled");
        assertThat(response.json().get("message").asText()).contains("at most 10000");
    }

    private static void assertRefusedWith(Http.Response response, String field, String message) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        JsonNode body = response.json();
        assertThat(body.get("field").asText()).isEqualTo(field);
        assertThat(body.get("message").asText()).contains(message);
    }
}
