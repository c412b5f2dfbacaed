package dev.darklaunch.server.feed;

import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What changed in one environment between {@code previous} and {@code revision}: the new state of
 * every changed flag and segment and the keys of deleted ones. One committed transaction is one
 * revision and one patch; a source that catches up over several revisions at once sends one patch
 * spanning them. This record is also the JSON of the SSE {@code patch} event.
 */
public record Patch(long previous, long revision, List<EnvironmentFlag> flags, List<EnvironmentSegment> segments,
                    List<String> deletedFlags, List<String> deletedSegments) {

    public Patch {
        if (revision <= previous) {
            throw new IllegalArgumentException("a patch must move forward: " + previous + " → " + revision);
        }
        flags = List.copyOf(flags);
        segments = List.copyOf(segments);
        deletedFlags = List.copyOf(deletedFlags);
        deletedSegments = List.copyOf(deletedSegments);
    }

    /** The data after this patch; {@code data} must be at {@link #previous()}. */
    public EnvironmentData applyTo(EnvironmentData data) {
        if (data.revision() != previous) {
            throw new IllegalStateException("patch " + previous + " → " + revision + " does not apply to revision " + data.revision());
        }
        Map<String, EnvironmentFlag> nextFlags = new TreeMap<>();
        data.flags().forEach(f -> nextFlags.put(f.flag().key(), f));
        deletedFlags.forEach(nextFlags::remove);
        flags.forEach(f -> nextFlags.put(f.flag().key(), f));
        Map<String, EnvironmentSegment> nextSegments = new TreeMap<>();
        data.segments().forEach(s -> nextSegments.put(s.key(), s));
        deletedSegments.forEach(nextSegments::remove);
        segments.forEach(s -> nextSegments.put(s.key(), s));
        return new EnvironmentData(revision, new ArrayList<>(nextFlags.values()), new ArrayList<>(nextSegments.values()));
    }

    /** The patch that turns {@code before} into {@code after} (used when a source only has whole snapshots). */
    public static Patch between(EnvironmentData before, EnvironmentData after) {
        Map<String, EnvironmentFlag> oldFlags = new TreeMap<>();
        before.flags().forEach(f -> oldFlags.put(f.flag().key(), f));
        Map<String, EnvironmentSegment> oldSegments = new TreeMap<>();
        before.segments().forEach(s -> oldSegments.put(s.key(), s));
        List<EnvironmentFlag> changedFlags = after.flags().stream()
                .filter(f -> !f.equals(oldFlags.remove(f.flag().key())))
                .sorted(Comparator.comparing(f -> f.flag().key())).toList();
        List<EnvironmentSegment> changedSegments = after.segments().stream()
                .filter(s -> !s.equals(oldSegments.remove(s.key())))
                .sorted(Comparator.comparing(EnvironmentSegment::key)).toList();
        return new Patch(before.revision(), after.revision(), changedFlags, changedSegments,
                List.copyOf(oldFlags.keySet()), List.copyOf(oldSegments.keySet()));
    }
}
