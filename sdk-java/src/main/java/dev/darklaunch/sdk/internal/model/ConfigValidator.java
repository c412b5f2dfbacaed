package dev.darklaunch.sdk.internal.model;

import static dev.darklaunch.sdk.internal.model.ModelValidator.MAX_CLAUSES;
import static dev.darklaunch.sdk.internal.model.ModelValidator.MAX_DESCRIPTION_LENGTH;
import static dev.darklaunch.sdk.internal.model.ModelValidator.MAX_PREREQUISITES;
import static dev.darklaunch.sdk.internal.model.ModelValidator.MAX_ROLLOUT_VARIATIONS;
import static dev.darklaunch.sdk.internal.model.ModelValidator.MAX_RULES;
import static dev.darklaunch.sdk.internal.model.ModelValidator.MAX_SALT_LENGTH;
import static dev.darklaunch.sdk.internal.model.ModelValidator.MAX_SEGMENT_KEYS;
import static dev.darklaunch.sdk.internal.model.ModelValidator.MAX_TARGETS;
import static dev.darklaunch.sdk.internal.model.ModelValidator.MAX_TARGET_KEYS;
import static dev.darklaunch.sdk.internal.model.ModelValidator.MAX_VARIATIONS;
import static dev.darklaunch.sdk.internal.model.ModelValidator.check;
import static dev.darklaunch.sdk.internal.model.ModelValidator.checkCount;
import static dev.darklaunch.sdk.internal.model.ModelValidator.checkText;
import static dev.darklaunch.sdk.internal.model.ModelValidator.contextKeyProblem;
import static dev.darklaunch.sdk.internal.model.ModelValidator.validateKey;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The rules of {@link ModelValidator#validateConfig} and {@link ModelValidator#validateSegmentConfig}. */
final class ConfigValidator {
    static final int MAX_METADATA_ENTRIES = 50;
    static final int MAX_METADATA_NAME_LENGTH = 100;
    static final int MAX_METADATA_TEXT_LENGTH = 1_000;

    private ConfigValidator() {}

    static void validate(Flag flag, FlagConfig config) {
        int variations = flag.variations().size();
        if (config.offVariation() != null) { // null: callers get their own defaults while off
            checkIndex("offVariation", config.offVariation(), variations);
        }
        checkTargets(config.targets(), variations);
        checkCount("rules", config.rules(), 0, MAX_RULES, "rule");
        Map<String, Integer> ruleIds = new HashMap<>();
        for (int i = 0; i < config.rules().size(); i++) {
            Rule rule = config.rules().get(i);
            String field = "rules[" + i + "]";
            checkRuleId(field, rule.id(), ruleIds, i);
            checkText(field + ".description", rule.description(), MAX_DESCRIPTION_LENGTH);
            checkClauses(field, rule.clauses(), true);
            if (rule.serve() == null) {
                throw new InvalidModelException(field + ".serve", "is required: what to serve when the rule matches, "
                        + "{\"variation\": index} or {\"rollout\": {…}}");
            }
            checkServe(field + ".serve", rule.serve(), variations);
        }
        if (config.fallthrough() == null) {
            throw new InvalidModelException("fallthrough", "is required: what to serve when no target or rule matches, "
                    + "{\"variation\": index} or {\"rollout\": {…}}");
        }
        checkServe("fallthrough", config.fallthrough(), variations);
        checkPrerequisites(flag.key(), config.prerequisites());
        checkMetadata(config.metadata());
    }

    private static void checkMetadata(Map<String, JsonNode> metadata) {
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new InvalidModelException("metadata", "has " + metadata.size() + " entries; at most " + MAX_METADATA_ENTRIES
                    + " are allowed");
        }
        for (Map.Entry<String, JsonNode> entry : metadata.entrySet()) {
            String name = entry.getKey();
            String field = "metadata." + name;
            if (name.isBlank()) {
                throw new InvalidModelException("metadata", "names are 1 to " + MAX_METADATA_NAME_LENGTH
                        + " characters, not only spaces: " + Syntax.quote(name));
            }
            checkText("metadata", name, MAX_METADATA_NAME_LENGTH);
            JsonNode value = entry.getValue();
            if (!(value.isTextual() || value.isNumber() || value.isBoolean())) {
                throw new InvalidModelException(field, "must be text, a number or a boolean (OpenFeature's flag metadata types), not "
                        + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            if (value.isTextual()) {
                checkText(field, value.textValue(), MAX_METADATA_TEXT_LENGTH);
            }
        }
    }

    static void validateSegment(SegmentConfig config) {
        Map<String, Integer> included = checkKeyList("included", config.included());
        checkKeyList("excluded", config.excluded());
        for (int i = 0; i < config.excluded().size(); i++) {
            Integer alsoIncluded = included.get(config.excluded().get(i));
            if (alsoIncluded != null) {
                throw new InvalidModelException("excluded[" + i + "]", Syntax.quote(config.excluded().get(i))
                        + " is also in included[" + alsoIncluded + "]; a key is either included or excluded");
            }
        }
        checkCount("rules", config.rules(), 0, MAX_RULES, "rule");
        Map<String, Integer> ruleIds = new HashMap<>();
        for (int i = 0; i < config.rules().size(); i++) {
            String field = "rules[" + i + "]";
            checkRuleId(field, config.rules().get(i).id(), ruleIds, i);
            checkClauses(field, config.rules().get(i).clauses(), false);
        }
    }

    private static void checkIndex(String field, int index, int variations) {
        if (index < 0 || index >= variations) {
            String range = switch (variations) {
                case 0 -> "no variations";
                case 1 -> "1 variation, index 0";
                default -> variations + " variations, indexes 0 to " + (variations - 1);
            };
            throw new InvalidModelException(field, "variation index " + index + " is out of range: the flag has " + range);
        }
    }

    private static void checkTargets(List<Target> targets, int variations) {
        checkCount("targets", targets, 0, MAX_TARGETS, "target");
        long keys = targets.stream().mapToLong(target -> target.values().size()).sum();
        if (keys > MAX_TARGET_KEYS) {
            throw new InvalidModelException("targets", "list " + keys + " context keys in total; at most " + MAX_TARGET_KEYS + " are allowed");
        }
        Map<Integer, Integer> targetOfVariation = new HashMap<>();
        Map<String, Integer> targetOfKey = new HashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            String field = "targets[" + i + "]";
            checkIndex(field + ".variation", target.variation(), variations);
            Integer earlierTarget = targetOfVariation.putIfAbsent(target.variation(), i);
            if (earlierTarget != null) {
                throw new InvalidModelException(field + ".variation", "variation " + target.variation()
                        + " already has a target at targets[" + earlierTarget + "]; list all its keys there");
            }
            for (int k = 0; k < target.values().size(); k++) {
                String key = target.values().get(k);
                String keyField = field + ".values[" + k + "]";
                check(keyField, contextKeyProblem(key));
                Integer targeted = targetOfKey.putIfAbsent(key, i);
                if (targeted != null) {
                    throw new InvalidModelException(keyField, targeted == i
                            ? Syntax.quote(key) + " is listed twice in this target"
                            : Syntax.quote(key) + " is already targeted at targets[" + targeted + "] (variation "
                                    + targets.get(targeted).variation() + "); a context key can be targeted to one variation only");
                }
            }
        }
    }

    private static void checkRuleId(String field, String id, Map<String, Integer> ids, int index) {
        if (id == null) {
            return;
        }
        check(field + ".id", Syntax.RULE_ID.problem(id));
        Integer earlier = ids.putIfAbsent(id, index);
        if (earlier != null) {
            throw new InvalidModelException(field + ".id", Syntax.quote(id) + " is already the id of rules[" + earlier + "]; rule ids must be unique");
        }
    }

    private static void checkClauses(String ruleField, List<Clause> clauses, boolean inFlag) {
        if (clauses.isEmpty()) {
            throw new InvalidModelException(ruleField + ".clauses", "needs at least 1 clause, got 0"
                    + (inFlag ? "; to serve every context, use the fallthrough" : ""));
        }
        checkCount(ruleField + ".clauses", clauses, 1, MAX_CLAUSES, "clause");
        for (int j = 0; j < clauses.size(); j++) {
            ClauseValidator.validate(ruleField + ".clauses[" + j + "]", clauses.get(j), inFlag);
        }
    }

    private static void checkServe(String field, Serve serve, int variations) {
        if (serve.variation() == null && serve.rollout() == null) {
            throw new InvalidModelException(field, "needs a variation or a rollout: {\"variation\": index} or {\"rollout\": {…}}");
        }
        if (serve.variation() != null && serve.rollout() != null) {
            throw new InvalidModelException(field, "has both a variation and a rollout; give exactly one");
        }
        if (serve.variation() != null) {
            checkIndex(field + ".variation", serve.variation(), variations);
        } else {
            checkRollout(field + ".rollout", serve.rollout(), variations);
        }
    }

    private static void checkRollout(String field, Rollout rollout, int variations) {
        String list = field + ".variations";
        checkCount(list, rollout.variations(), 1, MAX_ROLLOUT_VARIATIONS, "weighted variation");
        if (rollout.total() != null && (rollout.total() < 1 || rollout.total() > Rollout.TOTAL_WEIGHT)) {
            throw new InvalidModelException(field + ".total", "total must be 1 to " + Rollout.TOTAL_WEIGHT
                    + ", or left out for " + Rollout.TOTAL_WEIGHT);
        }
        int expected = rollout.totalWeight();
        Map<Integer, Integer> seen = new HashMap<>();
        long total = 0;
        for (int k = 0; k < rollout.variations().size(); k++) {
            WeightedVariation weighted = rollout.variations().get(k);
            String entry = list + "[" + k + "]";
            checkIndex(entry + ".variation", weighted.variation(), variations);
            Integer earlier = seen.putIfAbsent(weighted.variation(), k);
            if (earlier != null) {
                throw new InvalidModelException(entry + ".variation", "variation " + weighted.variation()
                        + " already appears at variations[" + earlier + "]; list each variation once");
            }
            if (weighted.weight() < 0 || weighted.weight() > expected) {
                throw new InvalidModelException(entry + ".weight", "weight " + weighted.weight() + " is out of range: weights are 0 to "
                        + expected + " (100 %)" + (expected == Rollout.TOTAL_WEIGHT ? ", in thousandths of a percent" : ""));
            }
            total += weighted.weight();
        }
        if (total != expected) {
            throw new InvalidModelException(list, "weights must add up to " + expected + " (100 %), got " + total);
        }
        if (rollout.bucketBy() != null) {
            check(field + ".bucketBy", Syntax.ATTRIBUTE.problem(rollout.bucketBy()));
        }
        if (rollout.salt() != null && rollout.salt().isEmpty()) {
            throw new InvalidModelException(field + ".salt", "must not be empty; leave it out to use the flag key");
        }
        checkText(field + ".salt", rollout.salt(), MAX_SALT_LENGTH);
    }

    private static void checkPrerequisites(String flagKey, List<Prerequisite> prerequisites) {
        checkCount("prerequisites", prerequisites, 0, MAX_PREREQUISITES, "prerequisite");
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < prerequisites.size(); i++) {
            Prerequisite prerequisite = prerequisites.get(i);
            String field = "prerequisites[" + i + "]";
            validateKey(field + ".flag", prerequisite.flag());
            if (prerequisite.flag().equals(flagKey)) {
                throw new InvalidModelException(field + ".flag", "a flag cannot be its own prerequisite");
            }
            Integer earlier = seen.putIfAbsent(prerequisite.flag(), i);
            if (earlier != null) {
                throw new InvalidModelException(field + ".flag", Syntax.quote(prerequisite.flag())
                        + " is already a prerequisite at prerequisites[" + earlier + "]; list each flag once");
            }
            if (prerequisite.variation() < 0 || prerequisite.variation() >= MAX_VARIATIONS) {
                throw new InvalidModelException(field + ".variation", "variation index " + prerequisite.variation()
                        + " is out of range: indexes are 0 to " + (MAX_VARIATIONS - 1));
            }
        }
    }

    /** Checks a segment's key list; returns each key's index. */
    private static Map<String, Integer> checkKeyList(String field, List<String> keys) {
        checkCount(field, keys, 0, MAX_SEGMENT_KEYS, "key");
        Map<String, Integer> indexes = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            String keyField = field + "[" + i + "]";
            check(keyField, contextKeyProblem(keys.get(i)));
            Integer earlier = indexes.putIfAbsent(keys.get(i), i);
            if (earlier != null) {
                throw new InvalidModelException(keyField, Syntax.quote(keys.get(i)) + " is listed twice (also " + field + "[" + earlier + "])");
            }
        }
        return indexes;
    }
}
