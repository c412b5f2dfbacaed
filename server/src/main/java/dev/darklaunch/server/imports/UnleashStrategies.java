package dev.darklaunch.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.darklaunch.sdk.internal.model.Cidr;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Rollout;
import dev.darklaunch.sdk.internal.model.WeightedVariation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One Unleash strategy as a {@link Plan}: the clauses a context must match (the strategy's own
 * condition, its constraints, its segments) and, for a rollout below 100 %, the hash gate it must
 * pass. A strategy that can never match (0 %, a custom strategy, a missing segment, a constraint
 * that is always false) has no plan.
 */
final class UnleashStrategies {

    /** Unleash's seed and range for gradual rollouts. */
    static final int GATE_SEED = 0;
    static final int GATE_TOTAL = 100;

    /**
     * A rollout gate: {@code murmur3("salt:value", 0) % 100 < percent}, which is Unleash's
     * {@code normalizedValue <= percent} with its 1-based value.
     *
     * @param bucketBy the attribute hashed, or null for the context key
     */
    record Gate(String salt, String bucketBy, int percent) {
        /** The gate as a rollout of a boolean flag: {@code true} (index 0) for the first {@code percent} buckets. */
        Rollout rollout(int inside, int outside) {
            return new Rollout(List.of(new WeightedVariation(inside, percent),
                    new WeightedVariation(outside, GATE_TOTAL - percent)),
                    bucketBy, salt, GATE_SEED, GATE_TOTAL);
        }

        boolean sameHash(Gate other) {
            return salt.equals(other.salt) && Objects.equals(bucketBy, other.bucketBy);
        }
    }

    /**
     * @param index    the strategy's position in the feature
     * @param label    what the strategy is, for rule descriptions and warnings
     * @param clauses  all must match; empty when the strategy matches every context
     * @param gate     the rollout gate, or null when none (100 %)
     * @param variants the strategy's own variants, or null to use the feature's
     */
    record Plan(int index, String label, List<Clause> clauses, Gate gate, UnleashVariants.VariantSet variants) {
    }

    private UnleashStrategies() {
    }

    /** The plan of a strategy, or null when it can never match. */
    static Plan translate(JsonNode strategy, int index, String featureName, Map<Integer, String> segmentKeys, String path,
                         Consumer<String> warn) {
        String name = UnleashInput.text(strategy, "name", path);
        JsonNode parameters = strategy.get("parameters");
        if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
            throw new InvalidModelException(path + ".parameters", "must be an object");
        }
        String title = UnleashInput.optionalText(strategy, "title", path);
        String label = "strategy " + index + " (" + name + (title == null || title.isBlank() ? "" : ": " + title) + ")";
        Consumer<String> warnHere = message -> warn.accept(label + ": " + message);
        String groupId = nonEmpty(UnleashInput.scalar(parameters, "groupId", path + ".parameters"), featureName);

        List<Clause> clauses = new ArrayList<>();
        Gate gate = null;
        switch (name) {
            case "default" -> {
            }
            case "userWithId" -> {
                List<String> ids = list(UnleashInput.scalar(parameters, "userIds", path + ".parameters"));
                if (ids.isEmpty()) {
                    return null;
                }
                clauses.add(in("userId", ids, false));
            }
            case "gradualRolloutUserId", "gradualRolloutSessionId", "gradualRolloutRandom", "flexibleRollout" -> {
                boolean flexible = name.equals("flexibleRollout");
                String text = UnleashInput.scalar(parameters, flexible ? "rollout" : "percentage", path + ".parameters");
                Integer percent = percent(text);
                if (percent == null) {
                    warnHere.accept("rollout '" + text + "' is not a percentage; the strategy never matches, as in Unleash SDKs");
                    return null;
                }
                if (percent == 0) {
                    return null;
                }
                String stickiness = switch (name) {
                    case "gradualRolloutUserId" -> "userId";
                    case "gradualRolloutSessionId" -> "sessionId";
                    case "gradualRolloutRandom" -> "random";
                    default -> nonEmpty(UnleashInput.scalar(parameters, "stickiness", path + ".parameters"), "default");
                };
                String bucketBy = bucketBy(stickiness);
                if (bucketBy != null) {
                    // Unleash does not roll out to contexts without the stickiness field, even at 100 %
                    clauses.add(new Clause(bucketBy, Operator.EXISTS, List.of(), false, false));
                }
                if (stickiness.equals("random") && percent < GATE_TOTAL) {
                    warnHere.accept("random stickiness becomes stickiness by context key: the same share of "
                            + "contexts, but each one always gets the same answer");
                }
                gate = percent < GATE_TOTAL ? new Gate(groupId, bucketBy, percent) : null;
            }
            case "remoteAddress" -> {
                List<String> all = list(UnleashInput.scalar(parameters, "IPs", path + ".parameters"));
                List<String> ranges = all.stream().filter(ip -> Cidr.parse(ip).isPresent()).toList();
                if (ranges.size() < all.size()) {
                    warnHere.accept("ignored entries that are not addresses or CIDR ranges, as Unleash SDKs do");
                }
                if (ranges.isEmpty()) {
                    return null;
                }
                clauses.add(new Clause("remoteAddress", Operator.IN_CIDR, ranges.stream().map(v -> (JsonNode) TextNode.valueOf(v)).toList(),
                        false, false));
            }
            case "applicationHostname" -> {
                List<String> hosts = list(UnleashInput.scalar(parameters, "hostNames", path + ".parameters"));
                if (hosts.isEmpty()) {
                    return null;
                }
                warnHere.accept("Unleash SDKs read the host name of the machine; Darklaunch reads the context attribute "
                        + "'hostname', which applications must set");
                clauses.add(in("hostname", hosts, true));
            }
            default -> {
                warnHere.accept("custom strategy '" + name + "' has no Darklaunch equivalent; it never matches, as in an "
                        + "Unleash SDK that does not implement it");
                return null;
            }
        }

        List<JsonNode> constraints = UnleashInput.objects(strategy, "constraints", path);
        for (int i = 0; i < constraints.size(); i++) {
            UnleashConstraints.Term term = UnleashConstraints.translate(constraints.get(i), path + ".constraints[" + i + "]", warnHere);
            if (term.isConstant() && !term.constant()) {
                return null;
            }
            if (!term.isConstant()) {
                clauses.add(term.clause());
            }
        }
        JsonNode segments = strategy.get("segments");
        if (segments != null && !segments.isNull()) {
            if (!segments.isArray()) {
                throw new InvalidModelException(path + ".segments", "must be an array of segment ids");
            }
            for (int i = 0; i < segments.size(); i++) {
                JsonNode id = segments.get(i);
                if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                    throw new InvalidModelException(path + ".segments[" + i + "]", "must be a segment id (a whole number)");
                }
                String key = segmentKeys.get(id.intValue());
                if (key == null) {
                    warnHere.accept("segment " + id.intValue() + " is not in the payload; the strategy never matches, as in Unleash SDKs");
                    return null;
                }
                clauses.add(new Clause("key", Operator.SEGMENT_MATCH, List.of(TextNode.valueOf(key)), false, false));
            }
        }
        UnleashVariants.VariantSet variants = UnleashVariants.strategyVariants(strategy, groupId,
                UnleashInput.scalar(parameters, "stickiness", path + ".parameters"), path);
        return new Plan(index, label, List.copyOf(clauses), gate, variants);
    }

    /** The attribute a stickiness hashes, or null for the context key. */
    static String bucketBy(String stickiness) {
        return stickiness.equals("default") || stickiness.equals("random") ? null : UnleashNames.attribute(stickiness);
    }

    /** Unleash's percentage as a whole number of buckets: {@code value <= 12.5} holds for buckets 1 to 12. */
    private static Integer percent(String text) {
        if (text == null) {
            return null;
        }
        try {
            double value = Double.parseDouble(text.strip());
            return Double.isNaN(value) ? null : (int) Math.max(0, Math.min(GATE_TOTAL, Math.floor(value)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Clause in(String attribute, List<String> values, boolean caseInsensitive) {
        return new Clause(attribute, Operator.IN, values.stream().map(v -> (JsonNode) TextNode.valueOf(v)).toList(), false,
                caseInsensitive);
    }

    /** A comma-separated parameter as trimmed, non-empty entries. */
    private static List<String> list(String text) {
        return text == null ? List.of() : Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String nonEmpty(String text, String otherwise) {
        return text == null || text.isEmpty() ? otherwise : text;
    }
}
