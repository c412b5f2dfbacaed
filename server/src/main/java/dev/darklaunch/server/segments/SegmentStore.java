package dev.darklaunch.server.segments;

import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.changes.AuditLog;
import dev.darklaunch.server.changes.Change;
import dev.darklaunch.server.changes.ChangeLog;
import dev.darklaunch.server.changes.IfMatch;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.flags.Validation;
import dev.darklaunch.server.projects.ProjectStore;
import dev.darklaunch.server.projects.Scope;
import dev.darklaunch.server.store.Json;
import dev.darklaunch.server.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Segments (named groups of contexts) and their members and rules per environment. Writes follow
 * the flag store's pattern: rows, revision of each affected environment and audit in one transaction.
 */
public final class SegmentStore {

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

    public Future<SegmentView> create(String actor, String project, Segment segment, Optional<String> comment) {
        return pool.withTransaction(tx -> ProjectStore.scope(tx, project)
                .compose(scope -> tx.preparedQuery("INSERT INTO segments (project_id, key, name, description) VALUES ($1, $2, $3, $4) RETURNING id")
                        .execute(Tuple.of(scope.projectId(), segment.key(), segment.name(), segment.description()))
                        .recover(e -> Future.failedFuture(PgErrors.isUniqueViolation(e)
                                ? Failure.conflict("key", "a segment with key '" + segment.key() + "' already exists in " + project) : e))
                        .compose(rows -> tx.preparedQuery("""
                                        INSERT INTO segment_configs (segment_id, environment_id, config)
                                        SELECT $1, id, $2::text::jsonb FROM environments WHERE project_id = $3""")
                                .execute(Tuple.of(rows.iterator().next().getLong("id"), EMPTY, scope.projectId())))
                        .compose(v -> ChangeLog.recordEverywhere(tx, scope.projectId(), "segment", segment.key()))
                        .compose(v -> find(tx, scope, segment.key(), false))
                        .compose(created -> AuditLog.append(tx, new Change(actor, "segment.create", project, null, "segment",
                                segment.key(), null, created.segment(), comment)).map(created))));
    }

    /** A segment locked for a change, in the scope it was found in. */
    private record Locked(Scope scope, SegmentView before) {
    }

    public Future<SegmentView> update(String actor, String project, String key, Segment segment, OptionalLong ifMatch,
                                      Optional<String> comment) {
        if (!key.equals(segment.key())) {
            return Future.failedFuture(Failure.invalid("key", "a segment's key cannot change (the path says '" + key + "')"));
        }
        return pool.withTransaction(tx -> ProjectStore.scope(tx, project)
                .compose(scope -> find(tx, scope, key, true).map(before -> new Locked(scope, before)))
                .compose(locked -> IfMatch.check(ifMatch, locked.before().version())
                        .compose(v -> tx.preparedQuery("""
                                        UPDATE segments SET name = $3, description = $4, version = version + 1, updated_at = now()
                                        WHERE project_id = $1 AND key = $2""")
                                .execute(Tuple.of(locked.scope().projectId(), key, segment.name(), segment.description())))
                        .compose(v -> find(tx, locked.scope(), key, false))
                        .compose(after -> AuditLog.append(tx, new Change(actor, "segment.update", project, null,
                                "segment", key, locked.before().segment(), after.segment(), comment)).map(after))));
    }

    /** Deletes a segment unless a flag's rule still matches it. */
    public Future<Void> delete(String actor, String project, String key, OptionalLong ifMatch, Optional<String> comment) {
        return pool.withTransaction(tx -> ProjectStore.scope(tx, project)
                .compose(scope -> find(tx, scope, key, true).map(before -> new Locked(scope, before)))
                .compose(locked -> IfMatch.check(ifMatch, locked.before().version())
                        .compose(v -> notMatchedByAFlag(tx, locked.scope(), key))
                        .compose(v -> tx.preparedQuery("DELETE FROM segments WHERE project_id = $1 AND key = $2")
                                .execute(Tuple.of(locked.scope().projectId(), key)))
                        .compose(v -> ChangeLog.recordEverywhere(tx, locked.scope().projectId(), "segment", key))
                        .compose(v -> AuditLog.append(tx, new Change(actor, "segment.delete", project, null,
                                "segment", key, locked.before().segment(), null, comment)))));
    }

    private static Future<Void> notMatchedByAFlag(SqlClient tx, Scope scope, String key) {
        return tx.preparedQuery("""
                        SELECT f.key, e.key AS environment FROM flag_configs c
                        JOIN flags f ON f.id = c.flag_id JOIN environments e ON e.id = c.environment_id
                        WHERE f.project_id = $1 AND jsonb_path_exists(c.config,
                          '$.rules[*].clauses[*] ? (@.op == "segmentMatch").values[*] ? (@ == $key)',
                          jsonb_build_object('key', $2::text))
                        LIMIT 1""")
                .execute(Tuple.of(scope.projectId(), key))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.succeededFuture();
                    }
                    Row row = rows.iterator().next();
                    return Future.failedFuture(Failure.conflict("flag '" + row.getString("key") + "' matches segment '" + key
                            + "' in " + row.getString("environment") + "; remove that rule first"));
                });
    }

    public Future<SegmentView.ConfigView> config(String project, String key, String environment) {
        return ProjectStore.scope(pool, project, environment).compose(scope -> config(pool, scope, key, false));
    }

    /** A segment's configuration locked for a change, in the scope it was found in. */
    private record LockedConfig(Scope scope, SegmentView.ConfigView before) {
    }

    public Future<SegmentView.ConfigView> putConfig(String actor, String project, String key, String environment,
                                                    SegmentConfig config, OptionalLong ifMatch, Optional<String> comment) {
        return Validation.segmentConfig(config).compose(valid -> pool.withTransaction(tx -> ProjectStore.scope(tx, project, environment)
                .compose(scope -> config(tx, scope, key, true).map(before -> new LockedConfig(scope, before)))
                .compose(locked -> IfMatch.check(ifMatch, locked.before().version())
                        // the flags that match this segment must stay within the cost of one evaluation
                        .compose(v -> Validation.environment(tx, locked.scope(), data -> withConfig(data, key, config), null, "rules",
                                "matches this segment"))
                        .compose(v -> tx.preparedQuery("""
                                        UPDATE segment_configs SET config = $3::text::jsonb, version = version + 1, updated_at = now()
                                        WHERE environment_id = $2 AND segment_id = (SELECT id FROM segments WHERE project_id = $1 AND key = $4)""")
                                .execute(Tuple.of(locked.scope().projectId(), locked.scope().environmentId(), Json.write(config), key)))
                        .compose(v -> ChangeLog.record(tx, locked.scope().environmentId(), "segment", List.of(key)))
                        .compose(revision -> config(tx, locked.scope(), key, false))
                        .compose(after -> AuditLog.append(tx, new Change(actor, "segment.config.update", project,
                                environment, "segment", key, locked.before().config(), after.config(), comment)).map(after)))));
    }

    private static EnvironmentData withConfig(EnvironmentData data, String key, SegmentConfig config) {
        List<EnvironmentSegment> segments = new ArrayList<>(data.segments().size());
        for (EnvironmentSegment segment : data.segments()) {
            segments.add(segment.key().equals(key) ? new EnvironmentSegment(key, config) : segment);
        }
        return new EnvironmentData(data.revision(), data.flags(), segments);
    }

    /** New environments start with every segment empty. */
    public static Future<Void> seedEnvironment(SqlClient tx, long projectId, long environmentId) {
        return tx.preparedQuery("""
                        INSERT INTO segment_configs (segment_id, environment_id, config)
                        SELECT id, $2, $3::text::jsonb FROM segments WHERE project_id = $1""")
                .execute(Tuple.of(projectId, environmentId, EMPTY))
                .mapEmpty();
    }

    private static Future<SegmentView> find(SqlClient client, Scope scope, String key, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM segments s WHERE s.project_id = $1 AND s.key = $2"
                        + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(scope.projectId(), key))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Failure.notFound("no segment '" + key + "' in project '" + scope.project() + "'");
                    }
                    return view(rows.iterator().next());
                });
    }

    private static Future<SegmentView.ConfigView> config(SqlClient client, Scope scope, String key, boolean lock) {
        return client.preparedQuery("""
                        SELECT c.config::text AS config, c.version, c.updated_at FROM segment_configs c
                        JOIN segments s ON s.id = c.segment_id
                        WHERE s.project_id = $1 AND s.key = $2 AND c.environment_id = $3""" + (lock ? " FOR UPDATE OF c" : ""))
                .execute(Tuple.of(scope.projectId(), key, scope.environmentId()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Failure.notFound("no segment '" + key + "' in project '" + scope.project() + "'");
                    }
                    Row row = rows.iterator().next();
                    return new SegmentView.ConfigView(key, scope.environment(), row.getInteger("version"),
                            row.getOffsetDateTime("updated_at"), Json.read(row.getString("config"), SegmentConfig.class));
                });
    }

    private static SegmentView view(Row row) {
        return new SegmentView(new Segment(row.getString("key"), row.getString("name"), row.getString("description")),
                row.getInteger("version"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
    }
}
