package dev.darklaunch.sdk.internal.model;

import java.util.List;

/**
 * Everything an SDK needs to evaluate one environment's flags: the SDK feed's snapshot, the
 * backup file's content and the shape of bootstrap data.
 *
 * @param revision the environment's revision this data reflects (0 for data not from a server)
 * @param flags    every flag with its configuration in the environment
 * @param segments every segment with its members and rules in the environment
 */
public record EnvironmentData(long revision, List<EnvironmentFlag> flags, List<EnvironmentSegment> segments) {
    public EnvironmentData {
        flags = Copies.list(flags);
        segments = Copies.list(segments);
    }

    public static EnvironmentData empty() {
        return new EnvironmentData(0, List.of(), List.of());
    }
}
