package dev.darklaunch.server.flags;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.server.changes.AuditLog;
import dev.darklaunch.server.changes.Change;
import dev.darklaunch.server.changes.ChangeLog;
import dev.darklaunch.server.changes.IfMatch;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.store.Paging;
import dev.darklaunch.server.projects.ProjectStore;
import dev.darklaunch.server.projects.Scope;
import dev.darklaunch.server.store.Json;
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
import java.util.OptionalLong;

/**
 * Flags and their per-environment configurations. Every write is one transaction that changes
 * the rows, bumps the revision of each affected environment (the SDK feed) and appends the audit
 * event, so all three commit together or not at all; each follows one pattern, as a flat chain:
 * scope → lock → If-Match ({@link IfMatch}) → validate → write → change log → audit → answer.
 *
 * <p>The instance methods open their transactions (the API's face). The static ones run in the
 * caller's transaction, for writes that span capabilities (deployments, imports): {@link #insert},
 * {@link #lockConfigs} and {@link #writeConfigs}. The configuration writes themselves are single
 * statements in {@link FlagConfigs}, the SQL-only store of configurations.
 */
public final class FlagStore {

    /** Filters of the flag list. */
    public record Filter(Optional<String> tag, Optional<String> query, boolean archived) {
    }

    /** One page of flags; {@code next} is the cursor of the following page, if any. */
    public record Page(List<FlagView> items, String next) {
    }

    private static final String FLAG_COLUMNS = "f.id, f.version, f.created_at, f.updated_at, " + FlagRows.COLUMNS;

    private final Pool pool;
    private final ManualChanges manualChanges;

    /** @param manualChanges what a person's change to a flag's configuration also sets off (pausing releases) */
    public FlagStore(Pool pool, ManualChanges manualChanges) {
        this.pool = pool;
        this.manualChanges = manualChanges;
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

    /** Creates a flag; it starts off in every environment of the project. */
    public Future<FlagView> create(String actor, String project, Flag flag, Optional<String> comment) {
        return valid(flag).compose(v -> pool.withTransaction(tx -> ProjectStore.scope(tx, project)
                .compose(scope -> insert(tx, scope, actor, flag, comment, null))));
    }

    /**
     * Creates a validated flag inside the caller's transaction, off in every environment, audited
     * (as part of {@code deployment}, if not null).
     */
    public static Future<FlagView> insert(SqlClient tx, Scope scope, String actor, Flag flag, Optional<String> comment,
                                          Long deployment) {
        FlagConfig initial = FlagConfig.off(flag);
        String project = scope.project();
        return tx.preparedQuery("""
                        INSERT INTO flags (project_id, key, name, description, kind, variations, tags, owner, lifecycle, archived,
                                           client_side)
                        VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, $9, $10, $11) RETURNING id""")
                .execute(flagTuple(scope.projectId(), flag))
                .recover(e -> Future.failedFuture(PgErrors.isUniqueViolation(e)
                        ? Failure.conflict("key", "a flag with key '" + flag.key() + "' already exists in " + project) : e))
                .compose(rows -> {
                    long flagId = rows.iterator().next().getLong("id");
                    return tx.preparedQuery("""
                                    INSERT INTO flag_configs (flag_id, environment_id, config)
                                    SELECT $1, id, $2::text::jsonb FROM environments WHERE project_id = $3""")
                            .execute(Tuple.of(flagId, Json.write(initial), scope.projectId()));
                })
                .compose(v -> ChangeLog.recordEverywhere(tx, scope.projectId(), "flag", flag.key()))
                .compose(v -> view(tx, scope, flag.key()))
                .compose(created -> AuditLog.append(tx, new Change(actor, "flag.create", project, null, "flag",
                        flag.key(), null, created.flag(), comment, deployment)).map(created));
    }

    /** A flag locked for a change, in the scope it was found in. */
    private record Locked(Scope scope, StoredFlag before) {
    }

    /**
     * Replaces a flag's definition (scope → lock → If-Match → validate → write → change log →
     * audit → answer). Its key cannot change; every environment's configuration must still fit.
     */
    public Future<FlagView> update(String actor, String project, String key, Flag flag, OptionalLong ifMatch,
                                   Optional<String> comment) {
        if (!key.equals(flag.key())) {
            return Future.failedFuture(Failure.invalid("key", "a flag's key cannot change (the path says '" + key + "')"));
        }
        return valid(flag).compose(v -> pool.withTransaction(tx -> ProjectStore.scope(tx, project)
                .compose(scope -> lockFlag(tx, scope, key).map(before -> new Locked(scope, before)))
                .compose(locked -> IfMatch.check(ifMatch, locked.before().version())
                        .compose(x -> checkConfigsStillFit(tx, locked.before().id(), flag))
                        .compose(x -> tx.preparedQuery("""
                                        UPDATE flags SET name = $3, description = $4, kind = $5, variations = $6::text::jsonb,
                                               tags = $7, owner = $8, lifecycle = $9, archived = $10, client_side = $11,
                                               version = version + 1, updated_at = now()
                                        WHERE project_id = $1 AND key = $2""")
                                .execute(flagTuple(locked.scope().projectId(), flag)))
                        .compose(x -> ChangeLog.recordEverywhere(tx, locked.scope().projectId(), "flag", key))
                        .compose(x -> view(tx, locked.scope(), key))
                        .compose(after -> AuditLog.append(tx, new Change(actor, "flag.update", project, null,
                                "flag", key, locked.before().flag(), after.flag(), comment)).map(after)))));
    }

    /** Deletes a flag and its configurations, unless another flag lists it as a prerequisite. */
    public Future<Void> delete(String actor, String project, String key, OptionalLong ifMatch, Optional<String> comment) {
        return pool.withTransaction(tx -> ProjectStore.scope(tx, project)
                .compose(scope -> lockFlag(tx, scope, key).map(before -> new Locked(scope, before)))
                .compose(locked -> IfMatch.check(ifMatch, locked.before().version())
                        .compose(x -> notAPrerequisite(tx, locked.scope(), key))
                        .compose(x -> tx.preparedQuery("DELETE FROM flags WHERE id = $1").execute(Tuple.of(locked.before().id())))
                        .compose(x -> ChangeLog.recordEverywhere(tx, locked.scope().projectId(), "flag", key))
                        .compose(x -> AuditLog.append(tx, new Change(actor, "flag.delete", project, null, "flag",
                                key, locked.before().flag(), null, comment)))));
    }

    /** A flag that another flag lists as a prerequisite (in any environment) cannot go. */
    private static Future<Void> notAPrerequisite(SqlClient tx, Scope scope, String key) {
        return tx.preparedQuery("""
                        SELECT f.key, e.key AS environment FROM flag_configs c
                        JOIN flags f ON f.id = c.flag_id JOIN environments e ON e.id = c.environment_id
                        WHERE f.project_id = $1 AND f.key <> $2
                          AND c.config -> 'prerequisites' @> jsonb_build_array(jsonb_build_object('flag', $2::text))
                        LIMIT 1""")
                .execute(Tuple.of(scope.projectId(), key))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.succeededFuture();
                    }
                    Row row = rows.iterator().next();
                    return Future.failedFuture(Failure.conflict("flag '" + row.getString("key") + "' lists '" + key
                            + "' as a prerequisite in " + row.getString("environment") + "; remove that first"));
                });
    }

    /** {@link ModelValidator#validateFlag}, failing the future rather than throwing. */
    private static Future<Void> valid(Flag flag) {
        try {
            ModelValidator.validateFlag(flag);
            return Future.succeededFuture();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    public Future<ConfigView> config(String project, String key, String environment) {
        return ProjectStore.scope(pool, project, environment).compose(scope -> configView(pool, scope, key, false));
    }

    /**
     * Replaces a flag's configuration in one environment: begin, one statement that locks the
     * flag and reads what the validation needs, the validation (on a worker), one statement that
     * writes, commit. A change made by hand is reported to {@link ManualChanges} when a running
     * release ships the flag there (it pauses: automation never overrides a person).
     */
    public Future<ConfigView> putConfig(String actor, String project, String key, String environment, FlagConfig config,
                                        OptionalLong ifMatch, Optional<String> comment) {
        String action = "flag.config.update";
        return pool.withTransaction(tx -> FlagConfigs.readForWrite(tx, project, environment, key)
                .compose(current -> Validation.config(current.flag(), config)
                        .compose(v -> IfMatch.check(ifMatch, current.before().version()))
                        .compose(v -> References.check(current.scope(), key, config, current.environment()))
                        .compose(v -> FlagConfigs.write(tx, actor, current.scope(), List.of(new FlagConfigs.Write(current.flagId(),
                                current.flag(), current.before(), config, action)), comment, null))
                        .compose(written -> config.equals(current.before().config()) || !current.inRunningRelease()
                                ? Future.succeededFuture(written.get(0))
                                : manualChanges.changed(tx, actor, current.scope(), List.of(key), action).map(written.get(0)))));
    }

    /**
     * Switches a flag on or off in one environment: begin, one statement, commit — three round
     * trips; a fourth, the report to {@link ManualChanges}, only when a running release ships the
     * flag (and is paused by it). Doing it twice changes nothing the second time.
     */
    public Future<ConfigView> setOn(String actor, String project, String key, String environment, boolean on,
                                    OptionalLong ifMatch, Optional<String> comment) {
        return pool.withTransaction(tx -> FlagConfigs.toggle(tx, actor, project, environment, key, on, ifMatch, comment)
                .compose(toggled -> !toggled.written() || !toggled.inRunningRelease() ? Future.succeededFuture(toggled.view())
                        : manualChanges.changed(tx, actor, toggled.scope(), List.of(key), on ? "flag.on" : "flag.off")
                        .map(toggled.view())));
    }

    /** New environments start with every flag off. */
    public static Future<Void> seedEnvironment(SqlClient tx, long projectId, long environmentId) {
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

    /** A flag's configuration in one environment, locked for a change within a transaction. */
    public record LockedConfig(long flagId, Flag flag, ConfigView view) {
    }

    /** One configuration to write, and the audit action that names the change. */
    public record ConfigWrite(LockedConfig current, FlagConfig config, String action) {
    }

    /**
     * Locks the configurations of these flags in the scope's environment, in key order (so that
     * concurrent writers of overlapping sets never deadlock). Keys without a flag are left out.
     */
    public static Future<List<LockedConfig>> lockConfigs(SqlClient tx, Scope scope, List<String> keys) {
        return tx.preparedQuery("SELECT " + FLAG_COLUMNS + """
                        , c.config::text AS config, c.version AS config_version, c.updated_at AS config_updated_at
                        FROM flags f JOIN flag_configs c ON c.flag_id = f.id AND c.environment_id = $2
                        WHERE f.project_id = $1 AND f.key = ANY ($3) ORDER BY f.key FOR UPDATE OF f, c""")
                .execute(Tuple.tuple().addLong(scope.projectId()).addLong(scope.environmentId())
                        .addArrayOfString(keys.toArray(String[]::new)))
                .map(rows -> {
                    List<LockedConfig> locked = new ArrayList<>();
                    for (Row row : rows) {
                        StoredFlag flag = flag(row);
                        locked.add(new LockedConfig(flag.id(), flag.flag(), new ConfigView(flag.flag().key(), scope.environment(),
                                row.getInteger("config_version"), row.getOffsetDateTime("config_updated_at"),
                                Json.read(row.getString("config"), FlagConfig.class))));
                    }
                    return locked;
                });
    }

    /**
     * Writes new configurations of flags in one environment as one revision, so SDKs get them as
     * one patch and never see some applied and others not; appends an audit event for each (as
     * part of {@code deployment}, if not null). The configurations must be validated and locked
     * ({@link #lockConfigs}); nothing pauses.
     * One statement, in the caller's transaction.
     */
    public static Future<List<ConfigView>> writeConfigs(SqlClient tx, String actor, Scope scope, List<ConfigWrite> writes,
                                                        Optional<String> comment, Long deployment) {
        return FlagConfigs.write(tx, actor, scope, writes.stream().map(w -> new FlagConfigs.Write(w.current().flagId(),
                w.current().flag(), w.current().view(), w.config(), w.action())).toList(), comment, deployment);
    }

    /** A new definition must not orphan a variation index that some environment still serves. */
    private static Future<Void> checkConfigsStillFit(SqlClient tx, long flagId, Flag flag) {
        return tx.preparedQuery("""
                        SELECT e.key, c.config::text AS config FROM flag_configs c JOIN environments e ON e.id = c.environment_id
                        WHERE c.flag_id = $1 ORDER BY e.position""")
                .execute(Tuple.of(flagId))
                .compose(rows -> Validation.onWorker(() -> { // validating compiles the rules' patterns
                    for (Row row : rows) {
                        try {
                            ModelValidator.validateConfig(flag, Json.read(row.getString("config"), FlagConfig.class));
                        } catch (InvalidModelException e) {
                            throw Failure.conflict("variations", "the configuration in "
                                    + row.getString("key") + " no longer fits the new definition (" + e.field() + ": "
                                    + e.getMessage() + "); change that configuration first");
                        }
                    }
                    return null;
                }));
    }

    private static Future<StoredFlag> lockFlag(SqlClient tx, Scope scope, String key) {
        return tx.preparedQuery("SELECT " + FLAG_COLUMNS + " FROM flags f WHERE f.project_id = $1 AND f.key = $2 FOR UPDATE")
                .execute(Tuple.of(scope.projectId(), key))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Failure.notFound("no flag '" + key + "' in project '" + scope.project() + "'");
                    }
                    return flag(rows.iterator().next());
                });
    }

    private static Future<FlagView> view(SqlClient client, Scope scope, String key) {
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

    private static Future<ConfigView> configView(SqlClient client, Scope scope, String key, boolean lock) {
        return client.preparedQuery("""
                        SELECT c.config::text AS config, c.version, c.updated_at FROM flag_configs c JOIN flags f ON f.id = c.flag_id
                        WHERE f.project_id = $1 AND f.key = $2 AND c.environment_id = $3""" + (lock ? " FOR UPDATE OF c" : ""))
                .execute(Tuple.of(scope.projectId(), key, scope.environmentId()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Failure.notFound("no flag '" + key + "' in project '" + scope.project() + "'");
                    }
                    Row row = rows.iterator().next();
                    return new ConfigView(key, scope.environment(), row.getInteger("version"), row.getOffsetDateTime("updated_at"),
                            Json.read(row.getString("config"), FlagConfig.class));
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

    /** A flag row: its database id, definition, version and times. */
    record StoredFlag(long id, Flag flag, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
        FlagView view(Map<String, FlagView.EnvironmentState> states) {
            return new FlagView(flag, version, createdAt, updatedAt, states);
        }
    }

    private static StoredFlag flag(Row row) {
        return new StoredFlag(row.getLong("id"), FlagRows.flag(row), row.getInteger("version"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"));
    }


    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
