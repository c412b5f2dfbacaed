package dev.darklaunch.sdk.internal.evaluation;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.internal.model.EvaluationCost;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.sdk.internal.model.SegmentRule;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** A segment ready to test membership: included keys, then excluded keys, then rules. */
final class CompiledSegment {

    private final Set<String> included;
    private final Set<String> excluded;
    private final ClauseMatcher[][] rules;

    private CompiledSegment(Set<String> included, Set<String> excluded, ClauseMatcher[][] rules) {
        this.included = included;
        this.excluded = excluded;
        this.rules = rules;
    }

    private static final CompiledSegment NOBODY = new CompiledSegment(Set.of(), Set.of(), new ClauseMatcher[0][]);

    /**
     * Compiles a segment. One that costs too much to test (see {@link EvaluationCost}) is not
     * compiled at all and contains nobody; the flags that name it are malformed anyway.
     */
    static CompiledSegment compile(SegmentConfig config) {
        if (EvaluationCost.ofSegment(config) > EvaluationCost.MAX_EVALUATION_COST) {
            return NOBODY;
        }
        try {
            return compileRules(config);
        } catch (RuntimeException e) {
            return NOBODY;
        }
    }

    private static CompiledSegment compileRules(SegmentConfig config) {
        ClauseMatcher[][] rules = new ClauseMatcher[config.rules().size()][];
        for (int i = 0; i < rules.length; i++) {
            SegmentRule rule = config.rules().get(i);
            // segment rules cannot match other segments: no lookup table needed
            rules[i] = rule.clauses().stream().map(c -> ClauseCompiler.compile(c, Map.of())).toArray(ClauseMatcher[]::new);
        }
        return new CompiledSegment(new HashSet<>(config.included()), new HashSet<>(config.excluded()), rules);
    }

    boolean contains(Context context) {
        if (included.contains(context.key())) {
            return true;
        }
        if (excluded.contains(context.key())) {
            return false;
        }
        for (ClauseMatcher[] rule : rules) {
            if (rule.length > 0 && ClauseMatcher.allMatch(rule, context)) {
                return true;
            }
        }
        return false;
    }
}
