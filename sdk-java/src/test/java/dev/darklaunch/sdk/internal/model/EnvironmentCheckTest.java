package dev.darklaunch.sdk.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Requirement (prerequisite cost; one rule for server and SDK): prerequisites form no cycle, one
 * evaluation triggers at most {@link EnvironmentCheck#MAX_PREREQUISITE_EVALUATIONS} prerequisite
 * evaluations (every path counts), and costs at most {@link EvaluationCost#MAX_EVALUATION_COST};
 * depth alone is no limit.
 */
class EnvironmentCheckTest {

    @Test
    void aDeepAcyclicChainWithinTheBoundIsFine() {
        List<EnvironmentFlag> flags = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            flags.add(flag("f" + i, List.of(new Prerequisite("f" + (i + 1), 0))));
        }
        flags.add(flag("f500", List.of()));
        EnvironmentCheck.Result result = check(flags, List.of());
        assertThat(result.problems()).isEmpty();
        assertThat(result.evaluations().get("f0")).isEqualTo(500);
        assertThat(result.order().indexOf("f1")).isLessThan(result.order().indexOf("f0"));
    }

    @Test
    void aCycleIsAProblemOfEveryFlagOnItAndOfTheFlagsThatRequireThem() {
        EnvironmentCheck.Result result = check(List.of(
                flag("a", List.of(new Prerequisite("b", 0))),
                flag("b", List.of(new Prerequisite("missing", 0), new Prerequisite("c", 0))),
                flag("c", List.of(new Prerequisite("a", 0))),
                flag("top", List.of(new Prerequisite("ok", 0), new Prerequisite("b", 0))),
                flag("ok", List.of())), List.of());
        assertThat(result.problems()).containsOnlyKeys("a", "b", "c", "top");
        assertThat(result.problems().get("b").field()).isEqualTo("prerequisites[1]");
        assertThat(result.problems().get("b").message()).contains("cycle").contains("b → c → a → b");
        assertThat(result.problems().get("top").field()).isEqualTo("prerequisites[1]");
    }

    @Test
    void aSelfReferenceIsACycle() {
        EnvironmentCheck.Result result = check(List.of(flag("a", List.of(new Prerequisite("a", 0)))), List.of());
        assertThat(result.problems().get("a").message()).contains("a → a");
    }

    @Test
    void aGraphWithTooManyPathsIsAProblemNamingThePrerequisite() {
        // the review's graph: 60 flags in 20 layers of 3, each requiring the whole next layer
        List<EnvironmentFlag> flags = new ArrayList<>();
        for (int layer = 0; layer < 20; layer++) {
            List<Prerequisite> next = new ArrayList<>();
            for (int k = 0; layer < 19 && k < 3; k++) {
                next.add(new Prerequisite("l" + (layer + 1) + "-" + k, 0));
            }
            for (int k = 0; k < 3; k++) {
                flags.add(flag("l" + layer + "-" + k, next));
            }
        }
        EnvironmentCheck.Result result = check(flags, List.of());
        // from layer 13: 3 + 9 + … + 3^6 = 1092 paths; from layer 14: 363
        assertThat(result.problems()).containsKey("l13-0").doesNotContainKey("l14-0");
        assertThat(result.evaluations().get("l14-0")).isEqualTo(363);
        assertThat(result.problems().get("l13-0").field()).startsWith("prerequisites[");
        assertThat(result.problems().get("l13-0").message()).contains("at most " + EnvironmentCheck.MAX_PREREQUISITE_EVALUATIONS);
        assertThat(result.problems()).containsKey("l0-0");
    }

    @Test
    void costsAddUpThroughPrerequisitesAndSegments() {
        Clause regex = new Clause("email", Operator.MATCHES, List.of(TextNode.valueOf("[0-9]{1,1000}")), false, false);
        long regexCost = EvaluationCost.ofPattern("[0-9]{1,1000}");
        SegmentConfig segment = new SegmentConfig(List.of(), List.of(), List.of(new SegmentRule(null, List.of(regex))));
        Clause inSegment = new Clause("key", Operator.SEGMENT_MATCH, List.of(TextNode.valueOf("heavy")), false, false);
        int perFlag = (int) (EvaluationCost.MAX_EVALUATION_COST / 4 / regexCost);
        List<EnvironmentFlag> flags = new ArrayList<>();
        flags.add(new EnvironmentFlag(Flag.ofBoolean("base", "base"), config(Collections.nCopies(perFlag, regex), List.of())));
        flags.add(new EnvironmentFlag(Flag.ofBoolean("mid", "mid"), config(Collections.nCopies(perFlag, inSegment),
                List.of(new Prerequisite("base", 0)))));
        flags.add(new EnvironmentFlag(Flag.ofBoolean("top", "top"), config(List.of(), List.of(new Prerequisite("mid", 0),
                new Prerequisite("base", 0), new Prerequisite("mid", 0)))));
        EnvironmentCheck.Result result = check(flags, List.of(new EnvironmentSegment("heavy", segment)));
        assertThat(result.problems()).containsOnlyKeys("top");
        assertThat(result.problems().get("top").field()).isEqualTo("prerequisites[2]");
        assertThat(result.problems().get("top").message()).contains("would cost").contains("at most " + EvaluationCost.MAX_EVALUATION_COST);
        assertThat(result.costs().get("mid")).isGreaterThan(result.costs().get("base") * 2 - 10);
    }

    @Test
    void theValidatorRefusesRulesThatCostTooMuchOnTheirOwn() {
        Clause regex = new Clause("email", Operator.MATCHES, Collections.nCopies(25, TextNode.valueOf("(x{999}){9}")), false, false);
        Fixtures.assertInvalid(() -> ModelValidator.validateConfig(Fixtures.booleanFlag(), Fixtures.withClause(regex)), "rules",
                "at most " + EvaluationCost.MAX_EVALUATION_COST + " are allowed");
    }

    private static EnvironmentCheck.Result check(List<EnvironmentFlag> flags, List<EnvironmentSegment> segments) {
        return EnvironmentCheck.check(new EnvironmentData(1, flags, segments));
    }

    private static EnvironmentFlag flag(String key, List<Prerequisite> prerequisites) {
        return new EnvironmentFlag(Flag.ofBoolean(key, key), config(List.of(), prerequisites));
    }

    private static FlagConfig config(List<Clause> clauses, List<Prerequisite> prerequisites) {
        List<Rule> rules = clauses.isEmpty() ? List.of() : List.of(new Rule(null, null, clauses, Serve.ofVariation(0)));
        return new FlagConfig(true, 1, List.of(), rules, Serve.ofVariation(0), prerequisites);
    }
}
