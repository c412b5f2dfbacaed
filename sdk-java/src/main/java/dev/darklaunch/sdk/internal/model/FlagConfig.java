package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * How a flag behaves in one environment. Evaluation order: when {@code on} is false, serve
 * {@code offVariation}; otherwise check {@code prerequisites} (any unmet one serves
 * {@code offVariation}), then {@code targets}, then {@code rules} in order, then
 * {@code fallthrough}.
 *
 * @param on whether the flag is on; {@code false} when absent
 * @param offVariation index of the variation served while off; required in JSON (an absent index
 *     must not silently mean 0, which may be the "on" value). An explicit {@code null} serves no
 *     variation: each caller gets its own default while the flag is off (and where
 *     {@code offVariation} would otherwise be served: an unmet prerequisite, a context a rollout
 *     cannot bucket), which is how OpenFeature's "disabled" flags behave
 * @param targets context keys served a fixed variation; empty when absent
 * @param rules ordered rules, the first matching one wins; empty when absent
 * @param fallthrough what to serve when on and nothing else matched; required
 * @param prerequisites flags that must serve a given variation first; empty when absent
 * @param metadata facts about the flag for the application (OpenFeature's flag metadata: a
 *     version, an owner's ticket…), by name; values are text, numbers or booleans; empty when
 *     absent. Returned with every evaluation; never affects what is served
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlagConfig(
        boolean on,
        // always written, also as null: an absent index is refused (see above)
        @JsonProperty(required = true) @JsonInclude(JsonInclude.Include.ALWAYS) Integer offVariation,
        List<Target> targets,
        List<Rule> rules,
        Serve fallthrough,
        List<Prerequisite> prerequisites,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, JsonNode> metadata) {

    public FlagConfig {
        targets = Copies.list(targets);
        rules = Copies.list(rules);
        prerequisites = Copies.list(prerequisites);
        metadata = Copies.jsonMap(metadata);
    }

    /** A configuration without metadata. */
    public FlagConfig(boolean on, Integer offVariation, List<Target> targets, List<Rule> rules, Serve fallthrough,
                      List<Prerequisite> prerequisites) {
        this(on, offVariation, targets, rules, fallthrough, prerequisites, Map.of());
    }

    /**
     * The configuration a flag starts with in every environment: off, no targets, rules or
     * prerequisites. For a boolean flag the off variation is {@code false} and the fallthrough is
     * {@code true}, so that switching it on serves {@code true} to everyone; for other kinds both
     * are variation 0.
     *
     * @throws IllegalArgumentException if a boolean flag lacks a {@code true} or {@code false}
     *     variation (validate the flag first)
     */
    public static FlagConfig off(Flag flag) {
        int offVariation = 0;
        int onVariation = 0;
        if (flag.kind() == FlagKind.BOOLEAN) {
            offVariation = flag.indexOfBoolean(false);
            onVariation = flag.indexOfBoolean(true);
            if (offVariation < 0 || onVariation < 0) {
                throw new IllegalArgumentException(
                        "boolean flag '" + flag.key() + "' must have a true and a false variation");
            }
        }
        return new FlagConfig(false, offVariation, List.of(), List.of(), Serve.ofVariation(onVariation), List.of());
    }

    /** The same configuration switched on or off. */
    public FlagConfig withOn(boolean newOn) {
        return new FlagConfig(newOn, offVariation, targets, rules, fallthrough, prerequisites, metadata);
    }
}
