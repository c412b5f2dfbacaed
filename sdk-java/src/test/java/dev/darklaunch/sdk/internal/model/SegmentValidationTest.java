package dev.darklaunch.sdk.internal.model;

import static dev.darklaunch.sdk.internal.model.Fixtures.assertInvalid;
import static dev.darklaunch.sdk.internal.model.Fixtures.values;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ModelValidator#validateSegmentConfig}. */
class SegmentValidationTest {
    private static final Clause CLAUSE = Clause.of("plan", Operator.IN, values("pro").get(0));

    @Test
    void aValidSegmentConfigurationPasses() {
        ModelValidator.validateSegmentConfig(SegmentConfig.empty());
        ModelValidator.validateSegmentConfig(new SegmentConfig(List.of("alice"), List.of("bob"),
                List.of(new SegmentRule("pro", List.of(CLAUSE)), new SegmentRule(null, List.of(CLAUSE, CLAUSE)))));
    }

    static Stream<Arguments> invalidSegmentConfigs() {
        List<String> keys = IntStream.range(0, 10_001).mapToObj(i -> "user-" + i).toList();
        SegmentRule valid = new SegmentRule(null, List.of(CLAUSE));
        return Stream.of(
                Arguments.of("at most 10000 included", new SegmentConfig(keys, null, null),
                        "included", "has 10001 keys; at most 10000 are allowed"),
                Arguments.of("at most 10000 excluded", new SegmentConfig(null, keys, null),
                        "excluded", "has 10001 keys; at most 10000 are allowed"),
                Arguments.of("keys not empty", new SegmentConfig(List.of("a", ""), null, null),
                        "included[1]", "must not be empty; context keys are 1 to 256 characters"),
                Arguments.of("keys at most 256 characters", new SegmentConfig(null, List.of("k".repeat(257)), null),
                        "excluded[0]", "is 257 characters long; context keys have at most 256"),
                Arguments.of("keys listed once", new SegmentConfig(List.of("a", "b", "a"), null, null),
                        "included[2]", "'a' is listed twice (also included[0])"),
                Arguments.of("keys not both included and excluded", new SegmentConfig(List.of("a", "b"), List.of("c", "b"), null),
                        "excluded[1]", "'b' is also in included[1]; a key is either included or excluded"),
                Arguments.of("at most 500 rules", new SegmentConfig(null, null, Collections.nCopies(501, valid)),
                        "rules", "has 501 rules; at most 500 are allowed"),
                Arguments.of("a rule has a clause", new SegmentConfig(null, null, List.of(valid, new SegmentRule(null, List.of()))),
                        "rules[1].clauses", "needs at least 1 clause, got 0"),
                Arguments.of("at most 50 clauses", new SegmentConfig(null, null, List.of(new SegmentRule(null, Collections.nCopies(51, CLAUSE)))),
                        "rules[0].clauses", "has 51 clauses; at most 50 are allowed"),
                Arguments.of("rule ids unique", new SegmentConfig(null, null, List.of(new SegmentRule("r", List.of(CLAUSE)), new SegmentRule("r", List.of(CLAUSE)))),
                        "rules[1].id", "'r' is already the id of rules[0]"),
                Arguments.of("clauses are valid", new SegmentConfig(null, null, List.of(new SegmentRule(null, List.of(Clause.of("plan", Operator.NUMBER_GT, values("5").get(0)))))),
                        "rules[0].clauses[0].values[0]", "numberGt compares with numbers, got a string (\"5\")"),
                Arguments.of("segments do not nest", new SegmentConfig(null, null, List.of(new SegmentRule(null, List.of(Clause.of("key", Operator.SEGMENT_MATCH, values("other").get(0)))))),
                        "rules[0].clauses[0].op", "segmentMatch is not allowed in a segment rule: segments cannot contain other segments"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSegmentConfigs")
    void segmentRulesAreChecked(String rule, SegmentConfig config, String field, String message) {
        assertInvalid(() -> ModelValidator.validateSegmentConfig(config), field, message);
    }

    @Test
    void aMissingSegmentConfigurationIsReported() {
        assertInvalid(() -> ModelValidator.validateSegmentConfig(null), "", "a segment configuration is required");
    }
}
