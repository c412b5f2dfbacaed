package dev.darklaunch.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Rollout;
import dev.darklaunch.sdk.internal.model.Rule;
import dev.darklaunch.sdk.internal.model.Serve;
import dev.darklaunch.sdk.internal.model.Target;
import dev.darklaunch.sdk.internal.model.Variation;
import dev.darklaunch.sdk.internal.model.WeightedVariation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Keeps variation indexes stable when an import replaces a flag that exists: configurations in
 * other environments address its variations by index.
 */
final class Variations {

    private Variations() {
    }

    /**
     * The imported definition with the existing variations first (a value the import also has
     * takes the imported name and description) and the imported values the flag lacks appended.
     * A flag of another kind takes the imported variations as they are.
     */
    static Flag merge(Flag existing, Flag imported) {
        List<Variation> variations = new ArrayList<>();
        if (existing.kind() == imported.kind()) {
            for (Variation old : existing.variations()) {
                variations.add(imported.variations().stream().filter(v -> v.value().equals(old.value())).findFirst().orElse(old));
            }
        }
        for (Variation variation : imported.variations()) {
            if (variations.stream().noneMatch(v -> v.value().equals(variation.value()))) {
                variations.add(variation);
            }
        }
        return new Flag(imported.key(), imported.name(), imported.description(), imported.kind(), variations, imported.tags(),
                imported.owner(), imported.lifecycle(), imported.archived());
    }

    /**
     * The imported configuration with every variation index of {@code importedFlag} renumbered
     * for {@code storedFlag}, and every prerequisite's index renumbered for the flag it names.
     */
    static FlagConfig renumber(FlagConfig config, Flag importedFlag, Flag storedFlag, Map<String, Flag> imported,
                               Map<String, Flag> stored) {
        IntUnaryOperator index = mapping(importedFlag, storedFlag);
        List<Target> targets = config.targets().stream()
                .map(t -> new Target(index.applyAsInt(t.variation()), t.values())).toList();
        List<Rule> rules = config.rules().stream()
                .map(r -> new Rule(r.id(), r.description(), r.clauses(), serve(r.serve(), index))).toList();
        List<Prerequisite> prerequisites = config.prerequisites().stream()
                .map(p -> new Prerequisite(p.flag(), mapping(imported.get(p.flag()), stored.get(p.flag())).applyAsInt(p.variation())))
                .toList();
        Integer offVariation = config.offVariation() == null ? null : index.applyAsInt(config.offVariation());
        return new FlagConfig(config.on(), offVariation, targets, rules, serve(config.fallthrough(), index), prerequisites,
                config.metadata());
    }

    private static Serve serve(Serve serve, IntUnaryOperator index) {
        if (serve.variation() != null) {
            return Serve.ofVariation(index.applyAsInt(serve.variation()));
        }
        Rollout r = serve.rollout();
        List<WeightedVariation> weights = r.variations().stream()
                .map(w -> new WeightedVariation(index.applyAsInt(w.variation()), w.weight())).toList();
        return Serve.ofRollout(new Rollout(weights, r.bucketBy(), r.salt(), r.seed(), r.total()));
    }

    /** Index in {@code from} → index of the same value in {@code to}. */
    private static IntUnaryOperator mapping(Flag from, Flag to) {
        return i -> {
            JsonNode value = from.variations().get(i).value();
            for (int j = 0; j < to.variations().size(); j++) {
                if (to.variations().get(j).value().equals(value)) {
                    return j;
                }
            }
            throw new IllegalStateException("merged variations lack a value of " + from.key());
        };
    }
}
