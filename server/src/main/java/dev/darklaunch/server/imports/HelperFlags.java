package dev.darklaunch.server.imports;

import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Serve;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Boolean flags that express what a prerequisite cannot say directly. A Darklaunch prerequisite
 * holds when the other flag is on and serves a given variation, and a failed one makes the flag
 * serve its off variation; helpers are always on and use that:
 * <ul>
 *   <li>"not P": a flag with prerequisite P, serving {@code true} when P fails (its off
 *       variation) and {@code false} otherwise (its fallthrough);
 *   <li>"any of P1 … Pn": "not (not P1 and … and not Pn)", a flag whose prerequisites are the
 *       "not Pi" helpers, again serving {@code true} when they fail.
 * </ul>
 * They are tagged {@code unleash-helper} and must stay on.
 */
final class HelperFlags {

    private final UnleashImport.KeySpace keys;
    private final List<EnvironmentFlag> created = new ArrayList<>();
    private final Map<Prerequisite, String> negations = new HashMap<>();

    HelperFlags(UnleashImport.KeySpace keys) {
        this.keys = keys;
    }

    List<EnvironmentFlag> created() {
        return created;
    }

    /** A prerequisite that holds when {@code p} does not. */
    Prerequisite not(Prerequisite p, String keyWanted, String name) {
        String key = negations.computeIfAbsent(p, missing -> add(keyWanted, name, new FlagConfig(true, UnleashImport.TRUE,
                List.of(), List.of(), Serve.ofVariation(UnleashImport.FALSE), List.of(p))));
        return new Prerequisite(key, UnleashImport.TRUE);
    }

    /** A prerequisite that holds when any option does. */
    Prerequisite anyOf(List<Prerequisite> options, String keyWanted, String name) {
        if (options.size() == 1) {
            return options.get(0);
        }
        List<Prerequisite> none = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            none.add(not(options.get(i), keyWanted + ".not-" + i, "not option " + i + " of: " + name));
        }
        return new Prerequisite(add(keyWanted, name, new FlagConfig(true, UnleashImport.TRUE, List.of(), List.of(),
                Serve.ofVariation(UnleashImport.FALSE), none)), UnleashImport.TRUE);
    }

    /** Adds a helper with this configuration; returns its key. */
    String add(String keyWanted, String name, FlagConfig config) {
        String key = keys.claim(keyWanted);
        Flag flag = UnleashImport.booleanFlag(key, name, "Made by the Unleash import, because Darklaunch prerequisites and "
                + "rules cannot express this part of an Unleash feature directly. Keep it on.",
                List.of(UnleashImport.TAG, "unleash-helper"), null);
        created.add(new EnvironmentFlag(flag, config));
        return key;
    }
}
