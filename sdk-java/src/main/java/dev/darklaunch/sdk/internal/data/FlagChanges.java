package dev.darklaunch.sdk.internal.data;

import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Rule;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which flags may evaluate differently after a change: flags added, removed or changed; flags
 * whose rules use a changed segment; and, transitively, flags with a changed prerequisite.
 */
public final class FlagChanges {

    private FlagChanges() {
    }

    /** The keys of the flags that changed from {@code before} (null: no data) to {@code after}, sorted. */
    public static Set<String> between(EnvironmentData before, EnvironmentData after) {
        EnvironmentData old = before == null ? EnvironmentData.empty() : before;
        Map<String, EnvironmentFlag> oldFlags = byKey(old);
        Map<String, EnvironmentFlag> newFlags = byKey(after);
        Set<String> changedSegments = new TreeSet<>();
        Map<String, EnvironmentSegment> oldSegments = new HashMap<>();
        old.segments().forEach(s -> oldSegments.put(s.key(), s));
        Set<String> newSegmentKeys = new TreeSet<>();
        for (EnvironmentSegment segment : after.segments()) {
            newSegmentKeys.add(segment.key());
            if (!segment.equals(oldSegments.get(segment.key()))) {
                changedSegments.add(segment.key());
            }
        }
        oldSegments.keySet().stream().filter(k -> !newSegmentKeys.contains(k)).forEach(changedSegments::add);

        Set<String> changed = new TreeSet<>();
        oldFlags.keySet().stream().filter(k -> !newFlags.containsKey(k)).forEach(changed::add);
        newFlags.forEach((key, flag) -> {
            if (!flag.equals(oldFlags.get(key)) || usesAny(flag, changedSegments)) {
                changed.add(key);
            }
        });
        boolean grew = true;
        while (grew) { // prerequisites: a flag changes when a flag it requires changes
            grew = false;
            for (EnvironmentFlag flag : newFlags.values()) {
                if (!changed.contains(flag.flag().key())
                        && flag.config().prerequisites().stream().map(Prerequisite::flag).anyMatch(changed::contains)) {
                    grew = changed.add(flag.flag().key());
                }
            }
        }
        return changed;
    }

    private static Map<String, EnvironmentFlag> byKey(EnvironmentData data) {
        Map<String, EnvironmentFlag> flags = new HashMap<>();
        data.flags().forEach(f -> flags.put(f.flag().key(), f));
        return flags;
    }

    private static boolean usesAny(EnvironmentFlag flag, Set<String> segments) {
        if (segments.isEmpty()) {
            return false;
        }
        for (Rule rule : flag.config().rules()) {
            for (Clause clause : rule.clauses()) {
                if (clause.op() == Operator.SEGMENT_MATCH
                        && clause.values().stream().anyMatch(v -> v.isTextual() && segments.contains(Objects.requireNonNull(v.textValue())))) {
                    return true;
                }
            }
        }
        return false;
    }
}
