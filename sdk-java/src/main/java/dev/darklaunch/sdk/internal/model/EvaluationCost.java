package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * What one evaluation of a flag may cost, in work units: one unit is about one comparison of an
 * attribute value, or one instruction of a compiled regular expression. Each flag evaluation
 * costs 1, plus for every clause of its rules:
 * <ul>
 *   <li>{@code matches}: the {@linkplain PatternSize size} of each regular expression;
 *   <li>{@code in}: 1 (text is looked up in a hash set), plus 1 per number or boolean value;
 *   <li>{@code exists}: 1;
 *   <li>{@code segmentMatch}: the cost of each segment it names (1 for a segment that does not exist);
 *   <li>every other operator: 1 per value.
 * </ul>
 * A segment costs 1 plus its rules' clauses, counted the same way. The cost of a flag's
 * prerequisites is added by {@link EnvironmentCheck}. Server and SDK count alike: the server
 * refuses a change that takes a flag over {@link #MAX_EVALUATION_COST}, and an SDK serves such a
 * flag (however it got one) as MALFORMED_FLAG.
 */
public final class EvaluationCost {

    /**
     * The most one evaluation of a flag, prerequisites and segments included, may cost: room for
     * hundreds of rules, thousands of clause values or five of the largest regular expressions,
     * and a fraction of a millisecond of work at worst (see BENCHMARKS.md).
     */
    public static final long MAX_EVALUATION_COST = 50_000;

    private EvaluationCost() {
    }

    /** The cost of a flag's own rules (without prerequisites); {@code segments} gives a segment's cost by key. */
    public static long ofRules(List<Rule> rules, ToLongFunction<String> segments) {
        long cost = 1;
        for (Rule rule : rules) {
            for (Clause clause : rule.clauses()) {
                cost = add(cost, ofClause(clause, segments));
            }
        }
        return cost;
    }

    /** The cost of testing a context against a segment's rules. */
    public static long ofSegment(SegmentConfig config) {
        long cost = 1;
        for (SegmentRule rule : config.rules()) {
            for (Clause clause : rule.clauses()) {
                cost = add(cost, ofClause(clause, key -> 1));
            }
        }
        return cost;
    }

    static long ofClause(Clause clause, ToLongFunction<String> segments) {
        if (clause.op() == null) {
            return 1;
        }
        long cost = 0;
        switch (clause.op()) {
            case EXISTS -> cost = 1;
            case MATCHES -> {
                for (JsonNode value : clause.values()) {
                    cost = add(cost, value.isTextual() ? ofPattern(value.textValue()) : 1);
                }
            }
            case IN -> {
                cost = 1;
                for (JsonNode value : clause.values()) {
                    cost += value.isTextual() ? 0 : 1;
                }
            }
            case SEGMENT_MATCH -> {
                for (JsonNode value : clause.values()) {
                    cost = add(cost, value.isTextual() ? Math.max(1, segments.applyAsLong(value.textValue())) : 1);
                }
            }
            default -> cost = clause.values().size();
        }
        return Math.max(1, cost);
    }

    /**
     * The size of a regular expression's compiled program, from its text (see {@link PatternSize});
     * a pattern longer than {@link ModelValidator#MAX_REGEX_LENGTH} counts as over every limit.
     */
    public static long ofPattern(String pattern) {
        return pattern.length() > ModelValidator.MAX_REGEX_LENGTH ? PatternSize.SATURATED : PatternSize.of(pattern);
    }

    /**
     * Whether a pattern may be compiled: short enough, small enough once expanded, and nothing
     * RE2/J cannot compile ignoring case (see {@link PatternSize#hangsIgnoringCase}).
     */
    public static boolean patternFits(String pattern, boolean caseInsensitive) {
        return ofPattern(pattern) <= ModelValidator.MAX_PATTERN_SIZE && !PatternSize.hangsIgnoringCase(pattern, caseInsensitive);
    }

    static long add(long a, long b) {
        return Math.min(PatternSize.SATURATED, a + b);
    }
}
