package dev.darklaunch.sdk.internal.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.internal.model.Clause;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The steps the evaluator took for one flag and context, recorded by the evaluator itself while it
 * evaluates (see {@link Evaluator#explain}): which prerequisites it checked, whether a target
 * matched, each rule it tried with each clause it tested (and for segments, why a context is or
 * is not a member), the fallthrough, and for a rollout the context's bucket. Only an explaining
 * evaluation creates one; the SDK's ordinary evaluations pass none and allocate nothing.
 *
 * <p>Facts only, no sentences, and no JSON mapping (the evaluator knows no transport): the server
 * writes them out, the reader (the admin UI) puts them into words.
 */
public final class Explanation {

    /**
     * One step, in the order the evaluator took it. The step
     * that decided the answer carries {@code served}: the variation served (null: the caller's
     * default, for a flag without an off variation or an error).
     */
    public sealed interface Step permits Off, PrerequisiteChecked, TargetChecked, RuleTried, Fallthrough {
    }

    /** The flag is off: it serves its off variation. */
    public record Off(Integer served) implements Step {
    }

    /**
     * A prerequisite: the flag it names ({@code found} false: no such flag here; {@code on} false: it
     * is off), the variation it must serve, what it served (null when not evaluated, or when it
     * served the caller's default), and whether it was met.
     */
    public record PrerequisiteChecked(String flag, boolean found, boolean on, int requiredVariation, Integer servedVariation,
                                      boolean met, Integer served) implements Step {
    }

    /** The individual targets: whether the context's key is one of them, and which variation it gets. */
    public record TargetChecked(String contextKey, boolean matched, Integer served) implements Step {
    }

    /**
     * A rule tried: its position (from 0), id and description, the clauses tested in order (the
     * evaluator stops at the first that fails), whether all matched, and, for a rollout, the bucket.
     */
    public record RuleTried(int index, String id, String description, List<ClauseTested> clauses, boolean matched,
                            Bucket bucket, Integer served) implements Step {
    }

    /** The fallthrough (default rule) served; for a rollout, the bucket. */
    public record Fallthrough(Bucket bucket, Integer served) implements Step {
    }

    /**
     * A clause tested: as configured, the context's value of its attribute (null: the context lacks
     * it), whether it matched, and for {@code segmentMatch} each segment tested. {@code unusable}
     * (else left out) marks a clause this SDK cannot evaluate (an unknown operator, no usable value,
     * a regular expression it cannot compile, a rule without clauses): it never matches, negated or not.
     */
    public record ClauseTested(int index, String attribute, String op, List<JsonNode> values, boolean negate,
                               boolean caseInsensitive, Object contextValue, boolean matched, List<SegmentTested> segments,
                               Boolean unusable) {
    }

    /** Why a context is in a segment or not: {@code included}, {@code excluded}, {@code rule} (with its index) or {@code none}. */
    public record SegmentTested(String segment, String membership, Integer rule) {
    }

    /**
     * A rollout's bucketing: the attribute bucketed by ({@code key} unless configured), its value
     * (null: the context lacks it and is not in the rollout), the bucket out of {@code total}, and the
     * variation whose range {@code [from, to)} holds it.
     */
    public record Bucket(String bucketBy, Object value, Integer bucket, long total, Integer variation, Long from, Long to) {
    }

    private final List<Step> steps = new ArrayList<>();
    /** The rule being tried: its clauses so far (null outside a rule). */
    private List<ClauseTested> clauses;
    private List<SegmentTested> segments;
    private Bucket bucket;

    Explanation() {
    }

    public List<Step> steps() {
        return Collections.unmodifiableList(steps);
    }

    private static Integer served(Outcome outcome) {
        return outcome == null || outcome.variation() < 0 ? null : outcome.variation();
    }

    void off(Outcome served) {
        steps.add(new Off(served(served)));
    }

    /**
     * A prerequisite checked: what the required flag served (null when it was not evaluated),
     * and {@code served}, this flag's outcome when it was not met (else null).
     */
    void prerequisite(String flag, CompiledFlag required, int requiredVariation, Outcome requiredServed, boolean met, Outcome served) {
        steps.add(new PrerequisiteChecked(flag, required != null, required != null && required.on(), requiredVariation,
                served(requiredServed), met, served(served)));
    }

    void targets(String contextKey, Outcome target) {
        steps.add(new TargetChecked(contextKey, target != null, served(target)));
    }

    void ruleStarted() {
        clauses = new ArrayList<>();
        bucket = null;
    }

    /** Before a clause is matched: collects the segments it tests. */
    void clauseStarted() {
        segments = null;
    }

    void segment(String key, String membership, Integer rule) {
        if (segments == null) {
            segments = new ArrayList<>();
        }
        segments.add(new SegmentTested(key, membership, rule));
    }

    /**
     * A clause of the rule being tried (a segment's own rules are matched without a trace: the
     * segment's membership sums them up).
     */
    void clause(int index, Clause clause, Object contextValue, boolean matched, boolean unusable) {
        clauses.add(new ClauseTested(index, clause == null ? null : clause.attribute(),
                clause == null || clause.op() == null ? null : clause.op().jsonName(), clause == null ? List.of() : clause.values(),
                clause != null && clause.negate(), clause != null && clause.caseInsensitive(), contextValue, matched,
                segments == null ? null : List.copyOf(segments), unusable ? Boolean.TRUE : null));
        segments = null;
    }

    void bucketed(Bucket bucket) {
        this.bucket = bucket;
    }

    void ruleEnded(int index, String id, String description, Outcome served) {
        steps.add(new RuleTried(index, id, description, List.copyOf(clauses), served != null, bucket, served(served)));
        clauses = null;
        bucket = null;
    }

    void fallthrough(Outcome served) {
        steps.add(new Fallthrough(bucket, served(served)));
        bucket = null;
    }
}
