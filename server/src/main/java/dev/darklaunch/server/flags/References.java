package dev.darklaunch.server.flags;

import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Rule;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.projects.Scope;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a configuration points at must exist: prerequisite flags (in the same project) and the
 * segments its clauses match; and with it the environment must keep to {@code EnvironmentCheck}'s
 * rules (no prerequisite cycle, a bounded number of prerequisite evaluations and a bounded cost
 * per evaluation), as every SDK checks them.
 */
final class References {

    private References() {
    }

    /** Checks a configuration against its environment as the caller read it (with the flag locked). */
    static Future<Void> check(Scope scope, String flagKey, FlagConfig config, EnvironmentData environment) {
        Map<String, Integer> variations = new HashMap<>();
        environment.flags().forEach(flag -> variations.put(flag.flag().key(), flag.flag().variations().size()));
        Set<String> segments = new HashSet<>();
        environment.segments().forEach(segment -> segments.add(segment.key()));
        return prerequisitesExist(scope, config, variations)
                .compose(v -> segmentsExist(scope, config, segments))
                .compose(v -> Validation.environment(environment, withConfig(environment, flagKey, config), flagKey,
                        config.prerequisites().isEmpty() ? "rules" : "prerequisites",
                        "requires this flag (directly or through other prerequisites)"));
    }

    private static EnvironmentData withConfig(EnvironmentData data, String flagKey, FlagConfig config) {
        List<EnvironmentFlag> flags = new ArrayList<>(data.flags().size());
        for (EnvironmentFlag flag : data.flags()) {
            flags.add(flag.flag().key().equals(flagKey) ? new EnvironmentFlag(flag.flag(), config) : flag);
        }
        return new EnvironmentData(data.revision(), flags, data.segments());
    }

    private static Future<Void> prerequisitesExist(Scope scope, FlagConfig config, Map<String, Integer> variations) {
        for (int i = 0; i < config.prerequisites().size(); i++) {
            Prerequisite prerequisite = config.prerequisites().get(i);
            Integer count = variations.get(prerequisite.flag());
            if (count == null) {
                return Future.failedFuture(Failure.invalid("prerequisites[" + i + "].flag",
                        "no flag '" + prerequisite.flag() + "' in project '" + scope.project() + "'"));
            }
            if (prerequisite.variation() >= count) {
                return Future.failedFuture(Failure.invalid("prerequisites[" + i + "].variation",
                        "flag '" + prerequisite.flag() + "' has only " + count + " variations"));
            }
        }
        return Future.succeededFuture();
    }

    private static Future<Void> segmentsExist(Scope scope, FlagConfig config, Set<String> segments) {
        Map<String, String> fieldOf = new LinkedHashMap<>();
        for (int r = 0; r < config.rules().size(); r++) {
            Rule rule = config.rules().get(r);
            for (int c = 0; c < rule.clauses().size(); c++) {
                Clause clause = rule.clauses().get(c);
                if (clause.op() == Operator.SEGMENT_MATCH) {
                    for (int v = 0; v < clause.values().size(); v++) {
                        fieldOf.putIfAbsent(clause.values().get(v).asText(), "rules[" + r + "].clauses[" + c + "].values[" + v + "]");
                    }
                }
            }
        }
        for (Map.Entry<String, String> wanted : fieldOf.entrySet()) {
            if (!segments.contains(wanted.getKey())) {
                return Future.failedFuture(Failure.invalid(wanted.getValue(),
                        "no segment '" + wanted.getKey() + "' in project '" + scope.project() + "'"));
            }
        }
        return Future.succeededFuture();
    }
}
