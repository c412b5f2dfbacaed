package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A segment membership rule: a context matching all clauses is a member.
 *
 * @param id a stable identifier, unique among the segment's rules, or {@code null}
 * @param clauses all must match; empty when absent (validation requires at least one). Clauses
 *     may not use {@link Operator#SEGMENT_MATCH}: segments do not nest
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SegmentRule(String id, List<Clause> clauses) {
    public SegmentRule {
        clauses = Copies.list(clauses);
    }
}
