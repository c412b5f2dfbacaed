package dev.darklaunch.sdk.internal.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.EvaluationDetail;
import dev.darklaunch.sdk.Reason;

/**
 * One possible result of evaluating a flag: a variation and why, with the answers each typed
 * getter returns built in advance. Every outcome of a flag is created when the snapshot is
 * compiled, so evaluating allocates nothing.
 */
public final class Outcome {

    private final int variation;
    private final Reason reason;
    private final EvaluationDetail<Object> detail;
    private final EvaluationDetail<Integer> intDetail;
    private final EvaluationDetail<JsonNode> jsonDetail;

    Outcome(int variation, Reason reason, Object value, JsonNode json) {
        this.variation = variation;
        this.reason = reason;
        this.detail = new EvaluationDetail<>(value, variation, reason);
        this.intDetail = value instanceof Double number ? new EvaluationDetail<>((int) number.doubleValue(), variation, reason) : null;
        this.jsonDetail = new EvaluationDetail<>(json, variation, reason);
    }

    /** The served variation's index, or -1 when the caller's default is served (an error, or a flag without an off variation). */
    public int variation() {
        return variation;
    }

    public Reason reason() {
        return reason;
    }

    /** The value as the flag's kind reads it: Boolean, String, Double or JsonNode; null when the default is served. */
    public EvaluationDetail<Object> detail() {
        return detail;
    }

    /** For number flags: the value truncated to an int; null otherwise. */
    public EvaluationDetail<Integer> intDetail() {
        return intDetail;
    }

    /** The value as JSON, for any kind; null for errors. */
    public EvaluationDetail<JsonNode> jsonDetail() {
        return jsonDetail;
    }

    public boolean isError() {
        return reason.kind() == Reason.Kind.ERROR;
    }

    /** Whether the caller's default is served: an error, or the off variation of a flag that has none. */
    public boolean servesDefault() {
        return variation < 0;
    }
}
