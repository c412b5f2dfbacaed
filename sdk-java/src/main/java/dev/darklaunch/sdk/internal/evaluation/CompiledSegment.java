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

    private final String key;
    private final Set<String> included;
    private final Set<String> excluded;
    private final ClauseMatcher[][] rules;

    private CompiledSegment(String key, Set<String> included, Set<String> excluded, ClauseMatcher[][] rules) {
        this.key = key;
        this.included = included;
        this.excluded = excluded;
        this.rules = rules;
    }

    /**
     * Compiles a segment. One that costs too much to test (see {@link EvaluationCost}) is not
     * compiled at all and contains nobody; the flags that name it are malformed anyway.
     */
    static CompiledSegment compile(String key, SegmentConfig config) {
        if (EvaluationCost.ofSegment(config) > EvaluationCost.MAX_EVALUATION_COST) {
            return nobody(key);
        }
        try {
            return compileRules(key, config);
        } catch (RuntimeException e) {
            return nobody(key);
        }
    }

    private static CompiledSegment nobody(String key) {
        return new CompiledSegment(key, Set.of(), Set.of(), new ClauseMatcher[0][]);
    }

    private static CompiledSegment compileRules(String key, SegmentConfig config) {
        ClauseMatcher[][] rules = new ClauseMatcher[config.rules().size()][];
        for (int i = 0; i < rules.length; i++) {
            SegmentRule rule = config.rules().get(i);
            // segment rules cannot match other segments: no lookup table needed
            rules[i] = rule.clauses().stream().map(c -> ClauseCompiler.compile(c, Map.of())).toArray(ClauseMatcher[]::new);
        }
        return new CompiledSegment(key, new HashSet<>(config.included()), new HashSet<>(config.excluded()), rules);
    }

    boolean contains(Context context) {
        return contains(context, null);
    }

    /** Whether the context is a member; with a {@code trace}, records why (included, excluded, which rule, none). */
    boolean contains(Context context, Explanation trace) {
        if (included.contains(context.key())) {
            if (trace != null) {
                trace.segment(key, "included", null);
            }
            return true;
        }
        if (excluded.contains(context.key())) {
            if (trace != null) {
                trace.segment(key, "excluded", null);
            }
            return false;
        }
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].length > 0 && ClauseMatcher.allMatch(rules[i], context)) {
                if (trace != null) {
                    trace.segment(key, "rule", i);
                }
                return true;
            }
        }
        if (trace != null) {
            trace.segment(key, "none", null);
        }
        return false;
    }
}
