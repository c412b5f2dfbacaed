package dev.darklaunch.server.documents;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.flags.FlagRows;
import dev.darklaunch.server.projects.Scope;
import dev.darklaunch.server.store.Json;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SQL of flags as code: reads a whole project in five statements, and writes what an apply
 * decided with one statement of arrays per kind of write (whatever the number of flags), as the
 * imports do. Each method runs in the caller's transaction.
 */
final class DocumentStore {

    /** A row to write: a flag or segment (by key) and, for a configuration, the environment and JSON. */
    record ConfigRow(String key, long environmentId, String config) {
    }

    /** Everything an apply writes; the caller records the change log and the audit. */
    record Writes(List<Flag> createdFlags, List<ConfigRow> createdFlagConfigs, List<Flag> definedFlags,
                  List<ConfigRow> configuredFlags, List<String> deletedFlags,
                  List<Segment> createdSegments, List<ConfigRow> createdSegmentConfigs, List<Segment> definedSegments,
                  List<ConfigRow> configuredSegments, List<String> deletedSegments) {
    }

    private DocumentStore() {
    }

    /**
     * The project as stored. With {@code lock}, everything is locked for the transaction: segments,
     * their configurations, flags, theirs, and last the environments — each single write locks what
     * it changes before the environment whose revision it bumps, so an apply never waits for a
     * write that waits for it.
     */
    static Future<ProjectState> read(SqlClient tx, Scope scope, boolean lock) {
        Tuple project = Tuple.of(scope.projectId());
        Map<String, ProjectState.StoredSegment> segments = new TreeMap<>();
        Map<String, ProjectState.StoredFlag> flags = new TreeMap<>();
        Map<String, ProjectState.EnvironmentRow> environments = new TreeMap<>();
        String forUpdate = lock ? " FOR UPDATE" : "";
        return tx.preparedQuery("SELECT id, key, name, description, version FROM segments WHERE project_id = $1 ORDER BY key"
                        + forUpdate).execute(project)
                .compose(rows -> {
                    for (Row row : rows) {
                        String key = row.getString("key");
                        segments.put(key, new ProjectState.StoredSegment(row.getLong("id"),
                                new Segment(key, row.getString("name"), row.getString("description")), row.getInteger("version"),
                                new TreeMap<>()));
                    }
                    return tx.preparedQuery("""
                            SELECT s.key, e.key AS environment, c.version, c.config::text AS config FROM segment_configs c
                            JOIN segments s ON s.id = c.segment_id JOIN environments e ON e.id = c.environment_id
                            WHERE s.project_id = $1 ORDER BY s.key, e.id""" + (lock ? " FOR UPDATE OF c" : "")).execute(project);
                })
                .compose(rows -> {
                    for (Row row : rows) {
                        segments.get(row.getString("key")).configs().put(row.getString("environment"),
                                new ProjectState.Versioned<>(Json.read(row.getString("config"), SegmentConfig.class), row.getInteger("version")));
                    }
                    return tx.preparedQuery("SELECT f.id, f.version, " + FlagRows.COLUMNS
                            + " FROM flags f WHERE f.project_id = $1 ORDER BY f.key" + forUpdate).execute(project);
                })
                .compose(rows -> {
                    for (Row row : rows) {
                        Flag flag = FlagRows.flag(row);
                        flags.put(flag.key(), new ProjectState.StoredFlag(row.getLong("id"), flag, row.getInteger("version"),
                                new TreeMap<>()));
                    }
                    return tx.preparedQuery("""
                            SELECT f.key, e.key AS environment, c.version, c.config::text AS config FROM flag_configs c
                            JOIN flags f ON f.id = c.flag_id JOIN environments e ON e.id = c.environment_id
                            WHERE f.project_id = $1 ORDER BY f.key, e.id""" + (lock ? " FOR UPDATE OF c" : "")).execute(project);
                })
                .compose(rows -> {
                    for (Row row : rows) {
                        flags.get(row.getString("key")).configs().put(row.getString("environment"),
                                new ProjectState.Versioned<>(Json.read(row.getString("config"), FlagConfig.class), row.getInteger("version")));
                    }
                    return tx.preparedQuery("SELECT id, key, revision FROM environments WHERE project_id = $1 ORDER BY id" + forUpdate)
                            .execute(project);
                })
                .map(rows -> {
                    for (Row row : rows) {
                        environments.put(row.getString("key"),
                                new ProjectState.EnvironmentRow(row.getLong("id"), row.getString("key"), row.getLong("revision")));
                    }
                    return new ProjectState(scope, environments, flags, segments);
                });
    }

    /** Writes what an apply decided: segments, then flags, then what goes. */
    static Future<Void> write(SqlClient tx, Scope scope, Writes writes) {
        long project = scope.projectId();
        return run(tx, !writes.createdSegments().isEmpty(), """
                        INSERT INTO segments (project_id, key, name, description)
                        SELECT $1, n.key, n.name, n.description FROM unnest($2::text[], $3::text[], $4::text[]) AS n(key, name, description)""",
                Tuple.tuple().addLong(project).addArrayOfString(keys(writes.createdSegments().stream().map(Segment::key).toList()))
                        .addArrayOfString(writes.createdSegments().stream().map(Segment::name).toArray(String[]::new))
                        .addArrayOfString(writes.createdSegments().stream().map(Segment::description).toArray(String[]::new)))
                .compose(v -> configs(tx, project, writes.createdSegmentConfigs(), """
                        INSERT INTO segment_configs (segment_id, environment_id, config)
                        SELECT s.id, n.environment, n.config::jsonb FROM unnest($2::text[], $3::bigint[], $4::text[]) AS n(key, environment, config)
                        JOIN segments s ON s.project_id = $1 AND s.key = n.key"""))
                .compose(v -> run(tx, !writes.definedSegments().isEmpty(), """
                                UPDATE segments s SET name = d.name, description = d.description, version = s.version + 1, updated_at = now()
                                FROM unnest($2::text[], $3::text[], $4::text[]) AS d(key, name, description)
                                WHERE s.project_id = $1 AND s.key = d.key""",
                        Tuple.tuple().addLong(project).addArrayOfString(keys(writes.definedSegments().stream().map(Segment::key).toList()))
                                .addArrayOfString(writes.definedSegments().stream().map(Segment::name).toArray(String[]::new))
                                .addArrayOfString(writes.definedSegments().stream().map(Segment::description).toArray(String[]::new))))
                .compose(v -> configs(tx, project, writes.configuredSegments(), """
                        UPDATE segment_configs c SET config = u.config::jsonb, version = c.version + 1, updated_at = now()
                        FROM segments s, unnest($2::text[], $3::bigint[], $4::text[]) AS u(key, environment, config)
                        WHERE s.project_id = $1 AND s.key = u.key AND c.segment_id = s.id AND c.environment_id = u.environment"""))
                .compose(v -> run(tx, !writes.createdFlags().isEmpty(), """
                        INSERT INTO flags (project_id, key, name, description, kind, variations, tags, owner, lifecycle, archived, client_side)
                        SELECT $1, n.key, n.name, n.description, n.kind, n.variations::jsonb,
                               ARRAY(SELECT jsonb_array_elements_text(n.tags::jsonb)), n.owner, n.lifecycle, n.archived, n.client_side
                        FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                                    $10::boolean[], $11::boolean[])
                             AS n(key, name, description, kind, variations, tags, owner, lifecycle, archived, client_side)""",
                        definitions(Tuple.tuple().addLong(project), writes.createdFlags())))
                .compose(v -> configs(tx, project, writes.createdFlagConfigs(), """
                        INSERT INTO flag_configs (flag_id, environment_id, config)
                        SELECT f.id, n.environment, n.config::jsonb FROM unnest($2::text[], $3::bigint[], $4::text[]) AS n(key, environment, config)
                        JOIN flags f ON f.project_id = $1 AND f.key = n.key"""))
                .compose(v -> run(tx, !writes.definedFlags().isEmpty(), """
                        UPDATE flags f SET name = d.name, description = d.description, kind = d.kind, variations = d.variations::jsonb,
                               tags = ARRAY(SELECT jsonb_array_elements_text(d.tags::jsonb)), owner = d.owner, lifecycle = d.lifecycle,
                               archived = d.archived, client_side = d.client_side, version = f.version + 1, updated_at = now()
                        FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                                    $10::boolean[], $11::boolean[])
                             AS d(key, name, description, kind, variations, tags, owner, lifecycle, archived, client_side)
                        WHERE f.project_id = $1 AND f.key = d.key""",
                        definitions(Tuple.tuple().addLong(project), writes.definedFlags())))
                .compose(v -> configs(tx, project, writes.configuredFlags(), """
                        UPDATE flag_configs c SET config = u.config::jsonb, version = c.version + 1, updated_at = now()
                        FROM flags f, unnest($2::text[], $3::bigint[], $4::text[]) AS u(key, environment, config)
                        WHERE f.project_id = $1 AND f.key = u.key AND c.flag_id = f.id AND c.environment_id = u.environment"""))
                .compose(v -> run(tx, !writes.deletedFlags().isEmpty(), "DELETE FROM flags WHERE project_id = $1 AND key = ANY ($2)",
                        Tuple.tuple().addLong(project).addArrayOfString(keys(writes.deletedFlags()))))
                .compose(v -> run(tx, !writes.deletedSegments().isEmpty(), "DELETE FROM segments WHERE project_id = $1 AND key = ANY ($2)",
                        Tuple.tuple().addLong(project).addArrayOfString(keys(writes.deletedSegments()))));
    }

    private static Future<Void> run(SqlClient tx, boolean needed, String sql, Tuple parameters) {
        return needed ? tx.preparedQuery(sql).execute(parameters).mapEmpty() : Future.succeededFuture();
    }

    private static Future<Void> configs(SqlClient tx, long project, List<ConfigRow> rows, String sql) {
        return run(tx, !rows.isEmpty(), sql, Tuple.tuple().addLong(project)
                .addArrayOfString(rows.stream().map(ConfigRow::key).toArray(String[]::new))
                .addArrayOfLong(rows.stream().map(ConfigRow::environmentId).toArray(Long[]::new))
                .addArrayOfString(rows.stream().map(ConfigRow::config).toArray(String[]::new)));
    }

    private static String[] keys(List<String> keys) {
        return keys.toArray(String[]::new);
    }

    /** The ten definition columns of these flags, as arrays. */
    private static Tuple definitions(Tuple parameters, List<Flag> flags) {
        return parameters.addArrayOfString(flags.stream().map(Flag::key).toArray(String[]::new))
                .addArrayOfString(flags.stream().map(Flag::name).toArray(String[]::new))
                .addArrayOfString(flags.stream().map(Flag::description).toArray(String[]::new))
                .addArrayOfString(flags.stream().map(f -> Json.wire(f.kind())).toArray(String[]::new))
                .addArrayOfString(flags.stream().map(f -> Json.write(f.variations())).toArray(String[]::new))
                .addArrayOfString(flags.stream().map(f -> Json.write(f.tags())).toArray(String[]::new))
                .addArrayOfString(flags.stream().map(Flag::owner).toArray(String[]::new))
                .addArrayOfString(flags.stream().map(f -> Json.wire(f.lifecycle())).toArray(String[]::new))
                .addArrayOfBoolean(flags.stream().map(Flag::archived).toArray(Boolean[]::new))
                .addArrayOfBoolean(flags.stream().map(Flag::clientSide).toArray(Boolean[]::new));
    }
}
