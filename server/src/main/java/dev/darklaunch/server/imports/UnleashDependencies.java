package dev.darklaunch.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Variation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Unleash dependencies ("parent enabled", "parent disabled", "parent serves one of these
 * variants") as prerequisites.
 *
 * <p>A Darklaunch prerequisite holds when the other flag is on and serves a given variation, so
 * "parent enabled" is the prerequisite "parent serves true" and one variant is "the parent's
 * variant flag serves that variant". "Parent disabled" and "one of several variants" are built
 * from {@link HelperFlags}. As in Unleash, a parent that is missing or has dependencies of its own
 * (Unleash does not evaluate transitive dependencies) never satisfies a dependency, and a
 * dependency on variants of a parent without variants holds only for {@code "disabled"}, the
 * name of its answer.
 */
final class UnleashDependencies {

    /** What the importer knows of each feature when it resolves dependencies. */
    record Feature(String name, String key, boolean hasDependencies, String variantKey, List<Variation> variantValues) {
    }

    private UnleashDependencies() {
    }

    /** The prerequisites of a feature, or null when its dependencies can never be satisfied. */
    static List<Prerequisite> prerequisites(JsonNode feature, Feature child, String path, Map<String, Feature> features,
                                            HelperFlags helpers, Consumer<String> warn) {
        List<JsonNode> dependencies = UnleashInput.objects(feature, "dependencies", path);
        Map<String, Prerequisite> byFlag = new LinkedHashMap<>();
        for (int i = 0; i < dependencies.size(); i++) {
            String at = path + ".dependencies[" + i + "]";
            String parentName = UnleashInput.text(dependencies.get(i), "feature", at);
            Feature parent = features.get(parentName);
            if (parent == null || parent.hasDependencies()) {
                warn.accept("depends on '" + parentName + "', which " + (parent == null ? "is not in the payload"
                        : "has dependencies of its own") + "; it is never enabled, as in Unleash SDKs");
                return null;
            }
            Prerequisite enabled = new Prerequisite(parent.key(), UnleashImport.TRUE);
            Prerequisite required;
            if (!UnleashInput.bool(dependencies.get(i), "enabled", at, true)) {
                required = helpers.not(enabled, UnleashNames.derived(parent.key(), ".disabled"), parent.name() + " is disabled");
            } else {
                List<String> variants = UnleashInput.texts(dependencies.get(i), "variants", at);
                required = variants.isEmpty() ? enabled : variant(child, parent, variants, i, helpers);
                if (required == null) {
                    return null; // no variant the parent can serve is wanted
                }
            }
            Prerequisite earlier = byFlag.putIfAbsent(required.flag(), required);
            if (earlier != null && earlier.variation() != required.variation()) {
                return null;
            }
        }
        return List.copyOf(byFlag.values());
    }

    /** "The parent's getVariant names one of {@code names}", or null when it never can. */
    private static Prerequisite variant(Feature child, Feature parent, List<String> names, int index, HelperFlags helpers) {
        if (parent.variantKey() == null) {
            // without variants Unleash's answer is "disabled" whenever the parent is enabled
            return names.contains("disabled") ? new Prerequisite(parent.key(), UnleashImport.TRUE) : null;
        }
        List<Prerequisite> options = new ArrayList<>();
        for (int v = 0; v < parent.variantValues().size(); v++) {
            JsonNode value = parent.variantValues().get(v).value();
            if (value.get("feature_enabled").booleanValue() && names.contains(value.get("name").asText())) {
                options.add(new Prerequisite(parent.variantKey(), v));
            }
        }
        if (options.isEmpty()) {
            return null;
        }
        return helpers.anyOf(options, UnleashNames.derived(child.key(), ".requires-" + index),
                child.name() + " requires " + parent.name() + " variant " + String.join(" or ", names));
    }
}
