package dev.darklaunch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requirements ({@link DarklaunchClient}, {@link DarklaunchConfig}): every typed getter and its
 * {@code …Detail} form serve the flag's value with the reason, or the caller's default with an error
 * reason (WRONG_TYPE, FLAG_NOT_FOUND, CLIENT_NOT_READY, INVALID_INPUT, MALFORMED_FLAG); no method
 * ever throws; {@code allFlags}; bootstrap data in the SDK feed's snapshot format, with a clear
 * {@link IllegalArgumentException} for anything else.
 */
class DarklaunchClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The SDK feed's snapshot format, as documented on {@link DarklaunchConfig.Builder#bootstrap}. */
    static final String BOOTSTRAP = """
            {
              "revision": 42,
              "flags": [
                {"flag": {"key": "new-checkout", "name": "New checkout", "kind": "boolean",
                          "variations": [{"value": true}, {"value": false}]},
                 "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 0},
                            "targets": [{"variation": 1, "values": ["u-excluded"]}]}},
                {"flag": {"key": "dark-feature", "name": "Dark", "kind": "boolean",
                          "variations": [{"value": true}, {"value": false}]},
                 "config": {"offVariation": 1, "fallthrough": {"variation": 0}}},
                {"flag": {"key": "greeting", "name": "Greeting", "kind": "string",
                          "variations": [{"value": "hello"}, {"value": "bonjour"}]},
                 "config": {"on": true, "offVariation": 0, "fallthrough": {"variation": 0},
                            "rules": [{"id": "french", "clauses": [{"attribute": "country", "op": "in", "values": ["FR", "BE"]}],
                                       "serve": {"variation": 1}}]}},
                {"flag": {"key": "limit", "name": "Limit", "kind": "number",
                          "variations": [{"value": 10}, {"value": 2.75}]},
                 "config": {"on": true, "offVariation": 0, "fallthrough": {"variation": 0},
                            "rules": [{"clauses": [{"attribute": "plan", "op": "in", "values": ["free"]}],
                                       "serve": {"variation": 1}}]}},
                {"flag": {"key": "theme", "name": "Theme", "kind": "json",
                          "variations": [{"value": {"color": "blue", "dense": false}}, {"value": [1, "two"]}]},
                 "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 0}}},
                {"flag": {"key": "beta-only", "name": "Beta only", "kind": "boolean",
                          "variations": [{"value": true}, {"value": false}]},
                 "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 1},
                            "rules": [{"clauses": [{"attribute": "x", "op": "segmentMatch", "values": ["beta"]}],
                                       "serve": {"variation": 0}}]}},
                {"flag": {"key": "broken", "name": "Broken", "kind": "boolean",
                          "variations": [{"value": true}, {"value": false}]},
                 "config": {"on": true, "offVariation": 7, "fallthrough": {"variation": 0}}}
              ],
              "segments": [{"key": "beta", "config": {"included": ["u-beta"]}}]
            }
            """;

    private static final Context USER = Context.of("u-1");

    private final DarklaunchClient client = DarklaunchClient.create(DarklaunchConfig.builder().bootstrap(BOOTSTRAP).build());
    private final DarklaunchClient notReady = DarklaunchClient.create(DarklaunchConfig.builder().build());

    @AfterEach
    void close() {
        client.close();
        notReady.close();
    }

    @Test
    void bootstrapDataMakesTheClientReady() {
        assertThat(client.isReady()).isTrue();
        assertThat(notReady.isReady()).isFalse();
    }

    @Test
    void isEnabledServesABooleanFlagsValue() {
        assertThat(client.isEnabled("new-checkout", USER)).isTrue();
        assertThat(client.isEnabled("new-checkout", Context.of("u-excluded"))).isFalse();
        assertThat(client.isEnabled("dark-feature", USER)).isFalse();
        assertThat(client.isEnabled("beta-only", Context.of("u-beta"))).isTrue();
        assertThat(client.isEnabled("beta-only", USER)).isFalse();
    }

    @Test
    void isEnabledIsFalseWheneverTheFlagCannotBeServed() {
        assertThat(client.isEnabled("greeting", USER)).as("wrong type").isFalse();
        assertThat(client.isEnabled("missing", USER)).as("not found").isFalse();
        assertThat(client.isEnabled("broken", USER)).as("malformed").isFalse();
        assertThat(client.isEnabled(null, USER)).as("no key").isFalse();
        assertThat(client.isEnabled("new-checkout", null)).as("no context").isFalse();
        assertThat(notReady.isEnabled("new-checkout", USER)).as("not ready").isFalse();
    }

    @Test
    void boolVariationAndDetail() {
        assertThat(client.boolVariation("new-checkout", USER, false)).isTrue();
        assertThat(client.boolVariationDetail("new-checkout", USER, false))
                .isEqualTo(new EvaluationDetail<>(true, 0, Reason.fallthrough(false)));
        assertThat(client.boolVariationDetail("new-checkout", Context.of("u-excluded"), true))
                .isEqualTo(new EvaluationDetail<>(false, 1, Reason.targetMatch()));
        assertThat(client.boolVariationDetail("dark-feature", USER, true))
                .isEqualTo(new EvaluationDetail<>(false, 1, Reason.off()));
    }

    @Test
    void stringVariationAndDetail() {
        assertThat(client.stringVariation("greeting", USER, "default")).isEqualTo("hello");
        assertThat(client.stringVariationDetail("greeting", Context.of("u-2").with("country", "BE"), "default"))
                .isEqualTo(new EvaluationDetail<>("bonjour", 1, Reason.ruleMatch(0, "french", false)));
    }

    @Test
    void intVariationTruncatesAndDoubleVariationDoesNot() {
        Context free = Context.of("u-2").with("plan", "free");
        assertThat(client.intVariation("limit", USER, -1)).isEqualTo(10);
        assertThat(client.doubleVariation("limit", USER, -1)).isEqualTo(10.0);
        assertThat(client.intVariationDetail("limit", free, -1)).isEqualTo(new EvaluationDetail<>(2, 1, Reason.ruleMatch(0, null, false)));
        assertThat(client.doubleVariationDetail("limit", free, -1)).isEqualTo(new EvaluationDetail<>(2.75, 1, Reason.ruleMatch(0, null, false)));
    }

    @Test
    void jsonVariationServesAnyKindAsJson() throws Exception {
        assertThat(client.jsonVariation("theme", USER, null)).isEqualTo(JSON.readTree("{\"color\": \"blue\", \"dense\": false}"));
        assertThat(client.jsonVariationDetail("theme", USER, null))
                .isEqualTo(new EvaluationDetail<>(JSON.readTree("{\"color\": \"blue\", \"dense\": false}"), 0, Reason.fallthrough(false)));
        assertThat(client.jsonVariation("new-checkout", USER, null)).isEqualTo(BooleanNode.TRUE);
        assertThat(client.jsonVariation("greeting", USER, null)).isEqualTo(TextNode.valueOf("hello"));
        assertThat(client.jsonVariation("limit", USER, null).numberValue().doubleValue()).isEqualTo(10.0);
    }

    @Test
    void aFlagOfAnotherKindServesTheDefaultWithWrongType() {
        Reason wrongType = Reason.error(Reason.ErrorKind.WRONG_TYPE);
        assertThat(client.boolVariationDetail("greeting", USER, true)).isEqualTo(new EvaluationDetail<>(true, -1, wrongType));
        assertThat(client.stringVariationDetail("new-checkout", USER, "dflt")).isEqualTo(new EvaluationDetail<>("dflt", -1, wrongType));
        assertThat(client.intVariationDetail("greeting", USER, 7)).isEqualTo(new EvaluationDetail<>(7, -1, wrongType));
        assertThat(client.doubleVariationDetail("theme", USER, 1.5)).isEqualTo(new EvaluationDetail<>(1.5, -1, wrongType));
        assertThat(client.boolVariationDetail("greeting", USER, true).isDefaultValue()).isTrue();
    }

    @Test
    void anUnknownFlagServesTheDefaultWithFlagNotFound() {
        Reason notFound = Reason.error(Reason.ErrorKind.FLAG_NOT_FOUND);
        assertThat(client.boolVariationDetail("missing", USER, true)).isEqualTo(new EvaluationDetail<>(true, -1, notFound));
        assertThat(client.stringVariationDetail("missing", USER, "d")).isEqualTo(new EvaluationDetail<>("d", -1, notFound));
        assertThat(client.intVariationDetail("missing", USER, 3)).isEqualTo(new EvaluationDetail<>(3, -1, notFound));
        assertThat(client.doubleVariationDetail("missing", USER, 0.5)).isEqualTo(new EvaluationDetail<>(0.5, -1, notFound));
        assertThat(client.jsonVariationDetail("missing", USER, TextNode.valueOf("d"))).isEqualTo(new EvaluationDetail<>(TextNode.valueOf("d"), -1, notFound));
    }

    @Test
    void aClientWithoutDataServesDefaultsWithClientNotReady() {
        Reason notReadyReason = Reason.error(Reason.ErrorKind.CLIENT_NOT_READY);
        assertThat(notReady.boolVariationDetail("new-checkout", USER, true)).isEqualTo(new EvaluationDetail<>(true, -1, notReadyReason));
        assertThat(notReady.stringVariationDetail("greeting", USER, "d")).isEqualTo(new EvaluationDetail<>("d", -1, notReadyReason));
        assertThat(notReady.intVariationDetail("limit", USER, 3)).isEqualTo(new EvaluationDetail<>(3, -1, notReadyReason));
        assertThat(notReady.doubleVariationDetail("limit", USER, 0.5)).isEqualTo(new EvaluationDetail<>(0.5, -1, notReadyReason));
        assertThat(notReady.jsonVariationDetail("theme", USER, null)).isEqualTo(new EvaluationDetail<>(null, -1, notReadyReason));
        assertThat(notReady.allFlags(USER)).isEmpty();
    }

    @Test
    void aMissingKeyOrContextServesTheDefaultWithInvalidInput() {
        Reason invalid = Reason.error(Reason.ErrorKind.INVALID_INPUT);
        assertThat(client.boolVariationDetail(null, USER, true)).isEqualTo(new EvaluationDetail<>(true, -1, invalid));
        assertThat(client.boolVariationDetail("new-checkout", null, true)).isEqualTo(new EvaluationDetail<>(true, -1, invalid));
        assertThat(client.stringVariationDetail(null, USER, "d").reason()).isEqualTo(invalid);
        assertThat(client.intVariationDetail("limit", null, 1).reason()).isEqualTo(invalid);
        assertThat(client.doubleVariationDetail(null, null, 1).reason()).isEqualTo(invalid);
        assertThat(client.jsonVariationDetail("theme", null, null).reason()).isEqualTo(invalid);
    }

    @Test
    void aMalformedFlagServesTheDefaultWithMalformedFlag() {
        assertThat(client.boolVariationDetail("broken", USER, true))
                .isEqualTo(new EvaluationDetail<>(true, -1, Reason.error(Reason.ErrorKind.MALFORMED_FLAG)));
    }

    @Test
    void nothingEverThrowsNotEvenForNullEverything() {
        for (DarklaunchClient each : List.of(client, notReady)) {
            assertThatCode(() -> {
                assertThat(each.isEnabled(null, null)).isFalse();
                assertThat(each.boolVariation(null, null, true)).isTrue();
                assertThat(each.boolVariationDetail(null, null, false).value()).isFalse();
                assertThat(each.stringVariation(null, null, null)).isNull();
                assertThat(each.stringVariationDetail(null, null, null).value()).isNull();
                assertThat(each.intVariation(null, null, 5)).isEqualTo(5);
                assertThat(each.intVariationDetail(null, null, 5).value()).isEqualTo(5);
                assertThat(each.doubleVariation(null, null, 5.5)).isEqualTo(5.5);
                assertThat(each.doubleVariationDetail(null, null, 5.5).value()).isEqualTo(5.5);
                assertThat(each.jsonVariation(null, null, null)).isNull();
                assertThat(each.jsonVariationDetail(null, null, null).value()).isNull();
                assertThat(each.allFlags(null)).isEmpty();
                assertThat(each.stringVariation("missing", USER, null)).isNull();
                assertThat(each.stringVariation("new-checkout", USER, null)).isNull();
                assertThat(each.jsonVariation("broken", USER, null)).isNull();
                each.isReady();
            }).doesNotThrowAnyException();
        }
    }

    @Test
    void allFlagsHasEveryEvaluableFlagsValueAsJsonByKey() throws Exception {
        assertThat(client.allFlags(Context.of("u-beta").with("country", "FR").with("plan", "free")))
                .containsExactly(
                        entry("beta-only", BooleanNode.TRUE),
                        entry("dark-feature", BooleanNode.FALSE),
                        entry("greeting", TextNode.valueOf("bonjour")),
                        entry("limit", JSON.readTree("2.75")),
                        entry("new-checkout", BooleanNode.TRUE),
                        entry("theme", JSON.readTree("{\"color\": \"blue\", \"dense\": false}")));
    }

    private static Map.Entry<String, JsonNode> entry(String key, JsonNode value) {
        return Map.entry(key, value);
    }

    @Test
    void bootstrapJsonMayLeaveOutOptionalParts() {
        String minimal = """
                {"revision": 1, "flags": [{"flag": {"key": "f", "name": "F", "kind": "boolean",
                  "variations": [{"value": true}, {"value": false}]}, "config": {"offVariation": 1, "fallthrough": {"variation": 0}}}]}
                """;
        try (DarklaunchClient minimalClient = DarklaunchClient.create(DarklaunchConfig.builder().bootstrap(minimal).build())) {
            assertThat(minimalClient.boolVariationDetail("f", USER, true)).isEqualTo(new EvaluationDetail<>(false, 1, Reason.off()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "{",
            "not json",
            "[]",
            "{\"flags\": 3}",
            "{\"flags\": [null]}",
            "{\"flags\": [{\"flag\": {\"key\": \"f\", \"name\": \"F\", \"kind\": \"boolean\", \"variations\": []}}]}",
            "{\"revision\": 1} trailing",
    })
    void bootstrapRejectsDataThatIsNotFlagDataWithAClearMessage(String json) {
        assertThatThrownBy(() -> DarklaunchConfig.builder().bootstrap(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bootstrap data is not valid flag data: ");
    }

    @Test
    void bootstrapRejectsNull() {
        assertThatThrownBy(() -> DarklaunchConfig.builder().bootstrap(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
