package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.BooleanNode;
import java.util.List;

/**
 * A flag as defined in a project; its behaviour per environment is a {@link FlagConfig}.
 *
 * @param key unique within the project, see {@link ModelValidator#validateKey}; required
 * @param name human-readable name; required
 * @param description free text, or {@code null}
 * @param kind the type of all variation values; required
 * @param variations the values the flag can serve, addressed by index everywhere else; for a
 *     {@link FlagKind#BOOLEAN boolean} flag exactly {@code true} and {@code false}
 * @param tags labels for searching and grouping; empty when absent
 * @param owner who answers for the flag (a person or team), or {@code null}
 * @param lifecycle {@link Lifecycle#TEMPORARY} when absent (or {@code null})
 * @param archived archived flags are hidden in the UI and not sent to SDKs; {@code false} when absent
 * @param clientSide whether browser-safe {@code client} tokens may evaluate the flag (over OFREP);
 *     {@code false} when absent, and then left out of the JSON, so documents without it keep their shape
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Flag(
        String key,
        String name,
        String description,
        FlagKind kind,
        List<Variation> variations,
        List<String> tags,
        String owner,
        Lifecycle lifecycle,
        boolean archived,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean clientSide) {

    public Flag {
        variations = Copies.list(variations);
        tags = Copies.list(tags);
        lifecycle = lifecycle == null ? Lifecycle.TEMPORARY : lifecycle;
    }

    /** A flag that client tokens may not evaluate (the default). */
    public Flag(String key, String name, String description, FlagKind kind, List<Variation> variations, List<String> tags,
                String owner, Lifecycle lifecycle, boolean archived) {
        this(key, name, description, kind, variations, tags, owner, lifecycle, archived, false);
    }

    /** The same flag, evaluable by client tokens or not. */
    public Flag withClientSide(boolean newClientSide) {
        return new Flag(key, name, description, kind, variations, tags, owner, lifecycle, archived, newClientSide);
    }

    /**
     * A temporary, untagged boolean flag whose variations are {@code true} (index 0) and
     * {@code false} (index 1).
     */
    public static Flag ofBoolean(String key, String name) {
        return new Flag(key, name, null, FlagKind.BOOLEAN,
                List.of(Variation.of(BooleanNode.TRUE), Variation.of(BooleanNode.FALSE)),
                List.of(), null, Lifecycle.TEMPORARY, false);
    }

    /** The index of the variation whose value is the JSON boolean {@code value}, or -1. */
    public int indexOfBoolean(boolean value) {
        for (int i = 0; i < variations.size(); i++) {
            if (variations.get(i).value().isBoolean() && variations.get(i).value().booleanValue() == value) {
                return i;
            }
        }
        return -1;
    }
}
