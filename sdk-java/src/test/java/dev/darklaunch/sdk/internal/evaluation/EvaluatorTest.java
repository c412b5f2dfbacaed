package dev.darklaunch.sdk.internal.evaluation;

import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.FALSE;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.TRUE;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.clause;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.context;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.evaluate;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.flag;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.onWith;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.rule;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.snapshot;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.stringFlag;
import static dev.darklaunch.sdk.internal.model.Operator.IN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.Reason;
import dev.darklaunch.sdk.internal.model.EnvironmentCheck;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.FlagKind;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Rollout;
import dev.darklaunch.sdk.internal.model.Rule;
import dev.darklaunch.sdk.internal.model.Serve;
import dev.darklaunch.sdk.internal.model.Target;
import dev.darklaunch.sdk.internal.model.Variation;
import dev.darklaunch.sdk.internal.model.WeightedVariation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requirement: evaluation order off → prerequisites → individual targets → rules in order →
 * fallthrough ({@code FlagConfig}, {@code Evaluator}), each with its exact {@link Reason};
 * prerequisites (missing, off, wrong variation, chains, cycles); flags whose data cannot be
 * evaluated compile to MALFORMED_FLAG instead of throwing ({@code CompiledFlag#compile}).
 * Operators are covered by {@link EvaluatorOperatorsTest}.
 */
class EvaluatorTest {

    private static final int OFF_VALUE = 0;
    private static final int TARGETED = 1;
    private static final int FIRST_RULE = 2;
    private static final int SECOND_RULE = 3;
    private static final int FALLTHROUGH = 4;

    /** A string flag whose variations name the step that served them. */
    private static final Flag CHECKOUT = stringFlag("checkout", "off-value", "targeted", "first-rule", "second-rule", "fallthrough");

    /** Gate: a boolean flag serving true, except false to "u-blocked". */
    private static EnvironmentFlag gate(boolean on) {
        return flag(Flag.ofBoolean("gate", "Gate"), new FlagConfig(on, FALSE, List.of(new Target(FALSE, List.of("u-blocked"))),
                List.of(), Serve.ofVariation(TRUE), List.of()));
    }

    private static FlagConfig checkout(boolean on) {
        return new FlagConfig(on, OFF_VALUE,
                List.of(new Target(TARGETED, List.of("u-target", "u-blocked"))),
                List.of(rule("rule-a", Serve.ofVariation(FIRST_RULE), clause("country", IN, "NO")),
                        rule(null, Serve.ofVariation(SECOND_RULE), clause("plan", IN, "pro"))),
                Serve.ofVariation(FALLTHROUGH),
                List.of(new Prerequisite("gate", TRUE)));
    }

    static Stream<Arguments> evaluationOrder() {
        return Stream.of(
                Arguments.of("off: the off variation, whatever else matches", false, context("u-target", "country", "NO"),
                        OFF_VALUE, Reason.off()),
                Arguments.of("a failed prerequisite comes before targets", true, context("u-blocked", "country", "NO"),
                        OFF_VALUE, Reason.prerequisiteFailed("gate")),
                Arguments.of("targets come before rules", true, context("u-target", "country", "NO", "plan", "pro"),
                        TARGETED, Reason.targetMatch()),
                Arguments.of("the first matching rule wins", true, context("u-1", "country", "NO", "plan", "pro"),
                        FIRST_RULE, Reason.ruleMatch(0, "rule-a", false)),
                Arguments.of("later rules when earlier ones do not match", true, context("u-1", "country", "SE", "plan", "pro"),
                        SECOND_RULE, Reason.ruleMatch(1, null, false)),
                Arguments.of("the fallthrough when nothing matches", true, context("u-1", "country", "SE"),
                        FALLTHROUGH, Reason.fallthrough(false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("evaluationOrder")
    void evaluatesOffThenPrerequisitesThenTargetsThenRulesThenFallthrough(String requirement, boolean on, Context context,
                                                                         int variation, Reason reason) {
        Snapshot snapshot = snapshot(gate(true), flag(CHECKOUT, checkout(on)));
        Outcome outcome = evaluate(snapshot, "checkout", context);
        assertThat(outcome.reason()).isEqualTo(reason);
        assertThat(outcome.variation()).isEqualTo(variation);
        assertThat(outcome.detail().value()).isEqualTo(CHECKOUT.variations().get(variation).value().textValue());
        assertThat(outcome.detail().reason()).isEqualTo(reason);
        assertThat(outcome.detail().variationIndex()).isEqualTo(variation);
    }

    @Test
    void aRuleWithoutClausesNeverMatches() {
        FlagConfig config = onWith(OFF_VALUE, Serve.ofVariation(FALLTHROUGH), new Rule("empty", null, List.of(), Serve.ofVariation(FIRST_RULE)));
        Outcome outcome = evaluate(snapshot(flag(CHECKOUT, config)), "checkout", Context.of("u-1"));
        assertThat(outcome.reason()).isEqualTo(Reason.fallthrough(false));
    }

    @Test
    void allClausesOfARuleMustMatch() {
        FlagConfig config = onWith(OFF_VALUE, Serve.ofVariation(FALLTHROUGH),
                rule("both", Serve.ofVariation(FIRST_RULE), clause("country", IN, "NO"), clause("plan", IN, "pro")));
        Snapshot snapshot = snapshot(flag(CHECKOUT, config));
        assertThat(evaluate(snapshot, "checkout", context("u", "country", "NO")).variation()).isEqualTo(FALLTHROUGH);
        assertThat(evaluate(snapshot, "checkout", context("u", "country", "NO", "plan", "pro")).variation()).isEqualTo(FIRST_RULE);
    }

    @Nested
    class Prerequisites {

        private EnvironmentFlag requiring(String key, boolean on, Prerequisite... prerequisites) {
            return flag(Flag.ofBoolean(key, key), new FlagConfig(on, FALSE, List.of(), List.of(), Serve.ofVariation(TRUE), List.of(prerequisites)));
        }

        @Test
        void aMissingPrerequisiteFlagFails() {
            Outcome outcome = evaluate(snapshot(requiring("a", true, new Prerequisite("nope", TRUE))), "a", Context.of("u"));
            assertThat(outcome.reason()).isEqualTo(Reason.prerequisiteFailed("nope"));
            assertThat(outcome.variation()).isEqualTo(FALSE);
        }

        @Test
        void aPrerequisiteThatIsOffFailsEvenIfItsOffVariationIsTheRequiredOne() {
            Snapshot snapshot = snapshot(requiring("a", true, new Prerequisite("gate", FALSE)), gate(false));
            assertThat(evaluate(snapshot, "gate", Context.of("u")).variation()).isEqualTo(FALSE);
            assertThat(evaluate(snapshot, "a", Context.of("u")).reason()).isEqualTo(Reason.prerequisiteFailed("gate"));
        }

        @Test
        void aPrerequisiteServingAnotherVariationFails() {
            Snapshot snapshot = snapshot(requiring("a", true, new Prerequisite("gate", TRUE)), gate(true));
            assertThat(evaluate(snapshot, "a", Context.of("u-blocked")).reason()).isEqualTo(Reason.prerequisiteFailed("gate"));
            assertThat(evaluate(snapshot, "a", Context.of("u-other")).reason()).isEqualTo(Reason.fallthrough(false));
        }

        @Test
        void theFirstFailingPrerequisiteIsReported() {
            Snapshot snapshot = snapshot(gate(true), requiring("b", true),
                    requiring("a", true, new Prerequisite("b", TRUE), new Prerequisite("gate", TRUE), new Prerequisite("nope", TRUE)));
            assertThat(evaluate(snapshot, "a", Context.of("u-blocked")).reason()).isEqualTo(Reason.prerequisiteFailed("gate"));
            assertThat(evaluate(snapshot, "a", Context.of("u-other")).reason()).isEqualTo(Reason.prerequisiteFailed("nope"));
        }

        @Test
        void chainsAreFollowedAndTheDirectPrerequisiteIsNamed() {
            EnvironmentFlag a = requiring("a", true, new Prerequisite("b", TRUE));
            EnvironmentFlag b = requiring("b", true, new Prerequisite("c", TRUE));
            assertThat(evaluate(snapshot(a, b, requiring("c", true)), "a", Context.of("u")).reason())
                    .isEqualTo(Reason.fallthrough(false));
            assertThat(evaluate(snapshot(a, b, requiring("c", false)), "a", Context.of("u")).reason())
                    .isEqualTo(Reason.prerequisiteFailed("b"));
        }

        @Test
        void aCycleIsAMalformedFlagNotAStackOverflow() {
            Snapshot snapshot = snapshot(requiring("a", true, new Prerequisite("b", TRUE)), requiring("b", true, new Prerequisite("a", TRUE)),
                    requiring("c", true, new Prerequisite("c", TRUE)));
            for (String key : List.of("a", "b", "c")) {
                Outcome outcome = evaluate(snapshot, key, Context.of("u"));
                assertThat(outcome.reason()).as(key).isEqualTo(Reason.error(Reason.ErrorKind.MALFORMED_FLAG));
                assertThat(outcome.variation()).isEqualTo(-1);
                assertThat(Evaluator.isTrue(snapshot, snapshot.flag(key), Context.of("u"))).isFalse();
            }
        }

        @Test
        void anAcyclicChainOfAnyDepthWithinTheBoundEvaluates() {
            // the server accepts any acyclic chain within the bound: so must the SDK (it used to stop at depth 20)
            assertThat(evaluate(chain(21), "f0", Context.of("u")).reason()).isEqualTo(Reason.fallthrough(false));
            int bound = EnvironmentCheck.MAX_PREREQUISITE_EVALUATIONS;
            assertThat(evaluate(chain(bound), "f0", Context.of("u")).reason()).isEqualTo(Reason.fallthrough(false));
            Snapshot tooLong = chain(bound + 1);
            assertThat(evaluate(tooLong, "f0", Context.of("u")).reason()).isEqualTo(Reason.error(Reason.ErrorKind.MALFORMED_FLAG));
            assertThat(evaluate(tooLong, "f1", Context.of("u")).reason()).as("one link shorter").isEqualTo(Reason.fallthrough(false));
        }

        /** f0 requires f1 … requires f{edges}: a chain with {@code edges} prerequisite links. */
        private Snapshot chain(int edges) {
            List<EnvironmentFlag> flags = new ArrayList<>();
            for (int i = 0; i < edges; i++) {
                flags.add(requiring("f" + i, true, new Prerequisite("f" + (i + 1), TRUE)));
            }
            flags.add(requiring("f" + edges, true));
            return snapshot(flags.toArray(EnvironmentFlag[]::new));
        }
    }

    @Nested
    class Rollouts {

        private Serve rollout(String bucketBy, int... variationWeightPairs) {
            List<WeightedVariation> weighted = new ArrayList<>();
            for (int i = 0; i < variationWeightPairs.length; i += 2) {
                weighted.add(new WeightedVariation(variationWeightPairs[i], variationWeightPairs[i + 1]));
            }
            return Serve.ofRollout(new Rollout(weighted, bucketBy, null));
        }

        @Test
        void aFallthroughRolloutSaysInRollout() {
            Snapshot snapshot = snapshot(flag(CHECKOUT, onWith(OFF_VALUE, rollout(null, FIRST_RULE, 0, FALLTHROUGH, Rollout.TOTAL_WEIGHT))));
            Outcome outcome = evaluate(snapshot, "checkout", Context.of("u-1"));
            assertThat(outcome.reason()).isEqualTo(Reason.fallthrough(true));
            assertThat(outcome.variation()).isEqualTo(FALLTHROUGH);
        }

        @Test
        void aRuleRolloutSaysInRolloutWithTheRule() {
            Snapshot snapshot = snapshot(flag(CHECKOUT, onWith(OFF_VALUE, Serve.ofVariation(FALLTHROUGH),
                    new Rule("r-0", null, List.of(clause("plan", IN, "pro")), Serve.ofVariation(SECOND_RULE)),
                    new Rule("r-1", null, List.of(clause("country", IN, "NO")), rollout(null, FIRST_RULE, Rollout.TOTAL_WEIGHT)))));
            Outcome outcome = evaluate(snapshot, "checkout", context("u-1", "country", "NO"));
            assertThat(outcome.reason()).isEqualTo(Reason.ruleMatch(1, "r-1", true));
            assertThat(outcome.variation()).isEqualTo(FIRST_RULE);
        }

        @Test
        void contextsSharingTheBucketByAttributeShareTheVariation() {
            Snapshot snapshot = snapshot(flag(CHECKOUT, onWith(OFF_VALUE, rollout("accountId", FIRST_RULE, 50_000, FALLTHROUGH, 50_000))));
            for (int account = 0; account < 200; account++) {
                int first = evaluate(snapshot, "checkout", context("user-a-" + account, "accountId", "acct-" + account)).variation();
                int second = evaluate(snapshot, "checkout", context("user-b-" + account, "accountId", "acct-" + account)).variation();
                assertThat(second).as("account %d", account).isEqualTo(first);
            }
        }

        @Test
        void aNumericBucketByAttributeBucketsLikeItsText() {
            Snapshot snapshot = snapshot(flag(CHECKOUT, onWith(OFF_VALUE, rollout("org", FIRST_RULE, 50_000, FALLTHROUGH, 50_000))));
            for (long org = 0; org < 200; org++) {
                int asText = evaluate(snapshot, "checkout", context("u", "org", Long.toString(org))).variation();
                assertThat(evaluate(snapshot, "checkout", context("u", "org", org)).variation()).isEqualTo(asText);
                assertThat(evaluate(snapshot, "checkout", context("u", "org", (double) org)).variation()).isEqualTo(asText);
            }
        }

        /**
         * Documented on {@code CompiledRollout} and in the README: a context without the bucketing
         * attribute is never in a percentage rollout. It used to land in bucket 0, so a 0.001 %
         * rollout served the first variation to every such context.
         */
        @Test
        void aContextWithoutTheBucketByAttributeIsNotInTheFallthroughRolloutAndGetsTheOffVariation() {
            Snapshot snapshot = snapshot(flag(CHECKOUT, onWith(OFF_VALUE,
                    rollout("accountId", FALLTHROUGH, 0, SECOND_RULE, 1, FIRST_RULE, Rollout.TOTAL_WEIGHT - 1))));
            for (int i = 0; i < 50; i++) {
                Outcome outcome = evaluate(snapshot, "checkout", Context.of("user-" + i));
                assertThat(outcome.variation()).isEqualTo(OFF_VALUE);
                assertThat(outcome.reason()).isEqualTo(Reason.fallthrough(false));
                Outcome emptyList = evaluate(snapshot, "checkout", context("user-" + i, "accountId", List.of()));
                assertThat(emptyList.variation()).isEqualTo(OFF_VALUE);
            }
            assertThat(evaluate(snapshot, "checkout", context("user-1", "accountId", "acct-1")).reason()).isEqualTo(Reason.fallthrough(true));
        }

        @Test
        void aOnePercentRolloutOfTrueByAMissingAttributeIsOnForNobodyWithoutIt() {
            Snapshot snapshot = snapshot(flag(Flag.ofBoolean("new-ui", "New UI"), new FlagConfig(true, FALSE, List.of(), List.of(),
                    rollout("org", TRUE, 1_000, FALSE, Rollout.TOTAL_WEIGHT - 1_000), List.of())));
            int on = 0;
            for (int i = 0; i < 1_000; i++) {
                on += Evaluator.isTrue(snapshot, snapshot.flag("new-ui"), Context.of("user-" + i)) ? 1 : 0;
            }
            assertThat(on).isZero();
        }

        @Test
        void aRuleWhoseRolloutCannotBucketTheContextDoesNotMatchItAndEvaluationGoesOn() {
            Snapshot snapshot = snapshot(flag(CHECKOUT, onWith(OFF_VALUE, Serve.ofVariation(FALLTHROUGH),
                    new Rule("by-org", null, List.of(clause("plan", IN, "pro")), rollout("org", FIRST_RULE, Rollout.TOTAL_WEIGHT)),
                    new Rule("pro", null, List.of(clause("plan", IN, "pro")), Serve.ofVariation(SECOND_RULE)))));
            Outcome withoutOrg = evaluate(snapshot, "checkout", context("u-1", "plan", "pro"));
            assertThat(withoutOrg.variation()).isEqualTo(SECOND_RULE);
            assertThat(withoutOrg.reason()).isEqualTo(Reason.ruleMatch(1, "pro", false));
            Outcome withOrg = evaluate(snapshot, "checkout", context("u-1", "plan", "pro", "org", "acme"));
            assertThat(withOrg.reason()).isEqualTo(Reason.ruleMatch(0, "by-org", true));
        }
    }

    @Nested
    class DataThatCannotBeEvaluated {

        static Stream<Arguments> brokenConfigs() {
            Serve fixed = Serve.ofVariation(TRUE);
            return Stream.of(
                    Arguments.of("off variation out of range", new FlagConfig(true, 5, List.of(), List.of(), fixed, List.of())),
                    Arguments.of("negative off variation, flag off", new FlagConfig(false, -1, List.of(), List.of(), fixed, List.of())),
                    Arguments.of("target variation out of range",
                            new FlagConfig(true, FALSE, List.of(new Target(9, List.of("u"))), List.of(), fixed, List.of())),
                    Arguments.of("rule variation out of range",
                            new FlagConfig(true, FALSE, List.of(), List.of(rule("r", Serve.ofVariation(7), clause("key", IN, "u"))), fixed, List.of())),
                    Arguments.of("fallthrough variation out of range",
                            new FlagConfig(true, FALSE, List.of(), List.of(), Serve.ofVariation(2), List.of())),
                    Arguments.of("rollout variation out of range", new FlagConfig(true, FALSE, List.of(), List.of(),
                            Serve.ofRollout(new Rollout(List.of(new WeightedVariation(3, Rollout.TOTAL_WEIGHT)), null, null)), List.of())),
                    Arguments.of("no fallthrough", new FlagConfig(true, FALSE, List.of(), List.of(), null, List.of())),
                    Arguments.of("a serve with neither variation nor rollout",
                            new FlagConfig(true, FALSE, List.of(), List.of(), new Serve(null, null), List.of())),
                    Arguments.of("a rollout without variations", new FlagConfig(true, FALSE, List.of(), List.of(),
                            Serve.ofRollout(new Rollout(List.of(), null, null)), List.of())),
                    Arguments.of("a rollout out of 0", new FlagConfig(true, FALSE, List.of(), List.of(),
                            Serve.ofRollout(new Rollout(List.of(new WeightedVariation(TRUE, 0)), null, null, null, 0)), List.of())));
        }

        /** Possible through bootstrap or backup data, which no server validated: served as a value before. */
        @Test
        void variationValuesThatDoNotFitTheKindMakeTheFlagMalformed() {
            Flag textInBoolean = new Flag("b", "b", null, FlagKind.BOOLEAN, List.of(Variation.of(EvaluationFixtures.json("yes")),
                    Variation.of(EvaluationFixtures.json(false))), List.of(), null, null, false);
            Flag textInNumber = new Flag("n", "n", null, FlagKind.NUMBER, List.of(Variation.of(EvaluationFixtures.json("5"))),
                    List.of(), null, null, false);
            Flag numberInString = new Flag("s", "s", null, FlagKind.STRING, List.of(Variation.of(EvaluationFixtures.json(5))),
                    List.of(), null, null, false);
            Snapshot snapshot = snapshot(flag(textInBoolean, onWith(1, Serve.ofVariation(0))), flag(textInNumber, onWith(0, Serve.ofVariation(0))),
                    flag(numberInString, onWith(0, Serve.ofVariation(0))), flag(Flag.ofBoolean("fine", "Fine"), onWith(FALSE, Serve.ofVariation(TRUE))));
            for (String key : List.of("b", "n", "s")) {
                assertThat(evaluate(snapshot, key, Context.of("u")).reason()).as(key).isEqualTo(Reason.error(Reason.ErrorKind.MALFORMED_FLAG));
            }
            assertThat(evaluate(snapshot, "fine", Context.of("u")).variation()).isEqualTo(TRUE);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("brokenConfigs")
        void compilesToAMalformedFlagInsteadOfThrowing(String requirement, FlagConfig config) {
            EnvironmentFlag broken = flag(Flag.ofBoolean("broken", "Broken"), config);
            EnvironmentFlag fine = flag(Flag.ofBoolean("fine", "Fine"), onWith(FALSE, Serve.ofVariation(TRUE)));

            Snapshot snapshot = snapshot(broken, fine);

            for (Context context : List.of(Context.of("u"), context("u", "accountId", "a"))) {
                assertThatCode(() -> evaluate(snapshot, "broken", context)).doesNotThrowAnyException();
                Outcome outcome = evaluate(snapshot, "broken", context);
                assertThat(outcome.reason()).isEqualTo(Reason.error(Reason.ErrorKind.MALFORMED_FLAG));
                assertThat(outcome.isError()).isTrue();
                assertThat(Evaluator.isTrue(snapshot, snapshot.flag("broken"), context)).isFalse();
            }
            assertThat(evaluate(snapshot, "fine", Context.of("u")).reason()).isEqualTo(Reason.fallthrough(false));
        }

        @Test
        void aFlagRequiringAMalformedFlagFailsItsPrerequisite() {
            EnvironmentFlag broken = flag(Flag.ofBoolean("broken", "Broken"), new FlagConfig(true, 5, List.of(), List.of(), Serve.ofVariation(TRUE), List.of()));
            EnvironmentFlag dependent = flag(Flag.ofBoolean("dependent", "Dependent"),
                    new FlagConfig(true, FALSE, List.of(), List.of(), Serve.ofVariation(TRUE), List.of(new Prerequisite("broken", TRUE))));
            Outcome outcome = evaluate(snapshot(broken, dependent), "dependent", Context.of("u"));
            assertThat(outcome.reason()).isEqualTo(Reason.prerequisiteFailed("broken"));
            assertThat(outcome.variation()).isEqualTo(FALSE);
        }
    }
}
