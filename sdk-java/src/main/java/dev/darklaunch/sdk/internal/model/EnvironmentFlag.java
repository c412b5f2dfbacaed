package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * A flag as one environment serves it: its definition and its configuration there, and whether a
 * guarded release is watching it right now ({@code guarded}): then the SDK counts, per served
 * variation, the flag's evaluations (exposures) and the events the application tracks, and
 * reports those sums so the server can compare the variations. Left out of the JSON when false, so
 * an SDK that predates guards reads the feed unchanged.
 */
public record EnvironmentFlag(Flag flag, FlagConfig config,
                              @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean guarded) {
    public EnvironmentFlag {
        Objects.requireNonNull(flag, "flag");
        Objects.requireNonNull(config, "config");
    }

    /** A flag no guard is watching. */
    public EnvironmentFlag(Flag flag, FlagConfig config) {
        this(flag, config, false);
    }
}
