package dev.darklaunch.sdk.internal.model;

import java.util.Objects;

/** A flag as one environment serves it: its definition and its configuration there. */
public record EnvironmentFlag(Flag flag, FlagConfig config) {
    public EnvironmentFlag {
        Objects.requireNonNull(flag, "flag");
        Objects.requireNonNull(config, "config");
    }
}
