package dev.darklaunch.server.flags;

import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Rule;
import dev.darklaunch.server.http.ApiError;
import dev.darklaunch.server.projects.Scope;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a configuration points at must exist: prerequisite flags (in the same project, without
 * forming a cycle in this environment) and the segments its clauses match.
 */
final class References {

    private References() {
    }

    static Future<Void> check(SqlClient tx, Scope scope, String flagKey, FlagConfig config) {
        return checkPrerequisites(tx, scope, flagKey, config).compose(v -> checkSegments(tx, scope, config));
    }

    private static Future<Void> checkPrerequisites(SqlClient tx, Scope scope, String flagKey, FlagConfig config) {
        if (config.prerequisites().isEmpty()) {
            return Future.succeededFuture();
        }
        return tx.preparedQuery("""
                        SELECT f.key, jsonb_array_length(f.variations) AS variations,
                               coalesce((SELECT array_agg(p ->> 'flag') FROM jsonb_array_elements(c.config -> 'prerequisites') p),
                                        '{}') AS requires
                        FROM flags f JOIN flag_configs c ON c.flag_id = f.id AND c.environment_id = $2
                        WHERE f.project_id = $1""")
                .execute(Tuple.of(scope.projectId(), scope.environmentId()))
                .compose(rows -> {
                    Map<String, List<String>> graph = new HashMap<>();
                    Map<String, Integer> variations = new HashMap<>();
                    rows.forEach(row -> {
                        graph.put(row.getString("key"), List.of(row.getArrayOfStrings("requires")));
                        variations.put(row.getString("key"), row.getInteger("variations"));
                    });
                    List<String> requires = new ArrayList<>();
                    for (int i = 0; i < config.prerequisites().size(); i++) {
                        Prerequisite prerequisite = config.prerequisites().get(i);
                        Integer count = variations.get(prerequisite.flag());
                        if (count == null) {
                            return Future.failedFuture(ApiError.invalid("prerequisites[" + i + "].flag",
                                    "no flag '" + prerequisite.flag() + "' in project '" + scope.project() + "'"));
                        }
                        if (prerequisite.variation() >= count) {
                            return Future.failedFuture(ApiError.invalid("prerequisites[" + i + "].variation",
                                    "flag '" + prerequisite.flag() + "' has only " + count + " variations"));
                        }
                        requires.add(prerequisite.flag());
                    }
                    graph.put(flagKey, requires);
                    List<String> cycle = cycleThrough(flagKey, graph);
                    return cycle.isEmpty() ? Future.succeededFuture()
                            : Future.failedFuture(ApiError.invalid("prerequisites",
                            "prerequisites would form a cycle: " + String.join(" → ", cycle)));
                });
    }

    /** A path start → … → start in the prerequisite graph, or empty. */
    static List<String> cycleThrough(String start, Map<String, List<String>> graph) {
        Deque<List<String>> paths = new ArrayDeque<>();
        paths.push(List.of(start));
        Set<String> seen = new HashSet<>();
        while (!paths.isEmpty()) {
            List<String> path = paths.pop();
            String last = path.get(path.size() - 1);
            for (String next : graph.getOrDefault(last, List.of())) {
                List<String> longer = new ArrayList<>(path);
                longer.add(next);
                if (next.equals(start)) {
                    return longer;
                }
                if (seen.add(next)) {
                    paths.push(longer);
                }
            }
        }
        return List.of();
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
                    return Future.failedFuture(ApiError.invalid(fieldOf.get(missing),
                            "no segment '" + missing + "' in project '" + scope.project() + "'"));
                });
    }
}
