package dev.darklaunch.server.imports;

import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Rule;
import dev.darklaunch.sdk.internal.model.Serve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration of a feature's boolean flag: {@code true} when any strategy matches.
 *
 * <p>A rule ends evaluation, and a rule with a rollout gate answers {@code false} for the
 * contexts its gate turns away, while Unleash would go on to the next strategy. So rules without
 * a gate come first (their order does not matter: each serves {@code true}), then the gated ones
 * by decreasing percentage. When all gates hash the same way (same group id and stickiness), a
 * context a gate of p % turns away lies outside every later gate of at most p % too, so the
 * answer is exactly Unleash's.
 *
 * <p>Gates that hash differently are independent, and one flag's rules cannot express "either
 * gate". Then each group of gates that hash alike becomes a helper flag that is {@code true} when
 * the group does <em>not</em> enable the context, and a helper "any strategy" holds the rules
 * without a gate and has those as prerequisites: when one fails, a group enabled the context and
 * it serves {@code true} (its off variation); otherwise its rules decide. The feature's flag
 * requires "any strategy" (see {@link HelperFlags} for the pattern).
 */
final class UnleashRules {

    private UnleashRules() {
    }

    /**
     * @param noStrategies the feature has no strategies, which Unleash reads as "enabled for everyone"
     * @param plans        the strategies that can match
     */
    static FlagConfig enabledConfig(boolean on, boolean noStrategies, List<UnleashStrategies.Plan> plans, String key,
                                    HelperFlags helpers) {
        boolean everyone = noStrategies || plans.stream().anyMatch(p -> p.gate() == null && p.clauses().isEmpty());
        if (everyone) {
            return config(on, List.of(), Serve.ofVariation(UnleashImport.TRUE), List.of());
        }
        List<Rule> rules = new ArrayList<>();
        for (UnleashStrategies.Plan plan : plans) {
            if (plan.gate() == null) {
                rules.add(new Rule("strategy-" + plan.index(), "Unleash " + plan.label(), plan.clauses(),
                        Serve.ofVariation(UnleashImport.TRUE)));
            }
        }
        Map<List<String>, List<UnleashStrategies.Plan>> groups = new LinkedHashMap<>();
        plans.stream().filter(p -> p.gate() != null)
                .sorted(Comparator.comparingInt((UnleashStrategies.Plan p) -> p.gate().percent()).reversed())
                .forEach(p -> groups.computeIfAbsent(Arrays.asList(p.gate().salt(), p.gate().bucketBy()), k -> new ArrayList<>()).add(p));
        if (groups.size() <= 1) {
            Serve fallthrough = gates(groups.isEmpty() ? List.of() : groups.values().iterator().next(), rules, true);
            return config(on, rules, fallthrough, List.of());
        }
        List<Prerequisite> missed = new ArrayList<>();
        int n = 0;
        for (List<UnleashStrategies.Plan> group : groups.values()) {
            List<Rule> groupRules = new ArrayList<>();
            Serve fallthrough = gates(group, groupRules, false);
            String helper = helpers.add(UnleashNames.derived(key, ".rollout-" + n++ + "-missed"), "not enabled by the rollouts of "
                    + group.stream().map(UnleashStrategies.Plan::label).toList(), config(true, groupRules, fallthrough, List.of()));
            missed.add(new Prerequisite(helper, UnleashImport.TRUE));
        }
        String any = helpers.add(UnleashNames.derived(key, ".any-strategy"), "any strategy enables " + key,
                new FlagConfig(true, UnleashImport.TRUE, List.of(), rules, Serve.ofVariation(UnleashImport.FALSE), missed));
        return config(on, List.of(), Serve.ofVariation(UnleashImport.TRUE), List.of(new Prerequisite(any, UnleashImport.TRUE)));
    }

    /**
     * Appends the rules of gates that hash alike, by decreasing percentage, serving whether the
     * context is enabled ({@code enabled}) or not; returns the fallthrough.
     */
    private static Serve gates(List<UnleashStrategies.Plan> group, List<Rule> rules, boolean enabled) {
        int inside = enabled ? UnleashImport.TRUE : UnleashImport.FALSE;
        int outside = enabled ? UnleashImport.FALSE : UnleashImport.TRUE;
        for (UnleashStrategies.Plan plan : group) {
            Serve rollout = Serve.ofRollout(plan.gate().rollout(inside, outside));
            if (plan.clauses().isEmpty()) {
                return rollout; // every context that gets here; later (smaller) gates add nobody
            }
            rules.add(new Rule("strategy-" + plan.index(), "Unleash " + plan.label(), plan.clauses(), rollout));
        }
        return Serve.ofVariation(outside);
    }

    /** The same switch, never enabled: a dependency that can never be satisfied. */
    static FlagConfig never(FlagConfig config) {
        return config(config.on(), List.of(), Serve.ofVariation(UnleashImport.FALSE), List.of());
    }

    static FlagConfig withPrerequisites(FlagConfig config, List<Prerequisite> prerequisites) {
        List<Prerequisite> all = new ArrayList<>(config.prerequisites());
        all.addAll(prerequisites);
        return new FlagConfig(config.on(), config.offVariation(), config.targets(), config.rules(), config.fallthrough(), all,
                config.metadata());
    }

    private static FlagConfig config(boolean on, List<Rule> rules, Serve fallthrough, List<Prerequisite> prerequisites) {
        return new FlagConfig(on, UnleashImport.FALSE, List.of(), rules, fallthrough, prerequisites);
    }
}
