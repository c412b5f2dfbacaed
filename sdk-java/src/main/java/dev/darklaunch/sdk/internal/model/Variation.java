package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One value a flag can serve.
 *
 * @param value the value, of the flag's {@link FlagKind}; required. A missing value is stored as
 *     a JSON {@code null} node (which validation rejects), never as a Java {@code null}.
 * @param name a short label for the admin UI, or {@code null}
 * @param description what serving this value means, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Variation(JsonNode value, String name, String description) {
    public Variation {
        value = Copies.json(value);
    }

    /** A variation with a value only. */
    public static Variation of(JsonNode value) {
        return new Variation(value, null, null);
    }
}
