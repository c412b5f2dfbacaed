package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether a flag is meant to be removed once its feature is released ({@code temporary}, the
 * default) or to stay as a permanent operational switch ({@code permanent}). Stale-flag reports
 * only consider temporary flags.
 */
public enum Lifecycle {
    TEMPORARY("temporary"),
    PERMANENT("permanent");

    private final String jsonName;

    Lifecycle(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in JSON, e.g. {@code "temporary"}. */
    @JsonValue
    public String jsonName() {
        return jsonName;
    }
}
