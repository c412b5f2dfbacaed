package dev.darklaunch.sdk.internal.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.Reason;
import dev.darklaunch.sdk.internal.evaluation.Explanation.Bucket;
import dev.darklaunch.sdk.internal.evaluation.Explanation.ClauseTested;
import dev.darklaunch.sdk.internal.evaluation.Explanation.Fallthrough;
import dev.darklaunch.sdk.internal.evaluation.Explanation.Off;
import dev.darklaunch.sdk.internal.evaluation.Explanation.PrerequisiteChecked;
import dev.darklaunch.sdk.internal.evaluation.Explanation.RuleTried;
import dev.darklaunch.sdk.internal.evaluation.Explanation.Step;
import dev.darklaunch.sdk.internal.evaluation.Explanation.TargetChecked;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Requirement ({@link Evaluator#explain}): an explanation always agrees with the evaluation — for
 * any environment (valid or not: malformed flags, missing segments and prerequisites, cycles) and
 * any context, the explained outcome is the evaluated one, and the steps tell the same story: the
 * last step decides and serves the evaluated variation, with the reason of its kind; every rule
 * before it failed at its last tested clause (or had no bucket for the context); a bucket lies in
 * the range of the variation it names.
 */
class ExplanationPropertiesTest {

    @Property(tries = 500)
    void the_explained_variation_is_always_the_evaluated_one(@ForAll("environments") EnvironmentData data,
                                                              @ForAll("contextLists") List<Context> contexts,
                                                              @ForAll boolean validated) {
        Snapshot snapshot = Snapshot.compile(validated ? EnvironmentArbitraries.validOnly(data) : data);
        for (String key : snapshot.flagKeys()) {
            CompiledFlag flag = snapshot.flag(key);
            for (Context context : contexts) {
                Outcome evaluated = Evaluator.evaluate(snapshot, flag, context);
                Evaluator.Explained explained = Evaluator.explain(snapshot, flag, context);
                assertThat(explained.outcome()).as("%s for %s", key, context).isSameAs(evaluated);
                assertAgrees(explained.explanation().steps(), evaluated, key + " for " + context);
            }
        }
    }

    private static void assertAgrees(List<Step> steps, Outcome evaluated, String what) {
        assertThat(steps).as(what).isNotEmpty();
        Integer expected = evaluated.variation() < 0 ? null : evaluated.variation();
        Step last = steps.get(steps.size() - 1);
        assertThat(served(last)).as("%s: the deciding step %s serves the answer", what, last).isEqualTo(expected);
        for (Step step : steps.subList(0, steps.size() - 1)) {
            assertThat(served(step)).as("%s: %s before the last decides nothing", what, step).isNull();
            assertThat(step).isNotInstanceOf(Off.class).isNotInstanceOf(Fallthrough.class);
            if (step instanceof RuleTried rule) {
                assertThat(rule.matched()).as("%s: %s", what, rule).isFalse();
                assertFailedAtLastClause(rule, what);
            }
            if (step instanceof PrerequisiteChecked prerequisite) {
                assertThat(prerequisite.met()).as(what).isTrue();
            }
            if (step instanceof TargetChecked target) {
                assertThat(target.matched()).as(what).isFalse();
            }
        }
        Reason.Kind kind = evaluated.reason().kind();
        if (last instanceof Off) {
            assertThat(kind).as(what).isIn(Reason.Kind.OFF, Reason.Kind.ERROR);
        } else if (last instanceof PrerequisiteChecked prerequisite) {
            assertThat(prerequisite.met()).as(what).isFalse();
            assertThat(kind).as(what).isIn(Reason.Kind.PREREQUISITE_FAILED, Reason.Kind.ERROR);
        } else if (last instanceof TargetChecked target) {
            assertThat(target.matched()).as(what).isTrue();
            assertThat(kind).as(what).isEqualTo(Reason.Kind.TARGET_MATCH);
        } else if (last instanceof RuleTried rule) {
            assertThat(rule.matched()).as(what).isTrue();
            assertThat(rule.clauses()).as(what).allMatch(ClauseTested::matched);
            assertThat(kind).as(what).isEqualTo(Reason.Kind.RULE_MATCH);
            assertThat(evaluated.reason().ruleIndex()).as(what).isEqualTo(rule.index());
            assertBucket(rule.bucket(), expected, what);
        } else if (last instanceof Fallthrough fallthrough) {
            assertThat(kind).as(what).isEqualTo(Reason.Kind.FALLTHROUGH);
            if (fallthrough.bucket() != null && fallthrough.bucket().bucket() != null) {
                assertBucket(fallthrough.bucket(), expected, what);
            }
        }
        for (Step step : steps) {
            if (step instanceof RuleTried rule) {
                rule.clauses().forEach(clause -> assertMissingAttributeExplained(clause, what));
            }
        }
    }

    /** A rule that did not serve stopped at a clause that failed, or matched all and had no bucket for the context. */
    private static void assertFailedAtLastClause(RuleTried rule, String what) {
        List<ClauseTested> clauses = rule.clauses();
        assertThat(clauses).as(what).isNotEmpty();
        assertThat(clauses.subList(0, clauses.size() - 1)).as(what).allMatch(ClauseTested::matched);
        ClauseTested lastClause = clauses.get(clauses.size() - 1);
        if (lastClause.matched()) {
            assertThat(rule.bucket()).as("%s: %s matched all but served nothing", what, rule).isNotNull();
            assertThat(rule.bucket().value()).as(what).isNull();
        }
    }

    private static void assertBucket(Bucket bucket, Integer served, String what) {
        if (bucket == null) {
            return;
        }
        assertThat(bucket.variation()).as(what).isEqualTo(served);
        assertThat(bucket.bucket()).as(what).isBetween(bucket.from().intValue(), (int) (bucket.to() - 1));
        assertThat(bucket.to()).as(what).isLessThanOrEqualTo(bucket.total());
    }

    /**
     * "The attribute is missing" explains a failure: an operator on a missing attribute fails unless
     * negated ({@code exists} included); a clause this SDK cannot use never matches.
     */
    private static void assertMissingAttributeExplained(ClauseTested clause, String what) {
        if (clause.unusable() != null) {
            assertThat(clause.matched()).as("%s: %s", what, clause).isFalse();
        } else if (clause.contextValue() == null && !clause.op().equals("segmentMatch")) {
            assertThat(clause.matched()).as("%s: %s", what, clause).isEqualTo(clause.negate());
        }
    }

    private static Integer served(Step step) {
        if (step instanceof Off off) {
            return off.served();
        }
        if (step instanceof PrerequisiteChecked prerequisite) {
            return prerequisite.served();
        }
        if (step instanceof TargetChecked target) {
            return target.served();
        }
        if (step instanceof RuleTried rule) {
            return rule.served();
        }
        return ((Fallthrough) step).served();
    }

    @Provide
    Arbitrary<EnvironmentData> environments() {
        return EnvironmentArbitraries.environments();
    }

    @Provide
    Arbitrary<List<Context>> contextLists() {
        return EnvironmentArbitraries.contexts().list().ofMinSize(1).ofMaxSize(5);
    }
}
