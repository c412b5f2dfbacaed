package dev.darklaunch.sdk.internal.model;

import static dev.darklaunch.sdk.internal.model.Fixtures.assertInvalid;
import static dev.darklaunch.sdk.internal.model.Fixtures.rollout;
import static dev.darklaunch.sdk.internal.model.Fixtures.values;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ModelValidator#validateConfig}: indexes, targets, rules, serves, rollouts and prerequisites. */
class ConfigValidationTest {
    /** Three variations: "red" (0), "green" (1), "blue" (2). */
    private static final Flag FLAG = Fixtures.stringFlag("red", "green", "blue");
    private static final Clause CLAUSE = Clause.of("country", Operator.IN, values("NZ").get(0));

    @Test
    void aFullValidConfigurationPasses() {
        ModelValidator.validateConfig(FLAG, new FlagConfig(true, 0,
                List.of(new Target(1, List.of("alice")), new Target(2, List.of("bob"))),
                List.of(new Rule("nz", "New Zealand", List.of(CLAUSE), Serve.ofRollout(rollout(1, 50_000, 2, 50_000))),
                        new Rule(null, null, List.of(CLAUSE), Serve.ofVariation(2))),
                Serve.ofRollout(new Rollout(List.of(new WeightedVariation(0, 100_000), new WeightedVariation(1, 0)), "accountId", "s")),
                List.of(new Prerequisite("payments", 3))));
        ModelValidator.validateConfig(FLAG, FlagConfig.off(FLAG));
    }

    static Stream<Arguments> invalidConfigs() {
        List<String> keys = IntStream.range(0, 10_001).mapToObj(i -> "user-" + i).toList();
        return Stream.of(
                // indexes
                Arguments.of("offVariation in range", config(3, List.of(), List.of(), Serve.ofVariation(0), List.of()),
                        "offVariation", "variation index 3 is out of range: the flag has 3 variations, indexes 0 to 2"),
                Arguments.of("offVariation not negative", config(-1, List.of(), List.of(), Serve.ofVariation(0), List.of()),
                        "offVariation", "variation index -1 is out of range"),
                // targets
                Arguments.of("at most 100 targets", targets(Collections.nCopies(101, new Target(0, List.of()))),
                        "targets", "has 101 targets; at most 100 are allowed"),
                Arguments.of("target variation in range", targets(List.of(new Target(5, List.of("a")))),
                        "targets[0].variation", "variation index 5 is out of range"),
                Arguments.of("one target per variation", targets(List.of(new Target(1, List.of("a")), new Target(1, List.of("b")))),
                        "targets[1].variation", "variation 1 already has a target at targets[0]; list all its keys there"),
                Arguments.of("at most 10000 target keys", targets(List.of(new Target(0, keys.subList(0, 5000)), new Target(1, keys.subList(5000, 10_001)))),
                        "targets", "list 10001 context keys in total; at most 10000 are allowed"),
                Arguments.of("target keys not empty", targets(List.of(new Target(0, List.of("a", "")))),
                        "targets[0].values[1]", "must not be empty; context keys are 1 to 256 characters"),
                Arguments.of("target keys at most 256 characters", targets(List.of(new Target(0, List.of("k".repeat(257))))),
                        "targets[0].values[0]", "is 257 characters long; context keys have at most 256"),
                Arguments.of("target keys without NUL", targets(List.of(new Target(0, List.of("a\u0000")))),
                        "targets[0].values[0]", "contains a NUL character"),
                Arguments.of("a key under one variation only", targets(List.of(new Target(0, List.of("alice")), new Target(2, List.of("bob", "alice")))),
                        "targets[1].values[1]", "'alice' is already targeted at targets[0] (variation 0); a context key can be targeted to one variation only"),
                Arguments.of("a key once per target", targets(List.of(new Target(0, List.of("alice", "alice")))),
                        "targets[0].values[1]", "'alice' is listed twice in this target"),
                // rules
                Arguments.of("at most 500 rules", rules(Collections.nCopies(501, new Rule(null, null, List.of(CLAUSE), Serve.ofVariation(0)))),
                        "rules", "has 501 rules; at most 500 are allowed"),
                Arguments.of("a rule has a clause", rules(List.of(new Rule(null, null, List.of(), Serve.ofVariation(0)))),
                        "rules[0].clauses", "needs at least 1 clause, got 0; to serve every context, use the fallthrough"),
                Arguments.of("at most 50 clauses", rules(List.of(new Rule(null, null, Collections.nCopies(51, CLAUSE), Serve.ofVariation(0)))),
                        "rules[0].clauses", "has 51 clauses; at most 50 are allowed"),
                Arguments.of("a rule serves something", rules(List.of(new Rule(null, null, List.of(CLAUSE), null))),
                        "rules[0].serve", "is required: what to serve when the rule matches"),
                Arguments.of("rule serve is valid", rules(List.of(rule("a"), new Rule(null, null, List.of(CLAUSE), Serve.ofVariation(7)))),
                        "rules[1].serve.variation", "variation index 7 is out of range"),
                Arguments.of("rule id syntax", rules(List.of(rule("staff only"))),
                        "rules[0].id", "'staff only' is not a valid rule id: it contains ' ' at index 5; a rule id is 1 to 100 ASCII letters"),
                Arguments.of("rule id length", rules(List.of(rule("r".repeat(101)))),
                        "rules[0].id", "is 101 characters long"),
                Arguments.of("rule id not empty", rules(List.of(rule(""))),
                        "rules[0].id", "must not be empty"),
                Arguments.of("rule ids unique", rules(List.of(rule("staff"), rule(null), rule("staff"))),
                        "rules[2].id", "'staff' is already the id of rules[0]; rule ids must be unique"),
                Arguments.of("rule description length", rules(List.of(new Rule(null, "d".repeat(2001), List.of(CLAUSE), Serve.ofVariation(0)))),
                        "rules[0].description", "is 2001 characters long; at most 2000 are allowed"),
                // serve
                Arguments.of("fallthrough is required", fallthrough(null),
                        "fallthrough", "is required: what to serve when no target or rule matches"),
                Arguments.of("serve has variation or rollout", fallthrough(new Serve(null, null)),
                        "fallthrough", "needs a variation or a rollout"),
                Arguments.of("serve has not both", fallthrough(new Serve(0, rollout(0, 100_000))),
                        "fallthrough", "has both a variation and a rollout; give exactly one"),
                Arguments.of("serve variation in range", fallthrough(Serve.ofVariation(3)),
                        "fallthrough.variation", "variation index 3 is out of range: the flag has 3 variations, indexes 0 to 2"),
                // rollout
                Arguments.of("rollout has variations", fallthrough(Serve.ofRollout(rollout())),
                        "fallthrough.rollout.variations", "needs at least 1 weighted variation, got 0"),
                Arguments.of("at most 100 weighted variations", fallthrough(Serve.ofRollout(new Rollout(Collections.nCopies(101, new WeightedVariation(0, 0)), null, null))),
                        "fallthrough.rollout.variations", "has 101 weighted variations; at most 100 are allowed"),
                Arguments.of("rollout variation in range", fallthrough(Serve.ofRollout(rollout(0, 50_000, 3, 50_000))),
                        "fallthrough.rollout.variations[1].variation", "variation index 3 is out of range"),
                Arguments.of("rollout variations distinct", fallthrough(Serve.ofRollout(rollout(1, 50_000, 1, 50_000))),
                        "fallthrough.rollout.variations[1].variation", "variation 1 already appears at variations[0]; list each variation once"),
                Arguments.of("weights not negative", fallthrough(Serve.ofRollout(rollout(0, 100_000, 1, -1))),
                        "fallthrough.rollout.variations[1].weight", "weight -1 is out of range: weights are 0 to 100000 (100 %)"),
                Arguments.of("weights at most 100000", fallthrough(Serve.ofRollout(rollout(0, 100_001, 1, -1))),
                        "fallthrough.rollout.variations[0].weight", "weight 100001 is out of range"),
                Arguments.of("weights add up to 100000", rules(List.of(new Rule(null, null, List.of(CLAUSE), Serve.ofRollout(rollout(0, 49_000, 1, 50_000))))),
                        "rules[0].serve.rollout.variations", "weights must add up to 100000 (100 %), got 99000"),
                Arguments.of("bucketBy is an attribute name", fallthrough(Serve.ofRollout(new Rollout(rollout(0, 100_000).variations(), "1st", null))),
                        "fallthrough.rollout.bucketBy", "'1st' is not a valid attribute name: it starts with '1'"),
                Arguments.of("salt at most 200 characters", fallthrough(Serve.ofRollout(new Rollout(rollout(0, 100_000).variations(), null, "s".repeat(201)))),
                        "fallthrough.rollout.salt", "is 201 characters long; at most 200 are allowed"),
                Arguments.of("salt not empty", fallthrough(Serve.ofRollout(new Rollout(rollout(0, 100_000).variations(), null, ""))),
                        "fallthrough.rollout.salt", "must not be empty; leave it out to use the flag key"),
                // prerequisites
                Arguments.of("at most 50 prerequisites", prerequisites(IntStream.range(0, 51).mapToObj(i -> new Prerequisite("f" + i, 0)).toList()),
                        "prerequisites", "has 51 prerequisites; at most 50 are allowed"),
                Arguments.of("prerequisite flag key valid", prerequisites(List.of(new Prerequisite("other flag", 0))),
                        "prerequisites[0].flag", "'other flag' is not a valid key"),
                Arguments.of("prerequisite flag required", prerequisites(List.of(new Prerequisite(null, 0))),
                        "prerequisites[0].flag", "is required"),
                Arguments.of("not its own prerequisite", prerequisites(List.of(new Prerequisite("other", 0), new Prerequisite(FLAG.key(), 0))),
                        "prerequisites[1].flag", "a flag cannot be its own prerequisite"),
                Arguments.of("prerequisites distinct", prerequisites(List.of(new Prerequisite("other", 0), new Prerequisite("other", 1))),
                        "prerequisites[1].flag", "'other' is already a prerequisite at prerequisites[0]; list each flag once"),
                Arguments.of("prerequisite variation in range", prerequisites(List.of(new Prerequisite("other", 100))),
                        "prerequisites[0].variation", "variation index 100 is out of range: indexes are 0 to 99"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void configurationRulesAreChecked(String rule, FlagConfig config, String field, String message) {
        assertInvalid(() -> ModelValidator.validateConfig(FLAG, config), field, message);
    }

    @Test
    void aMissingConfigurationIsReported() {
        assertInvalid(() -> ModelValidator.validateConfig(FLAG, null), "", "a flag configuration is required");
    }

    @Test
    void theFirstProblemWins() {
        FlagConfig twoProblems = config(9, List.of(new Target(9, List.of())), List.of(), null, List.of());
        assertInvalid(() -> ModelValidator.validateConfig(FLAG, twoProblems), "offVariation", "variation index 9");
    }

    @Test
    void aSingleVariationIsDescribedInTheSingular() {
        Flag one = Fixtures.stringFlag("only");
        assertInvalid(() -> ModelValidator.validateConfig(one, config(1, List.of(), List.of(), Serve.ofVariation(0), List.of())),
                "offVariation", "variation index 1 is out of range: the flag has 1 variation, index 0");
    }

    private static FlagConfig config(int off, List<Target> targets, List<Rule> rules, Serve fallthrough, List<Prerequisite> prerequisites) {
        return new FlagConfig(true, off, targets, rules, fallthrough, prerequisites);
    }

    private static FlagConfig targets(List<Target> targets) {
        return config(0, targets, List.of(), Serve.ofVariation(0), List.of());
    }

    private static FlagConfig rules(List<Rule> rules) {
        return config(0, List.of(), rules, Serve.ofVariation(0), List.of());
    }

    private static FlagConfig fallthrough(Serve serve) {
        return config(0, List.of(), List.of(), serve, List.of());
    }

    private static FlagConfig prerequisites(List<Prerequisite> prerequisites) {
        return config(0, List.of(), List.of(), Serve.ofVariation(0), prerequisites);
    }

    private static Rule rule(String id) {
        return new Rule(id, null, List.of(CLAUSE), Serve.ofVariation(0));
    }
}
