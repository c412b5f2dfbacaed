package dev.darklaunch.server.segments;

import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.projects.ProjectStore;
import dev.darklaunch.server.projects.Scope;
import dev.darklaunch.server.store.Json;
import dev.darklaunch.server.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store of segments (named groups of contexts) and their members and rules per environment:
 * SQL only. Reads run on the pool; the methods that take a {@link SqlClient} run in the caller's
 * transaction. The rules are {@link SegmentWrites}'s; what these methods check is what only the
 * rows can tell (a segment that is not there, a key taken).
 */
public final class SegmentStore {

    /** A flag whose rule matches a segment, and where. */
    record Matcher(String flag, String environment) {
    }

    private static final String COLUMNS = "s.id, s.key, s.name, s.description, s.version, s.created_at, s.updated_at";
    private static final String EMPTY = Json.write(SegmentConfig.empty());

    private final Pool pool;

    public SegmentStore(Pool pool) {
        this.pool = pool;
    }

    public Future<List<SegmentView>> list(String project) {
        return ProjectStore.scope(pool, project)
                .compose(scope -> pool.preparedQuery("SELECT " + COLUMNS + " FROM segments s WHERE s.project_id = $1 ORDER BY s.key")
                        .execute(Tuple.of(scope.projectId())))
                .map(rows -> {
                    List<SegmentView> segments = new ArrayList<>();
                    rows.forEach(row -> segments.add(view(row)));
                    return segments;
                });
    }

    public Future<SegmentView> get(String project, String key) {
        return ProjectStore.scope(pool, project).compose(scope -> find(pool, scope, key, false));
    }

    public Future<SegmentView.ConfigView> config(String project, String key, String environment) {
        return ProjectStore.scope(pool, project, environment).compose(scope -> config(pool, scope, key, false));
    }

    /** Inserts a segment, empty in every environment. */
    Future<Void> insert(SqlClient tx, Scope scope, Segment segment) {
        return tx.preparedQuery("INSERT INTO segments (project_id, key, name, description) VALUES ($1, $2, $3, $4) RETURNING id")
                .execute(Tuple.of(scope.projectId(), segment.key(), segment.name(), segment.description()))
                .recover(e -> Future.failedFuture(PgErrors.isUniqueViolation(e)
                        ? Failure.conflict("key", "a segment with key '" + segment.key() + "' already exists in " + scope.project()) : e))
                .compose(rows -> tx.preparedQuery("""
                                INSERT INTO segment_configs (segment_id, environment_id, config)
                                SELECT $1, id, $2::text::jsonb FROM environments WHERE project_id = $3""")
                        .execute(Tuple.of(rows.iterator().next().getLong("id"), EMPTY, scope.projectId())))
                .mapEmpty();
    }

    /** Replaces a segment's name and description (its key stays). */
    Future<Void> update(SqlClient tx, Scope scope, Segment segment) {
        return tx.preparedQuery("""
                        UPDATE segments SET name = $3, description = $4, version = version + 1, updated_at = now()
                        WHERE project_id = $1 AND key = $2""")
                .execute(Tuple.of(scope.projectId(), segment.key(), segment.name(), segment.description()))
                .mapEmpty();
    }

    /** Deletes a segment and (by cascade) its configurations. */
    Future<Void> delete(SqlClient tx, Scope scope, String key) {
        return tx.preparedQuery("DELETE FROM segments WHERE project_id = $1 AND key = $2")
                .execute(Tuple.of(scope.projectId(), key))
                .mapEmpty();
    }

    /** A flag whose rule matches the segment in any environment, if one does. */
    Future<Optional<Matcher>> matcher(SqlClient tx, Scope scope, String key) {
        return tx.preparedQuery("""
                        SELECT f.key, e.key AS environment FROM flag_configs c
                        JOIN flags f ON f.id = c.flag_id JOIN environments e ON e.id = c.environment_id
                        WHERE f.project_id = $1 AND jsonb_path_exists(c.config,
                          '$.rules[*].clauses[*] ? (@.op == "segmentMatch").values[*] ? (@ == $key)',
                          jsonb_build_object('key', $2::text))
                        LIMIT 1""")
                .execute(Tuple.of(scope.projectId(), key))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(new Matcher(rows.iterator().next().getString("key"), rows.iterator().next().getString("environment"))));
    }

    /** Replaces a segment's configuration in the scope's environment. */
    Future<Void> writeConfig(SqlClient tx, Scope scope, String key, SegmentConfig config) {
        return tx.preparedQuery("""
                        UPDATE segment_configs SET config = $3::text::jsonb, version = version + 1, updated_at = now()
                        WHERE environment_id = $2 AND segment_id = (SELECT id FROM segments WHERE project_id = $1 AND key = $4)""")
                .execute(Tuple.of(scope.projectId(), scope.environmentId(), Json.write(config), key))
                .mapEmpty();
    }

    /** New environments start with every segment empty. */
    public Future<Void> seedEnvironment(SqlClient tx, long projectId, long environmentId) {
        return tx.preparedQuery("""
                        INSERT INTO segment_configs (segment_id, environment_id, config)
                        SELECT id, $2, $3::text::jsonb FROM segments WHERE project_id = $1""")
                .execute(Tuple.of(projectId, environmentId, EMPTY))
                .mapEmpty();
    }

    /** A segment, locked for a change if {@code lock}; fails with {@link Failure.NotFound} when there is none. */
    Future<SegmentView> find(SqlClient client, Scope scope, String key, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM segments s WHERE s.project_id = $1 AND s.key = $2"
                        + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(scope.projectId(), key))
                .compose(rows -> one(rows, scope, key).map(SegmentStore::view));
    }

    /** A segment's configuration in the scope's environment, locked for a change if {@code lock}. */
    Future<SegmentView.ConfigView> config(SqlClient client, Scope scope, String key, boolean lock) {
        return client.preparedQuery("""
                        SELECT c.config::text AS config, c.version, c.updated_at FROM segment_configs c
                        JOIN segments s ON s.id = c.segment_id
                        WHERE s.project_id = $1 AND s.key = $2 AND c.environment_id = $3""" + (lock ? " FOR UPDATE OF c" : ""))
                .execute(Tuple.of(scope.projectId(), key, scope.environmentId()))
                .compose(rows -> one(rows, scope, key).map(row -> new SegmentView.ConfigView(key, scope.environment(),
                        row.getInteger("version"), row.getOffsetDateTime("updated_at"),
                        Json.read(row.getString("config"), SegmentConfig.class))));
    }

    private static Future<Row> one(RowSet<Row> rows, Scope scope, String key) {
        return rows.size() == 0 ? Future.failedFuture(Failure.notFound("no segment '" + key + "' in project '" + scope.project() + "'"))
                : Future.succeededFuture(rows.iterator().next());
    }

    private static SegmentView view(Row row) {
        return new SegmentView(new Segment(row.getString("key"), row.getString("name"), row.getString("description")),
                row.getInteger("version"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
    }
}
