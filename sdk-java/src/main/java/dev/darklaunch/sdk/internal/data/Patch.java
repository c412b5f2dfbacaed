package dev.darklaunch.sdk.internal.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stream's {@code patch} event: everything that changed between {@code previous} and
 * {@code revision} (docs/sdk-feed.md).
 */
record Patch(@JsonProperty(required = true) long previous, @JsonProperty(required = true) long revision,
             List<EnvironmentFlag> flags, List<EnvironmentSegment> segments,
             List<String> deletedFlags, List<String> deletedSegments) {

    Patch {
        flags = flags == null ? List.of() : List.copyOf(flags);
        segments = segments == null ? List.of() : List.copyOf(segments);
        deletedFlags = deletedFlags == null ? List.of() : List.copyOf(deletedFlags);
        deletedSegments = deletedSegments == null ? List.of() : List.copyOf(deletedSegments);
        if (previous < 0 || revision <= previous) {
            throw new IllegalArgumentException("a patch goes forward: previous " + previous + ", revision " + revision);
        }
    }

    /** The data after this patch; {@code base} must be at {@link #previous()}. Flags keep their order, new ones last. */
    EnvironmentData applyTo(EnvironmentData base) {
        Map<String, EnvironmentFlag> newFlags = new LinkedHashMap<>();
        base.flags().forEach(f -> newFlags.put(f.flag().key(), f));
        deletedFlags.forEach(newFlags::remove);
        flags.forEach(f -> newFlags.put(f.flag().key(), f));
        Map<String, EnvironmentSegment> newSegments = new LinkedHashMap<>();
        base.segments().forEach(s -> newSegments.put(s.key(), s));
        deletedSegments.forEach(newSegments::remove);
        segments.forEach(s -> newSegments.put(s.key(), s));
        return new EnvironmentData(revision, new ArrayList<>(newFlags.values()), new ArrayList<>(newSegments.values()));
    }
}
