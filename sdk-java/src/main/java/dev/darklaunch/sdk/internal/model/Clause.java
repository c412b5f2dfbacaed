package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One condition of a rule: the context attribute {@code attribute} compared with {@code values}
 * by {@code op}. It matches when the attribute matches any of the values (for
 * {@link Operator#EXISTS}: when the attribute is present), inverted by {@code negate}.
 *
 * @param attribute the attribute name; {@code "key"} is the context key; required
 * @param op the operator; required. {@link Operator#UNKNOWN} for an operator from a newer server
 * @param values the operand values; empty when absent (only valid for {@code exists}). A
 *     {@code null} element is stored as a JSON {@code null} node, which validation rejects
 * @param negate invert the result; {@code false} when absent
 * @param caseInsensitive compare strings ignoring case; {@code false} when absent
 */
public record Clause(String attribute, Operator op, List<JsonNode> values, boolean negate, boolean caseInsensitive) {
    public Clause {
        values = Copies.jsonList(values);
    }

    /** A clause that is neither negated nor case-insensitive. */
    public static Clause of(String attribute, Operator op, JsonNode... values) {
        return new Clause(attribute, op, List.of(values), false, false);
    }
}
