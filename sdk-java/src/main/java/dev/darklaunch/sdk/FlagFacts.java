package dev.darklaunch.sdk;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a flag is, as opposed to what it serves: its kind, its variations' names, its metadata,
 * and whether its answer can depend on the context. For adapters that report these with each
 * evaluation (OpenFeature's variant, flag metadata and STATIC reason). Built when the flag data
 * arrives, so asking for it allocates nothing; a new instance comes with every change of the flag.
 *
 * @param key            the flag's key
 * @param kind           the type of its values
 * @param variationNames each variation's name by index, null where a variation has none
 * @param metadata       the flag's metadata in this environment: String, Boolean, Integer (whole
 *                       numbers that fit), Long (other whole numbers) or Double values
 * @param contextFree    whether every context gets the same answer: the flag is off, or on with
 *                       nothing but a fixed fallthrough (no prerequisites, targets, rules or rollout)
 */
public record FlagFacts(String key, Kind kind, List<String> variationNames, Map<String, Object> metadata, boolean contextFree) {

    /** The type of a flag's values. */
    public enum Kind {
        BOOLEAN, STRING, NUMBER, JSON
    }

    public FlagFacts {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        variationNames = Collections.unmodifiableList(Arrays.asList(variationNames.toArray(String[]::new))); // names may be null
        metadata = Map.copyOf(metadata);
    }

    /** The name of the variation at {@code index}, or null when it has none or there is no such variation. */
    public String variationName(int index) {
        return index >= 0 && index < variationNames.size() ? variationNames.get(index) : null;
    }
}
