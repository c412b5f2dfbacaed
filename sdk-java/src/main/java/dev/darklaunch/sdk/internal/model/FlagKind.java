package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** The type of a flag's variation values. JSON names: {@code boolean, string, number, json}. */
public enum FlagKind {
    /** Exactly two variations, {@code true} and {@code false}. */
    BOOLEAN("boolean"),
    /** JSON strings. */
    STRING("string"),
    /** Finite JSON numbers. */
    NUMBER("number"),
    /** Any JSON value except {@code null}. */
    JSON("json");

    private final String jsonName;

    FlagKind(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in JSON, e.g. {@code "boolean"}. */
    @JsonValue
    public String jsonName() {
        return jsonName;
    }
}
