package dev.darklaunch.server.flags;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.projects.ProjectStore;
import dev.darklaunch.server.projects.Scope;
import dev.darklaunch.server.store.Json;
import dev.darklaunch.server.store.Paging;
import dev.darklaunch.server.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store of flag definitions: SQL only. Reads run on the pool; the methods that take a
 * {@link SqlClient} run in the caller's transaction, one statement each (creating a flag, two).
 * The rules — validation, If-Match, what a change must keep — are {@link FlagWrites}'s; what
 * these methods check is what only the rows can tell (a flag that is not there, a key taken).
 */
public final class FlagStore {

    /** Filters of the flag list. */
    public record Filter(Optional<String> tag, Optional<String> query, boolean archived) {
    }

    /** One page of flags; {@code next} is the cursor of the following page, if any. */
    public record Page(List<FlagView> items, String next) {
    }

    /** A flag row: its database id, definition, version and times. */
    record StoredFlag(long id, Flag flag, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
        FlagView view(Map<String, FlagView.EnvironmentState> states) {
            return new FlagView(flag, version, createdAt, updatedAt, states);
        }
    }

    /** A flag's configuration in one environment, by the environment's key. */
    record EnvironmentConfig(String environment, FlagConfig config) {
    }

    /** Another flag that names a flag as its prerequisite, and where. */
    record Dependent(String flag, String environment) {
    }

    private static final String FLAG_COLUMNS = "f.id, f.version, f.created_at, f.updated_at, " + FlagRows.COLUMNS;

    private final Pool pool;

    public FlagStore(Pool pool) {
        this.pool = pool;
    }

    public Future<Page> list(String project, Filter filter, Paging paging) {
        return ProjectStore.scope(pool, project).compose(scope -> pool.preparedQuery("SELECT " + FLAG_COLUMNS + """
                         FROM flags f
                        WHERE f.project_id = $1 AND f.archived = $2
                          AND ($3::text IS NULL OR $3 = ANY (f.tags))
                          AND ($4::text IS NULL OR f.key ILIKE '%' || $4 || '%' OR f.name ILIKE '%' || $4 || '%')
                          AND ($5::text IS NULL OR f.key > $5)
                        ORDER BY f.key LIMIT $6""")
                .execute(Tuple.from(new Object[]{scope.projectId(), filter.archived(), filter.tag().orElse(null),
                        filter.query().map(FlagStore::escapeLike).orElse(null), paging.after().orElse(null),
                        paging.limit() + 1}))
                .compose(rows -> {
                    List<StoredFlag> flags = new ArrayList<>();
                    rows.forEach(row -> flags.add(flag(row)));
                    boolean more = flags.size() > paging.limit();
                    List<StoredFlag> page = more ? flags.subList(0, paging.limit()) : flags;
                    return states(pool, page.stream().map(StoredFlag::id).toList())
                            .map(states -> new Page(page.stream().map(f -> f.view(states.getOrDefault(f.id(), Map.of()))).toList(),
                                    more ? Paging.cursorFor(page.get(page.size() - 1).flag().key()) : null));
                }));
    }

    public Future<FlagView> get(String project, String key) {
        return ProjectStore.scope(pool, project).compose(scope -> view(pool, scope, key));
    }

    public Future<ConfigView> config(String project, String key, String environment) {
        return ProjectStore.scope(pool, project, environment).compose(scope -> pool.preparedQuery("""
                        SELECT c.config::text AS config, c.version, c.updated_at FROM flag_configs c JOIN flags f ON f.id = c.flag_id
                        WHERE f.project_id = $1 AND f.key = $2 AND c.environment_id = $3""")
                .execute(Tuple.of(scope.projectId(), key, scope.environmentId()))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(Failure.notFound("no flag '" + key + "' in project '" + scope.project() + "'"));
                    }
                    Row row = rows.iterator().next();
                    return Future.succeededFuture(new ConfigView(key, scope.environment(), row.getInteger("version"),
                            row.getOffsetDateTime("updated_at"), Json.read(row.getString("config"), FlagConfig.class)));
                }));
    }

    /** Inserts a flag with {@code initial} as its configuration in every environment; answers its id. */
    Future<Long> insert(SqlClient tx, Scope scope, Flag flag, FlagConfig initial) {
        return tx.preparedQuery("""
                        INSERT INTO flags (project_id, key, name, description, kind, variations, tags, owner, lifecycle, archived,
                                           client_side)
                        VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, $9, $10, $11) RETURNING id""")
                .execute(flagTuple(scope.projectId(), flag))
                .recover(e -> Future.failedFuture(PgErrors.isUniqueViolation(e)
                        ? Failure.conflict("key", "a flag with key '" + flag.key() + "' already exists in " + scope.project()) : e))
                .compose(rows -> {
                    long flagId = rows.iterator().next().getLong("id");
                    return tx.preparedQuery("""
                                    INSERT INTO flag_configs (flag_id, environment_id, config)
                                    SELECT $1, id, $2::text::jsonb FROM environments WHERE project_id = $3""")
                            .execute(Tuple.of(flagId, Json.write(initial), scope.projectId()))
                            .map(flagId);
                });
    }

    /** Locks a flag for a change; fails with {@link Failure.NotFound} when there is none. */
    Future<StoredFlag> lock(SqlClient tx, Scope scope, String key) {
        return tx.preparedQuery("SELECT " + FLAG_COLUMNS + " FROM flags f WHERE f.project_id = $1 AND f.key = $2 FOR UPDATE")
                .execute(Tuple.of(scope.projectId(), key))
                .compose(rows -> rows.size() == 0
                        ? Future.failedFuture(Failure.notFound("no flag '" + key + "' in project '" + scope.project() + "'"))
                        : Future.succeededFuture(flag(rows.iterator().next())));
    }

    /** Replaces a flag's definition (its key stays). */
    Future<Void> update(SqlClient tx, Scope scope, Flag flag) {
        return tx.preparedQuery("""
                        UPDATE flags SET name = $3, description = $4, kind = $5, variations = $6::text::jsonb,
                               tags = $7, owner = $8, lifecycle = $9, archived = $10, client_side = $11,
                               version = version + 1, updated_at = now()
                        WHERE project_id = $1 AND key = $2""")
                .execute(flagTuple(scope.projectId(), flag))
                .mapEmpty();
    }

    /** Deletes a flag and (by cascade) its configurations. */
    Future<Void> delete(SqlClient tx, long flagId) {
        return tx.preparedQuery("DELETE FROM flags WHERE id = $1").execute(Tuple.of(flagId)).mapEmpty();
    }

    /** A flag that lists {@code key} as a prerequisite in any environment, if one does. */
    Future<Optional<Dependent>> dependent(SqlClient tx, Scope scope, String key) {
        return tx.preparedQuery("""
                        SELECT f.key, e.key AS environment FROM flag_configs c
                        JOIN flags f ON f.id = c.flag_id JOIN environments e ON e.id = c.environment_id
                        WHERE f.project_id = $1 AND f.key <> $2
                          AND c.config -> 'prerequisites' @> jsonb_build_array(jsonb_build_object('flag', $2::text))
                        LIMIT 1""")
                .execute(Tuple.of(scope.projectId(), key))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(new Dependent(rows.iterator().next().getString("key"),
                        rows.iterator().next().getString("environment"))));
    }

    /** A flag's configuration in every environment, in the environments' order. */
    Future<List<EnvironmentConfig>> configs(SqlClient tx, long flagId) {
        return tx.preparedQuery("""
                        SELECT e.key, c.config::text AS config FROM flag_configs c JOIN environments e ON e.id = c.environment_id
                        WHERE c.flag_id = $1 ORDER BY e.position""")
                .execute(Tuple.of(flagId))
                .map(rows -> {
                    List<EnvironmentConfig> configs = new ArrayList<>();
                    rows.forEach(row -> configs.add(new EnvironmentConfig(row.getString("key"),
                            Json.read(row.getString("config"), FlagConfig.class))));
                    return configs;
                });
    }

    /** A flag as the API shows it, with its state in every environment. */
    Future<FlagView> view(SqlClient client, Scope scope, String key) {
        return client.preparedQuery("SELECT " + FLAG_COLUMNS + " FROM flags f WHERE f.project_id = $1 AND f.key = $2")
                .execute(Tuple.of(scope.projectId(), key))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(Failure.notFound("no flag '" + key + "' in project '" + scope.project() + "'"));
                    }
                    StoredFlag flag = flag(rows.iterator().next());
                    return states(client, List.of(flag.id())).map(states -> flag.view(states.getOrDefault(flag.id(), Map.of())));
                });
    }

    /** New environments start with every flag off. */
    public Future<Void> seedEnvironment(SqlClient tx, long projectId, long environmentId) {
        return tx.preparedQuery("SELECT " + FLAG_COLUMNS + " FROM flags f WHERE f.project_id = $1").execute(Tuple.of(projectId))
                .compose(rows -> {
                    List<Tuple> batch = new ArrayList<>();
                    rows.forEach(row -> batch.add(Tuple.of(row.getLong("id"), environmentId,
                            Json.write(FlagConfig.off(flag(row).flag())))));
                    return batch.isEmpty() ? Future.succeededFuture()
                            : tx.preparedQuery("INSERT INTO flag_configs (flag_id, environment_id, config) VALUES ($1, $2, $3::text::jsonb)")
                            .executeBatch(batch).mapEmpty();
                });
    }

    /**
     * Each flag's state per environment, with its configuration and the release (running or
     * paused) that ships it there, in one query: the release is looked up per configuration
     * through the deployments' environment index, so a list of 500 flags stays one round trip.
     */
    private static Future<Map<Long, Map<String, FlagView.EnvironmentState>>> states(SqlClient client, List<Long> flagIds) {
        if (flagIds.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        return client.preparedQuery("""
                        SELECT c.flag_id, e.key, (c.config ->> 'on')::boolean AS on, c.version, c.config::text AS config,
                               u.last_evaluated_at, r.id AS release_deployment, r.service AS release_service,
                               r.version AS release_version, r.release_state
                        FROM flag_configs c JOIN environments e ON e.id = c.environment_id
                        JOIN flags f ON f.id = c.flag_id
                        LEFT JOIN flag_usage u ON u.environment_id = c.environment_id AND u.flag_key = f.key
                        LEFT JOIN LATERAL (
                            SELECT dep.id, dep.service, dep.version, dep.release_state
                            FROM deployments dep JOIN deployment_flags df ON df.deployment_id = dep.id AND df.flag_key = f.key
                            WHERE dep.environment_id = c.environment_id AND dep.release_state IN ('running', 'paused')
                            ORDER BY dep.id DESC LIMIT 1) r ON true
                        WHERE c.flag_id = ANY ($1) ORDER BY e.position, e.id""")
                .execute(Tuple.tuple().addArrayOfLong(flagIds.toArray(Long[]::new)))
                .map(rows -> {
                    Map<Long, Map<String, FlagView.EnvironmentState>> states = new LinkedHashMap<>();
                    rows.forEach(row -> states.computeIfAbsent(row.getLong("flag_id"), id -> new LinkedHashMap<>())
                            .put(row.getString("key"), new FlagView.EnvironmentState(row.getBoolean("on"), row.getInteger("version"),
                                    row.getOffsetDateTime("last_evaluated_at"), row.getString("config"),
                                    release(row))));
                    return states;
                });
    }

    private static FlagView.Release release(Row row) {
        Long deployment = row.getLong("release_deployment");
        return deployment == null ? null : new FlagView.Release(deployment, row.getString("release_service"),
                row.getString("release_version"), row.getString("release_state"));
    }

    private static Tuple flagTuple(long projectId, Flag flag) {
        return Tuple.from(new Object[]{projectId, flag.key(), flag.name(), flag.description(), Json.wire(flag.kind()),
                Json.write(flag.variations()), flag.tags().toArray(String[]::new), flag.owner(), Json.wire(flag.lifecycle()),
                flag.archived(), flag.clientSide()});
    }

    private static StoredFlag flag(Row row) {
        return new StoredFlag(row.getLong("id"), FlagRows.flag(row), row.getInteger("version"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"));
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
