package dev.darklaunch.sdk.internal.evaluation;

import dev.darklaunch.sdk.internal.model.EnvironmentCheck;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One environment's flags, compiled for evaluation, at one revision. Immutable: a change builds a
 * new snapshot and swaps it in, so an evaluation always sees one consistent revision.
 */
public final class Snapshot {

    private final EnvironmentData data;
    private final Map<String, CompiledFlag> flags; // a plain HashMap, never handed out: one lookup, no wrapper

    private Snapshot(EnvironmentData data, Map<String, CompiledFlag> flags) {
        this.data = data;
        this.flags = flags;
    }

    /** Compiles data for evaluation without counting evaluations (the server's evaluate endpoint, tests). */
    public static Snapshot compile(EnvironmentData data) {
        return compile(data, false);
    }

    /**
     * Compiles data for evaluation; with {@code countEvaluations}, every flag gets pre-sized
     * counters per variation (see {@link CompiledFlag#count}) so counting allocates nothing.
     */
    public static Snapshot compile(EnvironmentData data, boolean countEvaluations) {
        Map<String, CompiledSegment> segments = new HashMap<>();
        for (EnvironmentSegment segment : data.segments()) {
            segments.put(segment.key(), CompiledSegment.compile(segment.config()));
        }
        Map<String, EnvironmentFlag> byKey = new HashMap<>();
        for (EnvironmentFlag flag : data.flags()) {
            byKey.put(flag.flag().key(), flag);
        }
        // checked before anything is compiled: a flag that breaks an environment rule (a cycle, too many
        // prerequisite evaluations, too costly, a regular expression too large) is never compiled
        EnvironmentCheck.Result checked = EnvironmentCheck.check(data);
        Map<String, CompiledFlag> flags = new HashMap<>();
        for (String key : checked.order()) { // prerequisites first: a flag links to its compiled prerequisites
            EnvironmentFlag flag = byKey.get(key);
            CompiledFlag compiled = checked.problems().containsKey(key) ? CompiledFlag.malformed(flag.flag())
                    : CompiledFlag.compile(flag, segments, flags);
            if (countEvaluations) {
                compiled.startCounting();
            }
            flags.put(key, compiled);
        }
        return new Snapshot(data, flags);
    }

    /** The flag with this key, or null. */
    public CompiledFlag flag(String key) {
        return flags.get(key);
    }

    /** Every compiled flag (for harvesting evaluation counts). */
    public java.util.Collection<CompiledFlag> flags() {
        return Collections.unmodifiableCollection(flags.values());
    }

    public Set<String> flagKeys() {
        return Collections.unmodifiableSet(flags.keySet());
    }

    public long revision() {
        return data.revision();
    }

    /** The data this snapshot was compiled from (for backups and diffs). */
    public EnvironmentData data() {
        return data;
    }
}
