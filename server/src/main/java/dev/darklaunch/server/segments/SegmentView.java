package dev.darklaunch.server.segments;

import dev.darklaunch.server.store.Versioned;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.sdk.internal.model.SegmentConfig;

import java.time.OffsetDateTime;

/** A segment as the API shows it. */
public record SegmentView(@JsonUnwrapped Segment segment, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt) implements Versioned {

    /** A segment's members and rules in one environment, with the version If-Match refers to. */
    public record ConfigView(String segment, String environment, long version, OffsetDateTime updatedAt,
                             SegmentConfig config) implements Versioned {
    }
}
