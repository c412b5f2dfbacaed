package dev.darklaunch.server.documents;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.sdk.internal.model.SegmentConfig;

import java.util.List;
import java.util.Map;

/**
 * A project as one document: flags and segments in key order, each with its configuration per
 * environment (by environment key, in key order). Nothing volatile (versions, times, ids), so the
 * same project always gives the same document. A document read for apply may name only some flags,
 * segments or environments: what it leaves out it leaves alone.
 */
record ProjectDocument(List<FlagEntry> flags, List<SegmentEntry> segments) {

    /** A flag's definition and its configurations; {@code environments} may name only some. */
    record FlagEntry(Flag flag, Map<String, FlagConfig> environments) {
    }

    /** A segment's definition and its configurations; {@code environments} may name only some. */
    record SegmentEntry(Segment segment, Map<String, SegmentConfig> environments) {
    }
}
