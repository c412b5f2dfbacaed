package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluate preview with {@code ?explain=true}: each answer carries the evaluator's own steps —
 * the rules tried with the clause that failed and why, the segment's membership (included,
 * excluded, by a rule, none), prerequisites, targets, and a rollout's bucket and attribute.
 */
@DarklaunchServerTest
class EvaluateExplainIT {

    private static final String P = "/api/v1/projects/default";
    private static final String EXPLAIN = P + "/environments/production/evaluate?explain=true";
    @Given
    private static Fixtures given;
    @Given
    private static Http admin;

    @BeforeAll
    static void start() {
        given.segment(Map.of("key", "beta-testers", "name", "Beta testers"));
        given.segmentConfiguration("beta-testers", "production", Map.of("included", List.of("vip"), "excluded", List.of("banned"),
                "rules", List.of(Map.of("clauses", List.of(Map.of("attribute", "plan", "op", "in", "values", List.of("pro")))))));
        given.booleanFlag("explained-gate");
        given.configuration("explained-gate", "production", Map.of("on", true, "offVariation", 1, "fallthrough", Map.of("variation", 0)));
        given.booleanFlag("explained-checkout");
        given.configuration("explained-checkout", "production", Map.of("on", true, "offVariation", 1,
                "prerequisites", List.of(Map.of("flag", "explained-gate", "variation", 0)),
                "targets", List.of(Map.of("variation", 0, "values", List.of("target-me"))),
                "rules", List.of(
                        Map.of("id", "staff", "clauses", List.of(Map.of("attribute", "email", "op", "endsWith",
                                "values", List.of("@example.com"))), "serve", Map.of("variation", 0)),
                        Map.of("id", "beta", "clauses", List.of(Map.of("attribute", "segment", "op", "segmentMatch",
                                "values", List.of("beta-testers"))), "serve", Map.of("variation", 0)),
                        Map.of("id", "nordic-accounts", "clauses", List.of(Map.of("attribute", "country", "op", "in",
                                "values", List.of("NO", "SE"))), "serve", Map.of("rollout", Map.of("bucketBy", "accountId",
                                "variations", List.of(Map.of("variation", 0, "weight", 10_000), Map.of("variation", 1, "weight", 90_000)))))),
                "fallthrough", Map.of("variation", 1)));
    }

    private static JsonNode explain(Map<String, ?> context) {
        Http.Response response = admin.post(EXPLAIN, Map.of("context", context, "flags", List.of("explained-checkout")));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().at("/results/explained-checkout");
    }

    private static JsonNode step(JsonNode answer, String kind, int nth) {
        int seen = 0;
        for (JsonNode step : answer.get("explanation")) {
            if (step.get("step").asText().equals(kind) && seen++ == nth) {
                return step;
            }
        }
        throw new AssertionError("no " + kind + " step #" + nth + " in " + answer);
    }

    @Test
    void a_rollout_rule_names_each_failed_clause_before_it_the_segment_and_the_bucket() {
        JsonNode answer = explain(Map.of("key", "user-1", "country", "NO", "accountId", "acme", "email", "ola@elsewhere.org", "plan", "free"));

        assertThat(answer.at("/reason/kind").asText()).isEqualTo("RULE_MATCH");
        assertThat(answer.at("/reason/ruleIndex").asInt()).isEqualTo(2);
        JsonNode prerequisite = step(answer, "prerequisite", 0);
        assertThat(prerequisite.get("flag").asText()).isEqualTo("explained-gate");
        assertThat(prerequisite.get("met").asBoolean()).isTrue();
        assertThat(step(answer, "targets", 0).get("matched").asBoolean()).isFalse();

        JsonNode staff = step(answer, "rule", 0);
        assertThat(staff.get("id").asText()).isEqualTo("staff");
        assertThat(staff.get("matched").asBoolean()).isFalse();
        assertThat(staff.at("/clauses/0/attribute").asText()).isEqualTo("email");
        assertThat(staff.at("/clauses/0/op").asText()).isEqualTo("endsWith");
        assertThat(staff.at("/clauses/0/contextValue").asText()).isEqualTo("ola@elsewhere.org");
        assertThat(staff.at("/clauses/0/matched").asBoolean()).isFalse();

        JsonNode beta = step(answer, "rule", 1);
        assertThat(beta.at("/clauses/0/segments/0/segment").asText()).isEqualTo("beta-testers");
        assertThat(beta.at("/clauses/0/segments/0/membership").asText()).isEqualTo("none");
        assertThat(beta.get("matched").asBoolean()).isFalse();

        JsonNode rollout = step(answer, "rule", 2);
        assertThat(rollout.get("matched").asBoolean()).isTrue();
        assertThat(rollout.get("served").asInt()).isEqualTo(answer.get("variationIndex").asInt());
        JsonNode bucket = rollout.get("bucket");
        assertThat(bucket.get("bucketBy").asText()).isEqualTo("accountId");
        assertThat(bucket.get("value").asText()).isEqualTo("acme");
        assertThat(bucket.get("total").asLong()).isEqualTo(100_000);
        assertThat(bucket.get("variation").asInt()).isEqualTo(answer.get("variationIndex").asInt());
        long at = bucket.get("bucket").asLong();
        assertThat(at).isBetween(bucket.get("from").asLong(), bucket.get("to").asLong() - 1);
        assertThat(bucket.get("from").asLong()).isEqualTo(at < 10_000 ? 0 : 10_000);
        assertThat(answer.get("value").asBoolean()).isEqualTo(at < 10_000);
        // the same account lands in the same bucket whatever the user: bucketed by the attribute, not the key
        assertThat(explain(Map.of("key", "user-2", "country", "SE", "accountId", "acme")).at("/explanation/4/bucket/bucket").asLong())
                .isEqualTo(at);
    }

    @Test
    void a_segment_says_whether_the_context_is_included_excluded_or_matched_by_a_rule() {
        JsonNode included = step(explain(Map.of("key", "vip")), "rule", 1);
        assertThat(included.at("/clauses/0/segments/0/membership").asText()).isEqualTo("included");
        assertThat(included.get("matched").asBoolean()).isTrue();

        JsonNode excluded = step(explain(Map.of("key", "banned", "plan", "pro")), "rule", 1);
        assertThat(excluded.at("/clauses/0/segments/0/membership").asText()).isEqualTo("excluded");
        assertThat(excluded.get("matched").asBoolean()).isFalse();

        JsonNode byRule = step(explain(Map.of("key", "someone", "plan", "pro")), "rule", 1);
        assertThat(byRule.at("/clauses/0/segments/0/membership").asText()).isEqualTo("rule");
        assertThat(byRule.at("/clauses/0/segments/0/rule").asInt()).isZero();
    }

    @Test
    void a_missing_attribute_is_left_out_and_a_context_without_the_bucketing_attribute_falls_through() {
        JsonNode answer = explain(Map.of("key", "user-3", "country", "NO"));
        JsonNode staff = step(answer, "rule", 0);
        assertThat(staff.at("/clauses/0/matched").asBoolean()).isFalse();
        assertThat(staff.at("/clauses/0").has("contextValue")).as("the context has no email").isFalse();

        JsonNode nordic = step(answer, "rule", 2);
        assertThat(nordic.at("/clauses/0/matched").asBoolean()).isTrue();
        assertThat(nordic.get("matched").asBoolean()).isFalse();
        assertThat(nordic.at("/bucket/bucketBy").asText()).isEqualTo("accountId");
        assertThat(nordic.at("/bucket").has("value")).isFalse();
        assertThat(step(answer, "fallthrough", 0).get("served").asInt()).isEqualTo(1);
        assertThat(answer.at("/reason/kind").asText()).isEqualTo("FALLTHROUGH");
    }

    @Test
    void a_target_and_a_failed_prerequisite_decide_before_any_rule() {
        JsonNode targeted = explain(Map.of("key", "target-me"));
        assertThat(targeted.get("explanation")).extracting(s -> s.get("step").asText()).containsExactly("prerequisite", "targets");
        assertThat(step(targeted, "targets", 0).get("served").asInt()).isZero();

        given.configuration("explained-gate", "production", Map.of("on", true, "offVariation", 1, "fallthrough", Map.of("variation", 1)));
        try {
            JsonNode blocked = explain(Map.of("key", "target-me"));
            assertThat(blocked.get("explanation")).hasSize(1);
            JsonNode prerequisite = step(blocked, "prerequisite", 0);
            assertThat(prerequisite.get("met").asBoolean()).isFalse();
            assertThat(prerequisite.get("servedVariation").asInt()).isEqualTo(1);
            assertThat(prerequisite.get("requiredVariation").asInt()).isZero();
            assertThat(blocked.at("/reason/kind").asText()).isEqualTo("PREREQUISITE_FAILED");
        } finally {
            given.configuration("explained-gate", "production", Map.of("on", true, "offVariation", 1, "fallthrough", Map.of("variation", 0)));
        }
    }

    @Test
    void without_explain_the_answer_is_as_before_and_a_bad_explain_value_is_refused() {
        JsonNode plain = admin.post(P + "/environments/production/evaluate", Map.of("context", Map.of("key", "u"))).json();
        assertThat(plain.at("/results/explained-checkout").has("explanation")).isFalse();
        Http.Response bad = admin.post(P + "/environments/production/evaluate?explain=yes", Map.of("context", Map.of("key", "u")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("explain");
    }
}
