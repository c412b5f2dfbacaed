package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a {@link Clause} compares a context attribute with its values.
 *
 * <p>JSON names are camelCase ({@code in, startsWith, …, segmentMatch}). Any other name decodes
 * to {@link #UNKNOWN} rather than failing, because an SDK must keep working when a newer server
 * sends an operator it does not know (the evaluator treats such a clause as not matching). The
 * server rejects {@code UNKNOWN} through {@link ModelValidator}, so it never stores or sends it.
 */
public enum Operator {
    IN("in"),
    STARTS_WITH("startsWith"),
    ENDS_WITH("endsWith"),
    CONTAINS("contains"),
    MATCHES("matches"),
    NUMBER_EQ("numberEq"),
    NUMBER_LT("numberLt"),
    NUMBER_LTE("numberLte"),
    NUMBER_GT("numberGt"),
    NUMBER_GTE("numberGte"),
    SEMVER_EQ("semverEq"),
    SEMVER_LT("semverLt"),
    SEMVER_LTE("semverLte"),
    SEMVER_GT("semverGt"),
    SEMVER_GTE("semverGte"),
    BEFORE("before"),
    AFTER("after"),
    IN_CIDR("inCidr"),
    EXISTS("exists"),
    SEGMENT_MATCH("segmentMatch"),
    /** An operator this version does not know; never valid input for the server. */
    UNKNOWN("unknown");

    private static final Map<String, Operator> BY_JSON_NAME = Arrays.stream(values())
            .filter(op -> op != UNKNOWN)
            .collect(Collectors.toUnmodifiableMap(Operator::jsonName, Function.identity()));

    private static final String KNOWN_NAMES = Arrays.stream(values())
            .filter(op -> op != UNKNOWN)
            .map(Operator::jsonName)
            .collect(Collectors.joining(", "));

    private final String jsonName;

    Operator(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in JSON, e.g. {@code "startsWith"}. */
    @JsonValue
    public String jsonName() {
        return jsonName;
    }

    /**
     * The operator with this JSON name, or {@link #UNKNOWN} for {@code null} or any other name
     * (names are case-sensitive).
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Operator fromJsonName(String name) {
        return name == null ? UNKNOWN : BY_JSON_NAME.getOrDefault(name, UNKNOWN);
    }

    /** The JSON names of all known operators, comma-separated, for error messages. */
    public static String knownNames() {
        return KNOWN_NAMES;
    }
}
