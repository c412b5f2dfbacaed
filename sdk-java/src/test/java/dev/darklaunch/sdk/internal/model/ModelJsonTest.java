package dev.darklaunch.sdk.internal.model;

import static dev.darklaunch.sdk.internal.model.Fixtures.booleanFlag;
import static dev.darklaunch.sdk.internal.model.Fixtures.read;
import static dev.darklaunch.sdk.internal.model.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON form of the model: a documented example, round trips and strict reading. */
class ModelJsonTest {
    private static final ObjectMapper JSON = ModelJson.mapper();

    static final String FLAG_JSON = """
            {
              "key": "checkout-flow",
              "name": "Checkout flow",
              "description": "Which checkout page people see",
              "kind": "string",
              "variations": [
                {"value": "classic", "name": "Classic"},
                {"value": "one-page", "description": "Everything on one page"},
                {"value": "wizard"}
              ],
              "tags": ["checkout", "team:payments"],
              "owner": "payments-team",
              "lifecycle": "permanent",
              "archived": false
            }
            """;

    static final String CONFIG_JSON = """
            {
              "on": true,
              "offVariation": 0,
              "targets": [{"variation": 1, "values": ["alice", "bob"]}],
              "rules": [
                {
                  "id": "staff",
                  "description": "Staff try everything first",
                  "clauses": [
                    {"attribute": "email", "op": "endsWith", "values": ["@darklaunch.dev"], "caseInsensitive": true},
                    {"attribute": "key", "op": "in", "values": ["carol", 42, true]},
                    {"attribute": "name", "op": "startsWith", "values": ["Dr. "]},
                    {"attribute": "name", "op": "contains", "values": ["test"], "negate": true},
                    {"attribute": "userAgent", "op": "matches", "values": ["Firefox/1[2-9][0-9]"]},
                    {"attribute": "age", "op": "numberEq", "values": [30]},
                    {"attribute": "age", "op": "numberLt", "values": [99.5]},
                    {"attribute": "age", "op": "numberLte", "values": [65]},
                    {"attribute": "age", "op": "numberGt", "values": [0]},
                    {"attribute": "score", "op": "numberGte", "values": [-1e3]},
                    {"attribute": "appVersion", "op": "semverEq", "values": ["2.0.0"]},
                    {"attribute": "appVersion", "op": "semverLt", "values": ["3.0.0-rc.1"]},
                    {"attribute": "appVersion", "op": "semverLte", "values": ["2.5.0+build.7"]},
                    {"attribute": "appVersion", "op": "semverGt", "values": ["1.0.0-alpha"]},
                    {"attribute": "appVersion", "op": "semverGte", "values": ["1.4.0"]},
                    {"attribute": "signedUp", "op": "before", "values": ["2025-06-01T00:00:00Z"]},
                    {"attribute": "signedUp", "op": "after", "values": [1700000000000, "2024-01-01T00:00:00+01:00"]},
                    {"attribute": "ip", "op": "inCidr", "values": ["10.0.0.0/8", "2001:db8::/32"]},
                    {"attribute": "beta", "op": "exists"},
                    {"attribute": "key", "op": "segmentMatch", "values": ["beta-testers"]}
                  ],
                  "serve": {"variation": 1}
                },
                {
                  "clauses": [{"attribute": "country", "op": "in", "values": ["NZ"]}],
                  "serve": {"rollout": {
                    "variations": [{"variation": 1, "weight": 25000}, {"variation": 2, "weight": 75000}],
                    "bucketBy": "accountId",
                    "salt": "spring-2025"
                  }}
                }
              ],
              "fallthrough": {"rollout": {"variations": [{"variation": 0, "weight": 90000}, {"variation": 1, "weight": 10000}]}},
              "prerequisites": [{"flag": "payments-v2", "variation": 0}]
            }
            """;

    static Flag expectedFlag() {
        return new Flag("checkout-flow", "Checkout flow", "Which checkout page people see", FlagKind.STRING,
                List.of(new Variation(JSON.valueToTree("classic"), "Classic", null),
                        new Variation(JSON.valueToTree("one-page"), null, "Everything on one page"),
                        Variation.of(JSON.valueToTree("wizard"))),
                List.of("checkout", "team:payments"), "payments-team", Lifecycle.PERMANENT, false);
    }

    static FlagConfig expectedConfig() {
        Rule staff = new Rule("staff", "Staff try everything first", List.of(
                new Clause("email", Operator.ENDS_WITH, values("@darklaunch.dev"), false, true),
                new Clause("key", Operator.IN, values("carol", 42, true), false, false),
                new Clause("name", Operator.STARTS_WITH, values("Dr. "), false, false),
                new Clause("name", Operator.CONTAINS, values("test"), true, false),
                new Clause("userAgent", Operator.MATCHES, values("Firefox/1[2-9][0-9]"), false, false),
                new Clause("age", Operator.NUMBER_EQ, values(30), false, false),
                new Clause("age", Operator.NUMBER_LT, values(99.5), false, false),
                new Clause("age", Operator.NUMBER_LTE, values(65), false, false),
                new Clause("age", Operator.NUMBER_GT, values(0), false, false),
                new Clause("score", Operator.NUMBER_GTE, values(-1000.0), false, false),
                new Clause("appVersion", Operator.SEMVER_EQ, values("2.0.0"), false, false),
                new Clause("appVersion", Operator.SEMVER_LT, values("3.0.0-rc.1"), false, false),
                new Clause("appVersion", Operator.SEMVER_LTE, values("2.5.0+build.7"), false, false),
                new Clause("appVersion", Operator.SEMVER_GT, values("1.0.0-alpha"), false, false),
                new Clause("appVersion", Operator.SEMVER_GTE, values("1.4.0"), false, false),
                new Clause("signedUp", Operator.BEFORE, values("2025-06-01T00:00:00Z"), false, false),
                new Clause("signedUp", Operator.AFTER, values(1_700_000_000_000L, "2024-01-01T00:00:00+01:00"), false, false),
                new Clause("ip", Operator.IN_CIDR, values("10.0.0.0/8", "2001:db8::/32"), false, false),
                new Clause("beta", Operator.EXISTS, List.of(), false, false),
                new Clause("key", Operator.SEGMENT_MATCH, values("beta-testers"), false, false)),
                Serve.ofVariation(1));
        Rule newZealand = new Rule(null, null,
                List.of(Clause.of("country", Operator.IN, values("NZ").get(0))),
                Serve.ofRollout(new Rollout(
                        List.of(new WeightedVariation(1, 25_000), new WeightedVariation(2, 75_000)), "accountId", "spring-2025")));
        return new FlagConfig(true, 0,
                List.of(new Target(1, List.of("alice", "bob"))),
                List.of(staff, newZealand),
                Serve.ofRollout(Fixtures.rollout(0, 90_000, 1, 10_000)),
                List.of(new Prerequisite("payments-v2", 0)));
    }

    @Test
    void handWrittenJsonReadsAsTheExpectedRecords() throws Exception {
        assertThat(read(FLAG_JSON, Flag.class)).isEqualTo(expectedFlag());
        assertThat(read(CONFIG_JSON, FlagConfig.class)).isEqualTo(expectedConfig());
    }

    @Test
    void theExampleIsValidAndUsesEveryKnownOperator() {
        ModelValidator.validateFlag(expectedFlag());
        ModelValidator.validateConfig(expectedFlag(), expectedConfig());
        Set<Operator> used = expectedConfig().rules().stream()
                .flatMap(rule -> rule.clauses().stream())
                .map(Clause::op)
                .collect(Collectors.toSet());
        assertThat(used).isEqualTo(EnumSet.complementOf(EnumSet.of(Operator.UNKNOWN)));
    }

    @Test
    void writtenJsonReadsBackEqual() throws Exception {
        byte[] flag = JSON.writeValueAsBytes(expectedFlag());
        byte[] config = JSON.writeValueAsBytes(expectedConfig());
        assertThat(JSON.readValue(flag, Flag.class)).isEqualTo(expectedFlag());
        assertThat(JSON.readValue(config, FlagConfig.class)).isEqualTo(expectedConfig());
        SegmentConfig segment = new SegmentConfig(List.of("alice"), List.of("bob"), List.of(
                new SegmentRule("admins", List.of(Clause.of("role", Operator.IN, values("admin").get(0))))));
        assertThat(JSON.readValue(JSON.writeValueAsBytes(segment), SegmentConfig.class)).isEqualTo(segment);
        Segment described = new Segment("beta-testers", "Beta testers", null);
        assertThat(JSON.readValue(JSON.writeValueAsBytes(described), Segment.class)).isEqualTo(described);
    }

    @Test
    void aFlagIsMarkedGuardedOnlyWhileAGuardWatchesIt() throws Exception {
        EnvironmentFlag plain = new EnvironmentFlag(expectedFlag(), expectedConfig());
        JsonNode written = JSON.valueToTree(plain);
        assertThat(written.has("guarded")).as("left out for SDKs that predate guards").isFalse();
        assertThat(JSON.treeToValue(written, EnvironmentFlag.class)).isEqualTo(plain);

        EnvironmentFlag guarded = new EnvironmentFlag(expectedFlag(), expectedConfig(), true);
        written = JSON.valueToTree(guarded);
        assertThat(written.get("guarded").booleanValue()).isTrue();
        assertThat(JSON.treeToValue(written, EnvironmentFlag.class)).isEqualTo(guarded).isNotEqualTo(plain);
    }

    @Test
    void writingUsesCamelCaseNamesAndLeavesOutAbsentOptionalValues() throws Exception {
        JsonNode written = JSON.valueToTree(expectedConfig());
        assertThat(written.at("/rules/1").has("id")).isFalse();
        assertThat(written.at("/rules/0/clauses/0/caseInsensitive").booleanValue()).isTrue();
        assertThat(written.at("/rules/0/clauses/1/op").textValue()).isEqualTo("in");
        assertThat(written.at("/fallthrough").has("variation")).isFalse();
        assertThat(written.at("/fallthrough/rollout").has("bucketBy")).isFalse();
        assertThat(JSON.valueToTree(expectedFlag()).at("/kind").textValue()).isEqualTo("string");
    }

    @Test
    void absentOptionalPropertiesTakeTheirDefaults() throws Exception {
        Flag flag = read("""
                {"key": "f", "name": "F", "kind": "boolean", "variations": [{"value": true}, {"value": false}]}
                """, Flag.class);
        assertThat(flag.tags()).isEmpty();
        assertThat(flag.lifecycle()).isEqualTo(Lifecycle.TEMPORARY);
        assertThat(flag.archived()).isFalse();
        assertThat(flag.description()).isNull();

        FlagConfig config = read("{\"offVariation\": 1, \"fallthrough\": {\"variation\": 0}}", FlagConfig.class);
        assertThat(config).isEqualTo(new FlagConfig(false, 1, List.of(), List.of(), Serve.ofVariation(0), List.of()));

        Clause clause = read("{\"attribute\": \"beta\", \"op\": \"exists\"}", Clause.class);
        assertThat(clause).isEqualTo(new Clause("beta", Operator.EXISTS, List.of(), false, false));
        assertThat(read("{}", SegmentConfig.class)).isEqualTo(SegmentConfig.empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"offVariation\": 0, \"enabled\": true}",
        "{\"offVariation\": 0, \"fallthrough\": {\"variation\": 0, \"percent\": 5}}",
        "{\"offVariation\": 0, \"rules\": [{\"clauses\": [{\"attribute\": \"a\", \"op\": \"in\", \"value\": [1]}]}]}",
        "{\"offVariation\": 0, \"targets\": [{\"variation\": 0, \"keys\": [\"a\"]}]}",
    })
    void unknownPropertiesAreRejected(String json) {
        assertThatThrownBy(() -> read(json, FlagConfig.class)).isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void unknownOperatorReadsAsUnknownButDoesNotValidate() throws Exception {
        FlagConfig config = read("""
                {"offVariation": 1, "fallthrough": {"variation": 0},
                 "rules": [{"clauses": [{"attribute": "plan", "op": "isOneOfThese", "values": ["pro"]}], "serve": {"variation": 0}}]}
                """, FlagConfig.class);
        assertThat(config.rules().get(0).clauses().get(0).op()).isEqualTo(Operator.UNKNOWN);
        Fixtures.assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), config),
                "rules[0].clauses[0].op", "is not a known operator; use one of: in, startsWith, endsWith");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing required int           | {\"fallthrough\": {\"variation\": 0}}",
        "null for an int                | {\"offVariation\": 0, \"targets\": [{\"variation\": null}]}",
        "null for a boolean             | {\"offVariation\": 0, \"on\": null}",
        "string for a boolean           | {\"offVariation\": 0, \"on\": \"true\"}",
        "string for an int              | {\"offVariation\": \"0\"}",
        "fraction for an int            | {\"offVariation\": 0.5}",
        "number for a string            | {\"offVariation\": 0, \"prerequisites\": [{\"flag\": 7, \"variation\": 0}]}",
        "null inside a list             | {\"offVariation\": 0, \"targets\": [null]}",
        "duplicate property             | {\"offVariation\": 0, \"offVariation\": 1}",
        "trailing content               | {\"offVariation\": 0} {}",
        "missing weight                 | {\"offVariation\": 0, \"fallthrough\": {\"rollout\": {\"variations\": [{\"variation\": 0}]}}}",
    })
    void strictReadingRejectsSloppyInput(String problem, String json) {
        assertThatThrownBy(() -> read(json, FlagConfig.class)).as(problem).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void enumsAreReadByTheirJsonNamesOnly() {
        assertThatThrownBy(() -> read("{\"kind\": \"BOOLEAN\"}", Flag.class)).isInstanceOf(MismatchedInputException.class);
        assertThatThrownBy(() -> read("{\"kind\": 0}", Flag.class)).isInstanceOf(MismatchedInputException.class);
        assertThatThrownBy(() -> read("{\"lifecycle\": \"forever\"}", Flag.class)).isInstanceOf(MismatchedInputException.class);
    }

    @Test
    void nestingAndStringLengthAreLimited() throws Exception {
        int arrays = ModelJson.MAX_NESTING_DEPTH - 1; // the variation object is one level
        assertThat(read("{\"value\": " + "[".repeat(arrays) + "]".repeat(arrays) + "}", Variation.class)).isNotNull();
        assertThatThrownBy(() -> read("{\"value\": " + "[".repeat(arrays + 1) + "]".repeat(arrays + 1) + "}", Variation.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("nesting depth");

        String longest = "x".repeat(ModelJson.MAX_STRING_LENGTH);
        assertThat(read("{\"value\": \"" + longest + "\"}", Variation.class).value().textValue()).hasSize(ModelJson.MAX_STRING_LENGTH);
        assertThatThrownBy(() -> read("{\"value\": \"" + longest + "x\"}", Variation.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("String value length");
    }

    @Test
    void defaultTypingIsOff() throws Exception {
        // A polymorphic type id must stay an ordinary (here: unknown) value, never pick a class.
        JsonNode value = read("{\"value\": [\"java.net.URL\", \"http://example.com\"]}", Variation.class).value();
        assertThat(value.isArray()).isTrue();
        assertThat(JSON.getDeserializationConfig().getDefaultTyper(JSON.constructType(Object.class))).isNull();
    }
}
