package dev.darklaunch.sdk.internal.evaluation;

import dev.darklaunch.sdk.Context;

/**
 * Evaluates a flag for a context against one snapshot. It knows nothing of transport, storage or
 * the client: given the same snapshot and context it always returns the same outcome, and it
 * allocates nothing on the way.
 *
 * <p>Order: off → prerequisites → individual targets → rules in order → fallthrough.
 *
 * <p>The same code explains an answer ({@link #explain}): it then records each step into an
 * {@link Explanation} as it takes it, so an explanation cannot disagree with the answer. Ordinary
 * evaluations pass no explanation and record nothing.
 */
public final class Evaluator {

    /** An explained evaluation: the outcome, and the steps that led to it. */
    public record Explained(Outcome outcome, Explanation explanation) {
    }

    private Evaluator() {
    }

    public static Outcome evaluate(Snapshot snapshot, CompiledFlag flag, Context context) {
        return evaluate(flag, context, null);
    }

    /** Evaluates like {@link #evaluate} and records the steps taken (slower; for previews, never the SDK's hot path). */
    public static Explained explain(Snapshot snapshot, CompiledFlag flag, Context context) {
        Explanation trace = new Explanation();
        return new Explained(evaluate(flag, context, trace), trace);
    }

    /** Whether a boolean flag serves {@code true} for the context; false on any error. Counts the evaluation (if the flag counts). */
    public static boolean isTrue(Snapshot snapshot, CompiledFlag flag, Context context) {
        Outcome outcome = evaluate(flag, context, null);
        flag.count(outcome.variation());
        return flag.booleanValue(outcome);
    }

    /**
     * Prerequisites were linked when the snapshot was compiled, which refused cycles and graphs
     * with too many paths (see {@code EnvironmentCheck}): the recursion ends, and within a bound.
     * The shortcuts (a constant answer, a rollout only) are taken only when not explaining: they
     * give the outcome the full path gives, without its steps.
     */
    private static Outcome evaluate(CompiledFlag flag, Context context, Explanation trace) {
        if (trace == null) {
            Outcome constant = flag.constant();
            if (constant != null) {
                return constant;
            }
            CompiledRollout rolloutOnly = flag.rolloutOnly();
            if (rolloutOnly != null) {
                Outcome picked = rolloutOnly.pick(context);
                return picked != null ? picked : flag.unbucketed();
            }
        }
        if (!flag.on()) {
            if (trace != null) {
                trace.off(flag.off());
            }
            return flag.off();
        }
        for (CompiledFlag.CompiledPrerequisite prerequisite : flag.prerequisites()) {
            CompiledFlag required = prerequisite.flag();
            if (required == null || !required.on()) { // a malformed flag is never on: its dependents' prerequisite fails
                if (trace != null) {
                    trace.prerequisite(prerequisite.key(), required, prerequisite.variation(), null, false, prerequisite.failed());
                }
                return prerequisite.failed();
            }
            Outcome outcome = evaluate(required, context, null);
            Outcome failed = outcome.isError() ? flag.malformed() : outcome.variation() != prerequisite.variation() ? prerequisite.failed() : null;
            if (trace != null) {
                trace.prerequisite(prerequisite.key(), required, prerequisite.variation(), outcome, failed == null, failed);
            }
            if (failed != null) {
                return failed;
            }
        }
        if (!flag.targets().isEmpty()) {
            Outcome target = flag.targets().get(context.key());
            if (trace != null) {
                trace.targets(context.key(), target);
            }
            if (target != null) {
                return target;
            }
        }
        CompiledFlag.CompiledRule[] rules = flag.rules();
        for (int i = 0; i < rules.length; i++) {
            CompiledFlag.CompiledRule rule = rules[i];
            if (trace != null) {
                trace.ruleStarted();
            }
            Outcome served = null;
            if (ClauseMatcher.allMatch(rule.clauses(), context, trace, trace == null ? null : rule.described().clauses())) {
                CompiledFlag.Serving serving = rule.serving();
                // a context without the rollout's bucketing attribute is not in the rollout: the rule does not match it
                served = serving.fixed() != null ? serving.fixed() : serving.rollout().pick(context, trace);
            }
            if (trace != null) {
                trace.ruleEnded(i, rule.described().id(), rule.described().description(), served);
            }
            if (served != null) {
                return served;
            }
        }
        CompiledFlag.Serving fallthrough = flag.fallthrough();
        Outcome picked = fallthrough.fixed() != null ? fallthrough.fixed() : fallthrough.rollout().pick(context, trace);
        Outcome served = picked != null ? picked : flag.unbucketed();
        if (trace != null) {
            trace.fallthrough(served);
        }
        return served;
    }
}
