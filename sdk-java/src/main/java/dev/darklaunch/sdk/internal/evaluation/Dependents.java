package dev.darklaunch.sdk.internal.evaluation;

import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Rule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which flags name a flag as prerequisite and which flags' rules name a segment, by the key
 * named (whether or not the environment has that flag or segment: adding it later changes them).
 * A compiled flag links its prerequisites and segments directly, so when one of those changes,
 * these are the flags to compile again. Immutable.
 */
final class Dependents {

    private static final Dependents NONE = new Dependents(LayeredMap.empty(), LayeredMap.empty());

    private final LayeredMap<Set<String>> requiring;
    private final LayeredMap<Set<String>> using;

    private Dependents(LayeredMap<Set<String>> requiring, LayeredMap<Set<String>> using) {
        this.requiring = requiring;
        this.using = using;
    }

    static Dependents of(Collection<EnvironmentFlag> flags) {
        HashMap<String, Set<String>> requiring = new HashMap<>();
        HashMap<String, Set<String>> using = new HashMap<>();
        for (EnvironmentFlag flag : flags) {
            String key = flag.flag().key();
            prerequisites(flag.config()).forEach(named -> requiring.computeIfAbsent(named, k -> new HashSet<>()).add(key));
            segments(flag.config()).forEach(named -> using.computeIfAbsent(named, k -> new HashSet<>()).add(key));
        }
        return flags.isEmpty() ? NONE : new Dependents(LayeredMap.of(requiring), LayeredMap.of(using));
    }

    /** The flags that name {@code flag} as a prerequisite. */
    Set<String> requiring(String flag) {
        Set<String> found = requiring.get(flag);
        return found == null ? Set.of() : found;
    }

    /** The flags whose rules name {@code segment}. */
    Set<String> using(String segment) {
        Set<String> found = using.get(segment);
        return found == null ? Set.of() : found;
    }

    /**
     * These dependents after some flags changed.
     *
     * @param changed the changed flags by key: the new flag, or null when removed
     * @param before  a flag's state before the change, or null when it did not exist
     */
    Dependents with(Map<String, EnvironmentFlag> changed, Function<String, EnvironmentFlag> before) {
        Map<String, Set<String>> nextRequiring = new HashMap<>();
        Map<String, Set<String>> nextUsing = new HashMap<>();
        changed.forEach((key, after) -> {
            EnvironmentFlag old = before.apply(key);
            FlagConfig oldConfig = old == null ? null : old.config();
            FlagConfig newConfig = after == null ? null : after.config();
            relink(key, prerequisites(oldConfig), prerequisites(newConfig), requiring, nextRequiring);
            relink(key, segments(oldConfig), segments(newConfig), using, nextUsing);
        });
        return new Dependents(update(requiring, nextRequiring), update(using, nextUsing));
    }

    private static void relink(String key, Set<String> oldNames, Set<String> newNames, LayeredMap<Set<String>> current,
                               Map<String, Set<String>> next) {
        for (String name : oldNames) {
            if (!newNames.contains(name)) {
                next.computeIfAbsent(name, n -> copy(current.get(n))).remove(key);
            }
        }
        for (String name : newNames) {
            if (!oldNames.contains(name)) {
                next.computeIfAbsent(name, n -> copy(current.get(n))).add(key);
            }
        }
    }

    private static Set<String> copy(Set<String> set) {
        return set == null ? new HashSet<>() : new HashSet<>(set);
    }

    private static LayeredMap<Set<String>> update(LayeredMap<Set<String>> current, Map<String, Set<String>> next) {
        Map<String, Set<String>> puts = new HashMap<>();
        List<String> removals = new ArrayList<>();
        next.forEach((name, flags) -> {
            if (flags.isEmpty()) {
                removals.add(name);
            } else {
                puts.put(name, flags);
            }
        });
        return current.with(puts, removals);
    }

    /** The keys a flag names as prerequisites. */
    static Set<String> prerequisites(FlagConfig config) {
        if (config == null || config.prerequisites().isEmpty()) {
            return Set.of();
        }
        Set<String> keys = new HashSet<>();
        for (Prerequisite prerequisite : config.prerequisites()) {
            if (prerequisite.flag() != null) {
                keys.add(prerequisite.flag());
            }
        }
        return keys;
    }

    /** The keys of the segments a flag's rules name (in segment-match clauses). */
    static Set<String> segments(FlagConfig config) {
        if (config == null) {
            return Set.of();
        }
        Set<String> keys = new HashSet<>();
        for (Rule rule : config.rules()) {
            for (Clause clause : rule.clauses()) {
                if (clause.op() == Operator.SEGMENT_MATCH) {
                    clause.values().stream().filter(v -> v.isTextual()).forEach(v -> keys.add(v.textValue()));
                }
            }
        }
        return keys;
    }
}
