package dev.darklaunch.sdk.internal.model;

import java.util.Objects;

/** A segment's members and rules in one environment. */
public record EnvironmentSegment(String key, SegmentConfig config) {
    public EnvironmentSegment {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(config, "config");
    }
}
