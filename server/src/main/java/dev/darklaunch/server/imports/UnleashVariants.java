package dev.darklaunch.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Rollout;
import dev.darklaunch.sdk.internal.model.Rule;
import dev.darklaunch.sdk.internal.model.Serve;
import dev.darklaunch.sdk.internal.model.Variation;
import dev.darklaunch.sdk.internal.model.WeightedVariation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Unleash variants as the configuration of a JSON "variant flag" whose values are the answers of
 * Unleash's {@code getVariant}: {@code {"name", "payload"?, "enabled", "feature_enabled"}}.
 *
 * <p>Variation 0 is {@code {"name":"disabled","enabled":false,"feature_enabled":false}}, served
 * while the feature is disabled: the flag has the feature's boolean flag as prerequisite. Rules
 * follow the strategies in order, because the first enabled strategy decides: a strategy with
 * variants serves them, one without serves the feature's variants, or
 * {@code {"name":"disabled","enabled":false,"feature_enabled":true}} when there are none.
 * Variants are a rollout with Unleash's variant hash (seed 86028157, salt the strategy's group id
 * or the feature name, total the sum of the weights); overrides become rules before it.
 */
final class UnleashVariants {

    static final int VARIANT_SEED = 86_028_157;
    static final JsonNode DISABLED = answer("disabled", null, false, false);
    static final JsonNode ENABLED_WITHOUT_VARIANT = answer("disabled", null, false, true);

    /** An override: contexts whose attribute has one of the values get the variant. */
    record Override(String attribute, List<String> values) {
    }

    record Variant(String name, int weight, JsonNode payload, List<Override> overrides) {
        JsonNode value() {
            return answer(name, payload, true, true);
        }
    }

    /** Variants with a positive total weight, bucketed by {@code stickiness} with {@code groupId} as salt. */
    record VariantSet(String groupId, String stickiness, List<Variant> variants) {
        int totalWeight() {
            return variants.stream().mapToInt(Variant::weight).sum();
        }
    }

    private UnleashVariants() {
    }

    static VariantSet featureVariants(JsonNode feature, String featureName, String path) {
        List<Variant> variants = parse(UnleashInput.objects(feature, "variants", path), path + ".variants");
        String stickiness = variants.isEmpty() ? null : UnleashInput.optionalText(feature.get("variants").get(0), "stickiness", path);
        return set(featureName, stickiness, variants);
    }

    /** A strategy's variants hash with the strategy's stickiness, as in Unleash's Yggdrasil engine. */
    static VariantSet strategyVariants(JsonNode strategy, String groupId, String strategyStickiness, String path) {
        List<Variant> variants = parse(UnleashInput.objects(strategy, "variants", path), path + ".variants");
        String stickiness = strategyStickiness != null ? strategyStickiness
                : variants.isEmpty() ? null : UnleashInput.optionalText(strategy.get("variants").get(0), "stickiness", path);
        return set(groupId, stickiness, variants);
    }

    private static VariantSet set(String groupId, String stickiness, List<Variant> variants) {
        VariantSet set = new VariantSet(groupId, stickiness == null || stickiness.isEmpty() ? "default" : stickiness, variants);
        // Unleash selects nothing from variants that weigh nothing in total
        return set.totalWeight() > 0 ? set : null;
    }

    private static List<Variant> parse(List<JsonNode> nodes, String path) {
        List<Variant> variants = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            String at = path + "[" + i + "]";
            int weight = UnleashInput.integer(node, "weight", at);
            if (weight < 0) {
                throw new InvalidModelException(at + ".weight", "must not be negative");
            }
            JsonNode payload = node.get("payload");
            List<Override> overrides = new ArrayList<>();
            List<JsonNode> overrideNodes = UnleashInput.objects(node, "overrides", at);
            for (int k = 0; k < overrideNodes.size(); k++) {
                String overrideAt = at + ".overrides[" + k + "]";
                overrides.add(new Override(UnleashNames.attribute(UnleashInput.text(overrideNodes.get(k), "contextName", overrideAt)),
                        UnleashInput.texts(overrideNodes.get(k), "values", overrideAt)));
            }
            variants.add(new Variant(UnleashInput.text(node, "name", at), weight,
                    payload == null || payload.isNull() ? null : payload, List.copyOf(overrides)));
        }
        return variants;
    }

    /**
     * The variant flag's configuration, or null when the feature has no variants anywhere.
     *
     * @param plans the strategies that can match, in order
     * @param variations receives the flag's variations (the first is {@link #DISABLED})
     */
    static FlagConfig configure(String featureKey, List<UnleashStrategies.Plan> plans, VariantSet featureVariants,
                                List<Variation> variations, Consumer<String> warn) {
        if (featureVariants == null && plans.stream().allMatch(plan -> plan.variants() == null)) {
            return null;
        }
        Values values = new Values(variations);
        values.index(DISABLED);
        warnWhenApproximate(plans, warn);
        int last = -1;
        for (int i = 0; i < plans.size(); i++) {
            last = plans.get(i).variants() != null ? i : last;
        }
        // strategies after the last one with variants answer like the fallthrough: the feature's variants
        List<Rule> rules = new ArrayList<>();
        Serve fallthrough = null;
        for (int i = 0; i <= last && fallthrough == null; i++) {
            UnleashStrategies.Plan plan = plans.get(i);
            VariantSet set = plan.variants() != null ? plan.variants() : featureVariants;
            String id = "strategy-" + plan.index();
            rules.addAll(overrides(id + "-", plan.clauses(), set, values));
            if (plan.clauses().isEmpty()) {
                fallthrough = serve(set, values, warn); // it matches everyone who gets this far
            } else {
                rules.add(new Rule(id, "Unleash " + plan.label(), plan.clauses(), serve(set, values, warn)));
            }
        }
        if (fallthrough == null) {
            rules.addAll(overrides("", List.of(), featureVariants, values));
            fallthrough = serve(featureVariants, values, warn);
        }
        return new FlagConfig(true, 0, List.of(), rules, fallthrough, List.of(new Prerequisite(featureKey, 0)));
    }

    /**
     * Rules match clauses, not rollout gates: a context that matches a gated strategy's clauses but
     * not its gate gets that strategy's variants even when a later strategy with other variants
     * enables the feature for it.
     */
    private static void warnWhenApproximate(List<UnleashStrategies.Plan> plans, Consumer<String> warn) {
        for (int i = 0; i < plans.size(); i++) {
            UnleashStrategies.Plan plan = plans.get(i);
            for (int j = i + 1; plan.gate() != null && j < plans.size(); j++) {
                if (!Objects.equals(plans.get(j).variants(), plan.variants())) {
                    warn.accept(plan.label() + ": rolled out below 100 % and followed by strategies with other variants; "
                            + "contexts outside its rollout that a later strategy enables get this strategy's variants");
                    return;
                }
            }
        }
    }

    private static List<Rule> overrides(String idPrefix, List<Clause> clauses, VariantSet set, Values values) {
        List<Rule> rules = new ArrayList<>();
        if (set == null) {
            return rules;
        }
        for (int v = 0; v < set.variants().size(); v++) {
            Variant variant = set.variants().get(v);
            for (int k = 0; k < variant.overrides().size(); k++) {
                Override override = variant.overrides().get(k);
                if (override.values().isEmpty()) {
                    continue;
                }
                List<Clause> all = new ArrayList<>(clauses);
                all.add(new Clause(override.attribute(), Operator.IN,
                        override.values().stream().map(text -> (JsonNode) TextNode.valueOf(text)).toList(), false, false));
                rules.add(new Rule(idPrefix + "override-" + v + "-" + k, "Unleash override of variant " + variant.name(), all,
                        Serve.ofVariation(values.index(variant.value()))));
            }
        }
        return rules;
    }

    private static Serve serve(VariantSet set, Values values, Consumer<String> warn) {
        if (set == null) {
            return Serve.ofVariation(values.index(ENABLED_WITHOUT_VARIANT));
        }
        List<WeightedVariation> weights = new ArrayList<>();
        Map<Integer, Integer> position = new HashMap<>();
        for (Variant variant : set.variants()) {
            if (variant.weight() == 0) {
                continue;
            }
            int index = values.index(variant.value());
            Integer at = position.putIfAbsent(index, weights.size());
            if (at == null) {
                weights.add(new WeightedVariation(index, variant.weight()));
            } else {
                if (at != weights.size() - 1) {
                    warn.accept("variant '" + variant.name() + "' is listed twice with the same payload; its weights are "
                            + "merged into its first place, which moves some contexts to other variants");
                }
                weights.set(at, new WeightedVariation(index, weights.get(at).weight() + variant.weight()));
            }
        }
        if (weights.size() == 1) {
            return Serve.ofVariation(weights.get(0).variation());
        }
        if (set.stickiness().equals("random")) {
            warn.accept("random variant stickiness becomes stickiness by context key");
        }
        return Serve.ofRollout(new Rollout(weights, UnleashStrategies.bucketBy(set.stickiness()), set.groupId(), VARIANT_SEED,
                set.totalWeight()));
    }

    private static JsonNode answer(String name, JsonNode payload, boolean enabled, boolean featureEnabled) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode().put("name", name);
        if (payload != null) {
            answer.set("payload", payload);
        }
        return answer.put("enabled", enabled).put("feature_enabled", featureEnabled);
    }

    /** The flag's variations, each distinct value once. */
    private record Values(List<Variation> variations, Map<JsonNode, Integer> indexes) {
        Values(List<Variation> variations) {
            this(variations, new HashMap<>());
        }

        int index(JsonNode value) {
            return indexes.computeIfAbsent(value, v -> {
                variations.add(new Variation(v, UnleashImport.shortened(label(v), 200), null));
                return variations.size() - 1;
            });
        }

        /** A name for the admin UI: the variant's, or what "disabled" means here. */
        private static String label(JsonNode value) {
            String name = value.get("name").asText();
            if (value.get("enabled").booleanValue()) {
                return name;
            }
            return name + (value.get("feature_enabled").booleanValue() ? " (feature enabled, no variant)" : " (feature disabled)");
        }
    }
}
