package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A targeting rule: when all its clauses match, serve {@code serve}.
 *
 * @param id a stable identifier, unique among the flag's rules (evaluation reasons and metrics
 *     name it), or {@code null} when the client did not give one
 * @param description free text, or {@code null}
 * @param clauses all must match (logical AND); empty when absent (validation requires at least one)
 * @param serve what to serve on a match; required
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rule(String id, String description, List<Clause> clauses, Serve serve) {
    public Rule {
        clauses = Copies.list(clauses);
    }
}
