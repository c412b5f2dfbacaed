package dev.darklaunch.server.flags;

import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.projects.ProjectStore;
import dev.darklaunch.server.projects.Scope;
import dev.darklaunch.server.store.Json;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads everything an SDK evaluates for one environment — flags with their configuration there,
 * segments, and the revision — as one consistent snapshot (a repeatable-read transaction, so the
 * revision matches the rows exactly).
 */
public final class EnvironmentDataStore {

    private final Pool pool;

    public EnvironmentDataStore(Pool pool) {
        this.pool = pool;
    }

    public Future<EnvironmentData> load(String project, String environment) {
        return pool.withTransaction(tx -> tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .compose(v -> ProjectStore.scope(tx, project, environment))
                .compose(scope -> load(tx, scope)));
    }

    /** The same, for an environment known by its database id. */
    public Future<EnvironmentData> load(long environmentId) {
        return pool.withTransaction(tx -> tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .compose(v -> load(tx, new Scope(0, null, environmentId, null))));
    }

    /** The same, read in the caller's transaction (to check a change against the rest of the environment). */
    public static Future<EnvironmentData> load(SqlClient tx, Scope scope) {
        Future<Long> revision = tx.preparedQuery("SELECT revision FROM environments WHERE id = $1")
                .execute(Tuple.of(scope.environmentId()))
                .map(rows -> rows.iterator().next().getLong("revision"));
        return revision.compose(r -> flags(tx, scope).compose(flags -> segments(tx, scope)
                .map(segments -> new EnvironmentData(r, flags, segments))));
    }

    private static Future<List<EnvironmentFlag>> flags(SqlClient tx, Scope scope) {
        return tx.preparedQuery("""
                        SELECT c.config::text AS config, c.guarded, """ + FlagRows.COLUMNS + """
                         FROM flags f JOIN flag_configs c ON c.flag_id = f.id AND c.environment_id = $1
                        ORDER BY f.key""")
                .execute(Tuple.of(scope.environmentId()))
                .map(rows -> {
                    List<EnvironmentFlag> flags = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        flags.add(new EnvironmentFlag(FlagRows.flag(row), Json.read(row.getString("config"), FlagConfig.class),
                                row.getBoolean("guarded")));
                    }
                    return flags;
                });
    }

    private static Future<List<EnvironmentSegment>> segments(SqlClient tx, Scope scope) {
        return tx.preparedQuery("""
                        SELECT s.key, c.config::text AS config FROM segments s
                        JOIN segment_configs c ON c.segment_id = s.id AND c.environment_id = $1 ORDER BY s.key""")
                .execute(Tuple.of(scope.environmentId()))
                .map(rows -> {
                    List<EnvironmentSegment> segments = new ArrayList<>(rows.size());
                    rows.forEach(row -> segments.add(new EnvironmentSegment(row.getString("key"),
                            Json.read(row.getString("config"), SegmentConfig.class))));
                    return segments;
                });
    }
}
