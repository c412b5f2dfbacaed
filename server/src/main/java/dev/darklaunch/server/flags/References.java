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
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
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

    static Future<Void> check(SqlClient tx, Scope scope, String flagKey, FlagConfig config) {
        return checkPrerequisites(tx, scope, config)
                .compose(v -> checkSegments(tx, scope, config))
                // cycles, prerequisite paths and evaluation cost: the rules the SDK applies, over the whole environment
                .compose(v -> Validation.environment(tx, scope, data -> withConfig(data, flagKey, config), flagKey,
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

    private static Future<Void> checkPrerequisites(SqlClient tx, Scope scope, FlagConfig config) {
        if (config.prerequisites().isEmpty()) {
            return Future.succeededFuture();
        }
        return tx.preparedQuery("SELECT f.key, jsonb_array_length(f.variations) AS variations FROM flags f WHERE f.project_id = $1")
                .execute(Tuple.of(scope.projectId()))
                .compose(rows -> {
                    Map<String, Integer> variations = new HashMap<>();
                    rows.forEach(row -> variations.put(row.getString("key"), row.getInteger("variations")));
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
                });
    }

    private static Future<Void> checkSegments(SqlClient tx, Scope scope, FlagConfig config) {
        Map<String, String> fieldOf = new HashMap<>();
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
        if (fieldOf.isEmpty()) {
            return Future.succeededFuture();
        }
        Set<String> wanted = new LinkedHashSet<>(fieldOf.keySet());
        return tx.preparedQuery("SELECT key FROM segments WHERE project_id = $1 AND key = ANY ($2)")
                .execute(Tuple.tuple().addLong(scope.projectId()).addArrayOfString(wanted.toArray(String[]::new)))
                .compose(rows -> {
                    rows.forEach(row -> wanted.remove(row.getString("key")));
                    if (wanted.isEmpty()) {
                        return Future.succeededFuture();
                    }
                    String missing = wanted.iterator().next();
                    return Future.failedFuture(Failure.invalid(fieldOf.get(missing),
                            "no segment '" + missing + "' in project '" + scope.project() + "'"));
                });
    }
}
