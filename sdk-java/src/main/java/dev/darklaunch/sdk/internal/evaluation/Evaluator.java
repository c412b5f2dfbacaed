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

    /** How deep prerequisites may nest; deeper (or cyclic) chains evaluate as MALFORMED_FLAG. */
    static final int MAX_PREREQUISITE_DEPTH = 20;

    private Evaluator() {
    }

    public static Outcome evaluate(Snapshot snapshot, CompiledFlag flag, Context context) {
        return evaluate(snapshot, flag, context, 0);
    }

    /** Whether a boolean flag serves {@code true} for the context; false on any error. Counts the evaluation (if the flag counts). */
    public static boolean isTrue(Snapshot snapshot, CompiledFlag flag, Context context) {
        Outcome outcome = evaluate(snapshot, flag, context, 0);
        flag.count(outcome.variation());
        return flag.booleanValue(outcome);
    }

    private static Outcome evaluate(Snapshot snapshot, CompiledFlag flag, Context context, int depth) {
        Outcome constant = flag.constant();
        if (constant != null) {
            return constant;
        }
        CompiledRollout rolloutOnly = flag.rolloutOnly();
        if (rolloutOnly != null) {
            return rolloutOnly.pick(context);
        }
        if (!flag.on()) {
            return flag.off();
        }
        for (CompiledFlag.CompiledPrerequisite prerequisite : flag.prerequisites()) {
            if (depth >= MAX_PREREQUISITE_DEPTH) {
                return flag.malformed();
            }
            CompiledFlag required = snapshot.flag(prerequisite.flagKey());
            if (required == null || !required.on()) {
                return prerequisite.failed();
            }
            Outcome outcome = evaluate(snapshot, required, context, depth + 1);
            if (outcome.isError() && outcome == required.malformed()) {
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
                return serve(rule.serving(), context);
            }
        }
        return serve(flag.fallthrough(), context);
    }

    private static Outcome serve(CompiledFlag.Serving serving, Context context) {
        return serving.fixed() != null ? serving.fixed() : serving.rollout().pick(context);
    }
}
