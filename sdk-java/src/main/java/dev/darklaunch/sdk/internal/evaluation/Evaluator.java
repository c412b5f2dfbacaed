package dev.darklaunch.sdk.internal.evaluation;

import dev.darklaunch.sdk.Context;

/**
 * Evaluates a flag for a context against one snapshot. It knows nothing of transport, storage or
 * the client: given the same snapshot and context it always returns the same outcome, and it
 * allocates nothing on the way.
 *
 * <p>Order: off → prerequisites → individual targets → rules in order → fallthrough.
 */
public final class Evaluator {

    private Evaluator() {
    }

    public static Outcome evaluate(Snapshot snapshot, CompiledFlag flag, Context context) {
        return evaluate(flag, context);
    }

    /** Whether a boolean flag serves {@code true} for the context; false on any error. Counts the evaluation (if the flag counts). */
    public static boolean isTrue(Snapshot snapshot, CompiledFlag flag, Context context) {
        Outcome outcome = evaluate(flag, context);
        flag.count(outcome.variation());
        return flag.booleanValue(outcome);
    }

    /**
     * Prerequisites were linked when the snapshot was compiled, which refused cycles and graphs
     * with too many paths (see {@code EnvironmentCheck}): the recursion ends, and within a bound.
     */
    private static Outcome evaluate(CompiledFlag flag, Context context) {
        Outcome constant = flag.constant();
        if (constant != null) {
            return constant;
        }
        CompiledRollout rolloutOnly = flag.rolloutOnly();
        if (rolloutOnly != null) {
            Outcome picked = rolloutOnly.pick(context);
            return picked != null ? picked : flag.unbucketed();
        }
        if (!flag.on()) {
            return flag.off();
        }
        for (CompiledFlag.CompiledPrerequisite prerequisite : flag.prerequisites()) {
            CompiledFlag required = prerequisite.flag();
            if (required == null || !required.on()) { // a malformed flag is never on: its dependents' prerequisite fails
                return prerequisite.failed();
            }
            Outcome outcome = evaluate(required, context);
            if (outcome.isError()) {
                return flag.malformed();
            }
            if (outcome.variation() != prerequisite.variation()) {
                return prerequisite.failed();
            }
        }
        if (!flag.targets().isEmpty()) {
            Outcome target = flag.targets().get(context.key());
            if (target != null) {
                return target;
            }
        }
        for (CompiledFlag.CompiledRule rule : flag.rules()) {
            if (ClauseMatcher.allMatch(rule.clauses(), context)) {
                CompiledFlag.Serving serving = rule.serving();
                if (serving.fixed() != null) {
                    return serving.fixed();
                }
                Outcome picked = serving.rollout().pick(context);
                if (picked != null) {
                    return picked;
                }
                // a context without the rollout's bucketing attribute is not in the rollout: the rule does not match it
            }
        }
        CompiledFlag.Serving fallthrough = flag.fallthrough();
        if (fallthrough.fixed() != null) {
            return fallthrough.fixed();
        }
        Outcome picked = fallthrough.rollout().pick(context);
        return picked != null ? picked : flag.unbucketed();
    }
}
