package dev.darklaunch.server.deployments;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.changes.ChangeLog;
import dev.darklaunch.server.guards.GuardSpec;
import dev.darklaunch.server.store.Json;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of releases' guards: what each watches, since when, what it found at its last look; an
 * environment's default guards; and the mark on flag configurations that tells SDKs a guard is
 * watching a flag. Static, on the caller's transaction, like the rest of a release's writes.
 */
final class GuardStore {

    /** A guard as its row holds it; {@code step} is the plan step (from 0) it belongs to, null for the whole release. */
    record StoredGuard(int position, Integer step, GuardSpec spec, OffsetDateTime startedAt, JsonNode state,
                       OffsetDateTime checkedAt) {
    }

    private static final TypeReference<List<GuardSpec.Definition>> DEFINITIONS = new TypeReference<>() {
    };

    private GuardStore() {
    }

    /** Stores a release's guards; those of the whole release start counting now, a step's when it is applied. */
    static Future<Void> insert(SqlClient tx, long id, List<ReleasePlan.PlannedGuard> guards, int firstStep) {
        if (guards.isEmpty()) {
            return Future.succeededFuture();
        }
        // a plan that continues a completed release adds its guards after the earlier ones, its
        // steps numbered after the steps already taken
        return tx.preparedQuery("SELECT count(*) AS n FROM release_guards WHERE deployment_id = $1").execute(Tuple.of(id))
                .compose(counted -> {
                    int first = counted.iterator().next().getLong("n").intValue();
                    List<Tuple> rows = new ArrayList<>();
                    for (int i = 0; i < guards.size(); i++) {
                        ReleasePlan.PlannedGuard guard = guards.get(i);
                        rows.add(Tuple.of(id, first + i, guard.step() == null ? null : firstStep + guard.step(),
                                Json.write(guard.spec().definition())));
                    }
                    return tx.preparedQuery("""
                                    INSERT INTO release_guards (deployment_id, position, step, definition, started_at)
                                    VALUES ($1, $2, $3::integer, $4::text::jsonb, CASE WHEN $3::integer IS NULL THEN now() END)""")
                            .executeBatch(rows);
                })
                .mapEmpty();
    }

    /** The guards of a plan step start counting: the step was just applied. */
    static Future<Void> startStep(SqlClient tx, long id, int step) {
        return tx.preparedQuery("UPDATE release_guards SET started_at = now(), state = NULL WHERE deployment_id = $1 AND step = $2")
                .execute(Tuple.of(id, step))
                .mapEmpty();
    }

    /**
     * The guards that were counting start afresh: a person resumed the release and accepts the
     * flags as they are, so what was measured before (and may have paused it) no longer decides.
     */
    static Future<Void> restart(SqlClient tx, long id) {
        return tx.preparedQuery("""
                        UPDATE release_guards SET started_at = now(), state = NULL, checked_at = NULL
                        WHERE deployment_id = $1 AND started_at IS NOT NULL""")
                .execute(Tuple.of(id))
                .mapEmpty();
    }

    /** Records what a guard found at its look now. */
    static Future<Void> saveState(SqlClient tx, long id, int position, Object state) {
        return tx.preparedQuery("UPDATE release_guards SET state = $3::text::jsonb, checked_at = now() WHERE deployment_id = $1 AND position = $2")
                .execute(Tuple.of(id, position, Json.write(state)))
                .mapEmpty();
    }

    static Future<List<StoredGuard>> guards(SqlClient client, long id) {
        return guards(client, List.of(id)).map(all -> all.getOrDefault(id, List.of()));
    }

    /** The guards of these deployments, in order. */
    static Future<Map<Long, List<StoredGuard>>> guards(SqlClient client, List<Long> ids) {
        return client.preparedQuery("""
                        SELECT deployment_id, position, step, definition::text AS definition, started_at, state::text AS state,
                               checked_at
                        FROM release_guards WHERE deployment_id = ANY ($1) ORDER BY deployment_id, position""")
                .execute(Tuple.tuple().addArrayOfLong(ids.toArray(Long[]::new)))
                .map(rows -> {
                    Map<Long, List<StoredGuard>> grouped = new LinkedHashMap<>();
                    for (Row row : rows) {
                        grouped.computeIfAbsent(row.getLong("deployment_id"), key -> new ArrayList<>()).add(stored(row));
                    }
                    return grouped;
                });
    }

    /** The environment's default guards: for releases that name none. */
    static Future<List<GuardSpec>> defaults(SqlClient tx, long environmentId) {
        return tx.preparedQuery("SELECT default_guards::text AS guards FROM environments WHERE id = $1")
                .execute(Tuple.of(environmentId))
                .map(rows -> {
                    String json = rows.size() == 0 ? null : rows.iterator().next().getString("guards");
                    return json == null ? List.of() : Json.read(json, DEFINITIONS).stream().map(GuardSpec::of).toList();
                });
    }

    /**
     * Brings the guarded mark of the deployment's flags in its environment in line with the
     * releases there: a flag is guarded while a release with guards that ships it is running or
     * paused. Flags whose mark changed get one new revision, so SDKs learn it in one patch.
     */
    static Future<Void> mark(SqlClient tx, long id) {
        return tx.preparedQuery("""
                        WITH target AS (
                            SELECT c.flag_id, c.environment_id, f.key,
                                   EXISTS (SELECT 1 FROM deployments o JOIN deployment_flags odf ON odf.deployment_id = o.id
                                           WHERE o.environment_id = d.environment_id AND odf.flag_key = f.key
                                             AND o.release_state IN ('running', 'paused')
                                             AND EXISTS (SELECT 1 FROM release_guards g WHERE g.deployment_id = o.id)) AS guarded
                            FROM deployments d JOIN deployment_flags df ON df.deployment_id = d.id
                            JOIN flags f ON f.project_id = d.project_id AND f.key = df.flag_key
                            JOIN flag_configs c ON c.flag_id = f.id AND c.environment_id = d.environment_id
                            WHERE d.id = $1
                        )
                        UPDATE flag_configs c SET guarded = t.guarded FROM target t
                        WHERE c.flag_id = t.flag_id AND c.environment_id = t.environment_id AND c.guarded <> t.guarded
                        RETURNING c.environment_id, t.key""")
                .execute(Tuple.of(id))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.succeededFuture();
                    }
                    List<String> keys = new ArrayList<>();
                    long environment = 0;
                    for (Row row : rows) {
                        environment = row.getLong("environment_id");
                        keys.add(row.getString("key"));
                    }
                    return ChangeLog.record(tx, environment, "flag", keys.stream().sorted().toList()).mapEmpty();
                });
    }

    private static StoredGuard stored(Row row) {
        String state = row.getString("state");
        return new StoredGuard(row.getInteger("position"), row.getInteger("step"),
                GuardSpec.of(Json.read(row.getString("definition"), GuardSpec.Definition.class)), row.getOffsetDateTime("started_at"),
                state == null ? null : Json.read(state, JsonNode.class), row.getOffsetDateTime("checked_at"));
    }
}
