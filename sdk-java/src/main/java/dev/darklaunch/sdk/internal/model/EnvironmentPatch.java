package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What changed in one environment between {@code previous} and {@code revision}: the new state of
 * every changed flag and segment and the keys of deleted ones — the SDK feed's {@code patch}
 * event (docs/sdk-feed.md). One committed transaction is one revision; a server that catches up
 * over several revisions at once sends one patch spanning them. The server writes it and the SDK
 * reads it with this one record, so the two cannot disagree on its meaning.
 */
public record EnvironmentPatch(@JsonProperty(required = true) long previous, @JsonProperty(required = true) long revision,
                               List<EnvironmentFlag> flags, List<EnvironmentSegment> segments,
                               List<String> deletedFlags, List<String> deletedSegments) {

    /** @throws IllegalArgumentException unless the patch moves forward from a revision ≥ 0 */
    public EnvironmentPatch {
        if (previous < 0 || revision <= previous) {
            throw new IllegalArgumentException("a patch moves forward: previous " + previous + ", revision " + revision);
        }
        flags = Copies.list(flags);
        segments = Copies.list(segments);
        deletedFlags = Copies.list(deletedFlags);
        deletedSegments = Copies.list(deletedSegments);
    }

    /**
     * The data after this patch, flags and segments ordered by key.
     *
     * @throws IllegalStateException if {@code data} is not at {@link #previous()}
     */
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

    /** The patch that turns {@code before} into {@code after} (for sources that only have whole snapshots). */
    public static EnvironmentPatch between(EnvironmentData before, EnvironmentData after) {
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
        return new EnvironmentPatch(before.revision(), after.revision(), changedFlags, changedSegments,
                List.copyOf(oldFlags.keySet()), List.copyOf(oldSegments.keySet()));
    }
}
