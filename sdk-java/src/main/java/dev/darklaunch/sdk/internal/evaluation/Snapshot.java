package dev.darklaunch.sdk.internal.evaluation;

import dev.darklaunch.sdk.internal.model.EnvironmentCheck;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentPatch;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.EvaluationCost;
import dev.darklaunch.sdk.internal.model.FlagConfig;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One environment's flags, compiled for evaluation, at one revision. Immutable: a change builds a
 * new snapshot and swaps it in, so an evaluation always sees one consistent revision.
 *
 * <p>A patch ({@link #apply}) compiles again only what it touches: the flags and segments it
 * changes, the flags whose rules name a changed segment and, transitively, the flags that require
 * a recompiled flag (a compiled flag links its prerequisites and segments directly). Everything
 * else is shared with the snapshot before, so a one-flag change costs about the same in an
 * environment of 10 000 flags as in one of 10.
 */
public final class Snapshot {

    /** One flag: its data, what the environment check found for it, and the flag compiled. */
    private record FlagState(EnvironmentFlag data, EnvironmentCheck.Checked checked, CompiledFlag compiled) {
    }

    /** One segment: its data, the cost of testing it, and the segment compiled. */
    private record SegmentState(EnvironmentSegment data, long cost, CompiledSegment compiled) {
    }

    /**
     * A patch applied: the new snapshot, the keys of the flags that may evaluate differently
     * (sorted; the same set {@code FlagChanges} finds by comparing whole environments), and the
     * compiled flags of the old snapshot that the new one no longer has (for their counts).
     */
    public record Patched(Snapshot snapshot, Set<String> changed, List<CompiledFlag> replaced) {
    }

    private final long revision;
    private final boolean counting;
    /** Whether flags marked guarded count exposures and attributed events (a client that reports them). */
    private final boolean guarding;
    /** The flags a guarded release watches, when guarding (what {@code track} attributes events to). */
    private final List<CompiledFlag> guarded;
    private final LayeredMap<FlagState> flags;
    private final LayeredMap<SegmentState> segments;
    private final Dependents dependents;
    /** The data, built on first use after a patch (backups): a patch must not cost the whole environment. */
    private volatile EnvironmentData data;

    private Snapshot(long revision, boolean counting, boolean guarding, List<CompiledFlag> guarded,
                     LayeredMap<FlagState> flags, LayeredMap<SegmentState> segments, Dependents dependents, EnvironmentData data) {
        this.revision = revision;
        this.counting = counting;
        this.guarding = guarding;
        this.guarded = guarded;
        this.flags = flags;
        this.segments = segments;
        this.dependents = dependents;
        this.data = data;
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
        return compile(data, countEvaluations, false);
    }

    /**
     * Compiles data for evaluation; with {@code countEvaluations} as above, and with
     * {@code countGuarded}, every flag marked guarded gets pre-sized counters of its exposures and
     * attributed events (see {@link CompiledFlag#guarded()}).
     */
    public static Snapshot compile(EnvironmentData data, boolean countEvaluations, boolean countGuarded) {
        HashMap<String, SegmentState> segments = new HashMap<>();
        for (EnvironmentSegment segment : data.segments()) {
            segments.put(segment.key(), segmentState(segment));
        }
        Map<String, EnvironmentFlag> byKey = new LinkedHashMap<>();
        for (EnvironmentFlag flag : data.flags()) {
            byKey.put(flag.flag().key(), flag);
        }
        HashMap<String, FlagState> flags = new HashMap<>();
        compileFlags(byKey, key -> null, countEvaluations, countGuarded, segments::get, key -> null, flags);
        return new Snapshot(data.revision(), countEvaluations, countGuarded, guardedOf(List.of(), flags.values()),
                LayeredMap.of(flags), LayeredMap.of(segments), Dependents.of(byKey.values()), data);
    }

    /** {@code kept} and the guarded ones of {@code compiled}. */
    private static List<CompiledFlag> guardedOf(List<CompiledFlag> kept, Collection<FlagState> compiled) {
        List<CompiledFlag> guarded = new ArrayList<>(kept);
        for (FlagState state : compiled) {
            if (state.compiled().guarded() != null) {
                guarded.add(state.compiled());
            }
        }
        return List.copyOf(guarded);
    }

    /**
     * Checks and compiles {@code toCompile}, prerequisites first, into {@code compiled}: checked
     * before anything is compiled, so a flag that breaks an environment rule (a cycle, too many
     * prerequisite evaluations, too costly, a regular expression too large) is never compiled.
     *
     * @param checkedBefore the check result of a flag outside {@code toCompile} (null: no such flag)
     * @param segments      compiled segments and their costs by key
     * @param others        the state of a flag outside {@code toCompile} (null: no such flag)
     */
    private static void compileFlags(Map<String, EnvironmentFlag> toCompile,
                                     Function<String, EnvironmentCheck.Checked> checkedBefore,
                                     boolean counting, boolean guarding, Function<String, SegmentState> segments,
                                     Function<String, FlagState> others, Map<String, FlagState> compiled) {
        Map<String, FlagConfig> configs = new LinkedHashMap<>();
        toCompile.forEach((key, flag) -> configs.put(key, flag.config()));
        EnvironmentCheck.Result checked = EnvironmentCheck.check(configs, key -> {
            SegmentState segment = segments.apply(key);
            return segment == null ? 1L : segment.cost();
        }, checkedBefore);
        Function<String, CompiledSegment> compiledSegments = key -> {
            SegmentState segment = segments.apply(key);
            return segment == null ? null : segment.compiled();
        };
        Function<String, CompiledFlag> linked = key -> {
            FlagState state = compiled.get(key);
            if (state == null && !toCompile.containsKey(key)) {
                state = others.apply(key);
            }
            return state == null ? null : state.compiled();
        };
        for (String key : checked.order()) { // prerequisites first: a flag links to its compiled prerequisites
            EnvironmentFlag flag = toCompile.get(key);
            CompiledFlag flagCompiled = checked.problems().containsKey(key) ? CompiledFlag.malformed(flag.flag())
                    : CompiledFlag.compile(flag, compiledSegments, linked);
            if (counting) {
                flagCompiled.startCounting();
            }
            if (guarding && flag.guarded()) {
                flagCompiled.startGuarding();
            }
            compiled.put(key, new FlagState(flag, EnvironmentCheck.checked(checked, key), flagCompiled));
        }
    }

    private static SegmentState segmentState(EnvironmentSegment segment) {
        return new SegmentState(segment, EvaluationCost.ofSegment(segment.config()), CompiledSegment.compile(segment.config()));
    }

    /**
     * This snapshot with {@code patch} applied, compiling only what the patch touches (see the
     * class comment). Evaluates exactly like {@code compile(patch.applyTo(data()))}.
     *
     * @throws IllegalStateException if this snapshot is not at the patch's {@link EnvironmentPatch#previous()}
     */
    public Patched apply(EnvironmentPatch patch) {
        if (patch.previous() != revision) {
            throw new IllegalStateException("patch " + patch.previous() + " → " + patch.revision()
                    + " does not apply to revision " + revision);
        }
        // what each named key ends as (null: absent), in the order EnvironmentPatch.applyTo applies them
        Map<String, EnvironmentSegment> segmentsAfter = new HashMap<>();
        patch.deletedSegments().forEach(key -> segmentsAfter.put(key, null));
        patch.segments().forEach(segment -> segmentsAfter.put(segment.key(), segment));
        Map<String, SegmentState> segmentPuts = new HashMap<>();
        List<String> segmentRemovals = new ArrayList<>();
        Set<String> changedSegments = new HashSet<>();
        segmentsAfter.forEach((key, after) -> {
            SegmentState before = segments.get(key);
            if (!Objects.equals(before == null ? null : before.data(), after)) {
                changedSegments.add(key);
                if (after == null) {
                    segmentRemovals.add(key);
                } else {
                    segmentPuts.put(key, segmentState(after));
                }
            }
        });
        LayeredMap<SegmentState> nextSegments = segments.with(segmentPuts, segmentRemovals);

        Map<String, EnvironmentFlag> flagsAfter = new HashMap<>();
        patch.deletedFlags().forEach(key -> flagsAfter.put(key, null));
        patch.flags().forEach(flag -> flagsAfter.put(flag.flag().key(), flag));
        Map<String, EnvironmentFlag> changedFlags = new HashMap<>(); // null: removed
        flagsAfter.forEach((key, after) -> {
            FlagState before = flags.get(key);
            if (!Objects.equals(before == null ? null : before.data(), after)) {
                changedFlags.put(key, after);
            }
        });

        Set<String> changed = affected(changedFlags.keySet(), changedSegments);
        Map<String, EnvironmentFlag> toCompile = new TreeMap<>(); // sorted: the same order for the same patch
        List<String> flagRemovals = new ArrayList<>();
        List<CompiledFlag> replaced = new ArrayList<>();
        for (String key : changed) {
            FlagState before = flags.get(key);
            EnvironmentFlag after = changedFlags.containsKey(key) ? changedFlags.get(key) : before.data();
            if (before != null) {
                replaced.add(before.compiled());
            }
            if (after == null) {
                flagRemovals.add(key);
            } else {
                toCompile.put(key, after);
            }
        }
        Map<String, FlagState> flagPuts = new HashMap<>();
        compileFlags(toCompile, key -> {
            FlagState before = changed.contains(key) ? null : flags.get(key); // a changed flag not compiled now is gone
            return before == null ? null : before.checked();
        }, counting, guarding, nextSegments::get, key -> changed.contains(key) ? null : flags.get(key), flagPuts);
        Dependents nextDependents = dependents.with(changedFlags, key -> {
            FlagState before = flags.get(key);
            return before == null ? null : before.data();
        });
        List<CompiledFlag> keptGuarded = guarded.stream().filter(flag -> !changed.contains(flag.key())).toList();
        Snapshot next = new Snapshot(patch.revision(), counting, guarding, guardedOf(keptGuarded, flagPuts.values()),
                flags.with(flagPuts, flagRemovals), nextSegments, nextDependents, null);
        return new Patched(next, Collections.unmodifiableSet(changed), replaced);
    }

    /**
     * The flags that may evaluate differently: the changed ones, those whose rules name a changed
     * segment, and, transitively, those that require one of these. Sorted.
     */
    private Set<String> affected(Set<String> changedFlags, Set<String> changedSegments) {
        Set<String> affected = new TreeSet<>(changedFlags);
        changedSegments.forEach(segment -> affected.addAll(dependents.using(segment)));
        Deque<String> todo = new ArrayDeque<>(affected);
        while (!todo.isEmpty()) {
            for (String dependent : dependents.requiring(todo.pop())) {
                if (affected.add(dependent)) {
                    todo.push(dependent);
                }
            }
        }
        return affected;
    }

    /** The flag with this key, or null. */
    public CompiledFlag flag(String key) {
        FlagState state = flags.get(key);
        return state == null ? null : state.compiled();
    }

    /** Every compiled flag (for harvesting evaluation counts). */
    public Collection<CompiledFlag> flags() {
        List<CompiledFlag> all = new ArrayList<>(flags.size());
        flags.forEach((key, state) -> all.add(state.compiled()));
        return Collections.unmodifiableList(all);
    }

    /**
     * The flags a guarded release watches right now (each with its {@link CompiledFlag#guarded()}
     * counts); empty unless the snapshot was compiled to count them. Index it rather than iterate
     * it on a hot path: {@code get(i)} allocates nothing.
     */
    public List<CompiledFlag> guardedFlags() {
        return guarded;
    }

    public Set<String> flagKeys() {
        Set<String> keys = new HashSet<>();
        flags.forEach((key, state) -> keys.add(key));
        return Collections.unmodifiableSet(keys);
    }

    public long revision() {
        return revision;
    }

    /** The data this snapshot was compiled from (for backups and diffs); after a patch, flags and segments ordered by key. */
    public EnvironmentData data() {
        EnvironmentData built = data;
        if (built == null) { // racing callers build equal data: no lock needed
            TreeMap<String, EnvironmentFlag> allFlags = new TreeMap<>();
            flags.forEach((key, state) -> allFlags.put(key, state.data()));
            TreeMap<String, EnvironmentSegment> allSegments = new TreeMap<>();
            segments.forEach((key, state) -> allSegments.put(key, state.data()));
            built = new EnvironmentData(revision, new ArrayList<>(allFlags.values()), new ArrayList<>(allSegments.values()));
            data = built;
        }
        return built;
    }
}
