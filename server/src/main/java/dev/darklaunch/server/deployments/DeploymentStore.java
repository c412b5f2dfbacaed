package dev.darklaunch.server.deployments;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.FlagKind;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.projects.ProjectStore;
import dev.darklaunch.server.projects.Scope;
import dev.darklaunch.server.store.Json;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The SQL of deployments, their shipped flags and their release steps; nothing else. Every
 * method runs on the client it is given (the pool, or the caller's transaction), so the rules
 * in {@link DeploymentRecords} and {@link Releases} decide what belongs in one transaction.
 */
public final class DeploymentStore {

    /** A shipped flag as the database has it now: its flag and configuration are null if the flag was deleted. */
    record ShippedFlagRow(String key, boolean created, Flag flag, FlagConfig config) {
    }

    /** The last change of a flag in an environment, as the audit log has it. */
    record LastChange(String actor, String action) {
    }

    private static final String COLUMNS = """
            d.id, d.project_id, d.environment_id, p.key AS project, e.key AS environment, e.production,
            e.rollback_on_failure, d.service, d.version, d.commit_sha, d.url, d.status, d.actor, d.created_at,
            d.updated_at, d.finished_at, d.release_state, d.release_actor, d.paused_at, d.paused_by, d.paused_reason
            FROM deployments d JOIN projects p ON p.id = d.project_id JOIN environments e ON e.id = d.environment_id
            """;

    // ---- deployments ------------------------------------------------------------------------------

    /** Up to {@code limit} deployments of the project matching the filter, newest first, with ids below {@code beforeId} (if not null). */
    Future<List<StoredDeployment>> list(SqlClient client, long projectId, DeploymentFilter filter, Long beforeId, int limit) {
        return client.preparedQuery("SELECT " + COLUMNS + """
                         WHERE d.project_id = $1 AND ($2::text IS NULL OR d.service = $2) AND ($3::text IS NULL OR e.key = $3)
                           AND ($4::text IS NULL OR d.status = $4) AND ($5::timestamptz IS NULL OR d.created_at >= $5)
                           AND ($6::timestamptz IS NULL OR d.created_at < $6) AND ($7::bigint IS NULL OR d.id < $7)
                         ORDER BY d.id DESC LIMIT $8""")
                .execute(Tuple.from(new Object[]{projectId, filter.service(), filter.environment(), filter.status(),
                        filter.since(), filter.until(), beforeId, limit}))
                .map(rows -> {
                    List<StoredDeployment> found = new ArrayList<>();
                    rows.forEach(row -> found.add(stored(row)));
                    return found;
                });
    }

    /** The deployment, locked for this transaction if {@code lock}; fails with NotFound if the project has none with this id. */
    Future<StoredDeployment> find(SqlClient client, String project, long id, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " WHERE p.key = $1 AND d.id = $2" + (lock ? " FOR UPDATE OF d" : ""))
                .execute(Tuple.of(project, id))
                .compose(rows -> rows.size() == 0
                        ? Future.failedFuture(Failure.notFound("no deployment " + id + " in project '" + project + "'"))
                        : Future.succeededFuture(stored(rows.iterator().next())));
    }

    /** The deployment locked for this transaction if its release is running and nobody else holds it; else empty. */
    Future<Optional<StoredDeployment>> lockRunningRelease(SqlClient tx, long id) {
        return tx.preparedQuery("SELECT " + COLUMNS + " WHERE d.id = $1 AND d.release_state = 'running' FOR UPDATE OF d SKIP LOCKED")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(stored(rows.iterator().next())));
    }

    /** "service version" of each deployment. */
    Future<Map<Long, String>> titles(SqlClient client, List<Long> ids) {
        return client.preparedQuery("SELECT id, service, version FROM deployments WHERE id = ANY ($1)")
                .execute(Tuple.tuple().addArrayOfLong(ids.toArray(Long[]::new)))
                .map(rows -> {
                    Map<Long, String> titles = new LinkedHashMap<>();
                    rows.forEach(row -> titles.put(row.getLong("id"), row.getString("service") + " " + row.getString("version")));
                    return titles;
                });
    }

    /** The deployment the project recorded with this idempotency key, if any. */
    Future<Optional<Long>> idOfIdempotencyKey(SqlClient client, String project, String key) {
        return client.preparedQuery("""
                        SELECT d.id FROM deployments d JOIN projects p ON p.id = d.project_id
                        WHERE p.key = $1 AND d.idempotency_key = $2""")
                .execute(Tuple.of(project, key))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("id")));
    }

    /** Inserts a deployment row (a second one with an idempotency key already used fails on the unique index); answers its id. */
    Future<Long> insert(SqlClient tx, Scope scope, NewDeployment deployment, String actor) {
        return tx.preparedQuery("""
                        INSERT INTO deployments (project_id, environment_id, service, version, commit_sha, url, status,
                                                 actor, finished_at, idempotency_key)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $7 = 'started' THEN NULL ELSE now() END, $9)
                        RETURNING id""")
                .execute(Tuple.from(new Object[]{scope.projectId(), scope.environmentId(), deployment.service(),
                        deployment.version(), deployment.commit(), deployment.url(), deployment.status(), actor,
                        deployment.idempotencyKey()}))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    Future<Void> setStatus(SqlClient tx, long id, String status) {
        return tx.preparedQuery("""
                        UPDATE deployments SET status = $2, updated_at = now(), finished_at = coalesce(finished_at, now())
                        WHERE id = $1""")
                .execute(Tuple.of(id, status))
                .mapEmpty();
    }

    // ---- shipped flags ----------------------------------------------------------------------------

    /** The kinds of the flags among {@code keys} that exist in the project. */
    Future<Map<String, FlagKind>> flagKinds(SqlClient client, long projectId, List<String> keys) {
        return client.preparedQuery("SELECT key, kind FROM flags WHERE project_id = $1 AND key = ANY ($2)")
                .execute(Tuple.tuple().addLong(projectId).addArrayOfString(keys.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, FlagKind> kinds = new LinkedHashMap<>();
                    rows.forEach(row -> kinds.put(row.getString("key"), Json.fromWire(row.getString("kind"), FlagKind.class)));
                    return kinds;
                });
    }

    /** Lists the deployment's flags; {@code created} are the ones it created. */
    Future<Void> insertShippedFlags(SqlClient tx, long id, List<String> keys, Set<String> created) {
        if (keys.isEmpty()) {
            return Future.succeededFuture();
        }
        return tx.preparedQuery("INSERT INTO deployment_flags (deployment_id, flag_key, created) VALUES ($1, $2, $3)")
                .executeBatch(keys.stream().map(key -> Tuple.of(id, key, created.contains(key))).toList())
                .mapEmpty();
    }

    Future<List<String>> shippedFlagKeys(SqlClient client, long id) {
        return client.preparedQuery("SELECT flag_key FROM deployment_flags WHERE deployment_id = $1 ORDER BY flag_key")
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<String> keys = new ArrayList<>();
                    rows.forEach(row -> keys.add(row.getString("flag_key")));
                    return keys;
                });
    }

    /** The deployments' flags with their flag and configuration in the deployment's environment now, in one query. */
    Future<Map<Long, List<ShippedFlagRow>>> shippedFlags(SqlClient client, List<Long> ids) {
        return client.preparedQuery("SELECT df.deployment_id, df.flag_key, df.created,"
                        + " f.id IS NOT NULL AS exists, c.config::text AS config, " + FlagChanges.FLAG_COLUMNS + "\n" + """
                         FROM deployment_flags df JOIN deployments d ON d.id = df.deployment_id
                         LEFT JOIN flags f ON f.project_id = d.project_id AND f.key = df.flag_key
                         LEFT JOIN flag_configs c ON c.flag_id = f.id AND c.environment_id = d.environment_id
                         WHERE df.deployment_id = ANY ($1) ORDER BY df.deployment_id, df.flag_key""")
                .execute(Tuple.tuple().addArrayOfLong(ids.toArray(Long[]::new)))
                .map(rows -> group(rows, row -> row.getBoolean("exists")
                        ? new ShippedFlagRow(row.getString("flag_key"), row.getBoolean("created"), FlagChanges.flag(row),
                        Json.read(row.getString("config"), FlagConfig.class))
                        : new ShippedFlagRow(row.getString("flag_key"), row.getBoolean("created"), null, null)));
    }

    /** The deployment's flags, with the configuration version its release last wrote (null: none yet). */
    Future<Map<String, Long>> releasedVersions(SqlClient tx, long id) {
        return tx.preparedQuery("SELECT flag_key, released_version FROM deployment_flags WHERE deployment_id = $1 ORDER BY flag_key")
                .execute(Tuple.of(id))
                .map(rows -> {
                    Map<String, Long> versions = new LinkedHashMap<>();
                    rows.forEach(row -> versions.put(row.getString("flag_key"), row.getLong("released_version")));
                    return versions;
                });
    }

    /** Records each shipped flag's configuration version in the deployment's environment as the one its release last saw. */
    Future<Void> recordReleasedVersions(SqlClient tx, long id) {
        return tx.preparedQuery("""
                        UPDATE deployment_flags df SET released_version = c.version
                        FROM deployments d JOIN flags f ON f.project_id = d.project_id
                        JOIN flag_configs c ON c.flag_id = f.id AND c.environment_id = d.environment_id
                        WHERE df.deployment_id = $1 AND d.id = df.deployment_id AND f.key = df.flag_key""")
                .execute(Tuple.of(id))
                .mapEmpty();
    }

    /** Who last changed a flag in an environment, and how. */
    Future<Optional<LastChange>> lastFlagChange(SqlClient tx, String project, String environment, String key) {
        return tx.preparedQuery("""
                        SELECT actor, action FROM audit_events
                        WHERE project = $1 AND target_kind = 'flag' AND target_key = $3 AND environment = $2
                        ORDER BY seq DESC LIMIT 1""")
                .execute(Tuple.of(project, environment, key))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(new LastChange(
                        rows.iterator().next().getString("actor"), rows.iterator().next().getString("action"))));
    }

    // ---- releases ---------------------------------------------------------------------------------

    Future<List<StoredStep>> steps(SqlClient client, long id) {
        return steps(client, List.of(id)).map(steps -> steps.getOrDefault(id, List.of()));
    }

    Future<Map<Long, List<StoredStep>>> steps(SqlClient client, List<Long> ids) {
        return client.preparedQuery("""
                        SELECT deployment_id, position, weight, at, after_ms, due_at, applied_at FROM release_steps
                        WHERE deployment_id = ANY ($1) ORDER BY deployment_id, position""")
                .execute(Tuple.tuple().addArrayOfLong(ids.toArray(Long[]::new)))
                .map(rows -> group(rows, row -> new StoredStep(row.getInteger("position"), row.getInteger("weight"),
                        row.getOffsetDateTime("at"), row.getLong("after_ms"), row.getOffsetDateTime("due_at"),
                        row.getOffsetDateTime("applied_at"))));
    }

    /**
     * Stores the plan's steps from {@code firstPosition} on (after the steps of a release it
     * continues) and runs the release: the plan's first step falls due now (or at its time), a
     * later one at a fixed time is due then, one that waits an interval has no due time until the
     * step before is applied.
     */
    Future<Void> startRelease(SqlClient tx, long id, String actor, ReleasePlan plan, int firstPosition) {
        List<Tuple> steps = new ArrayList<>();
        for (int i = 0; i < plan.steps().size(); i++) {
            ReleasePlan.Step step = plan.steps().get(i);
            steps.add(Tuple.from(new Object[]{id, firstPosition + i, step.weight(), step.at(),
                    step.after() == null ? null : step.after().toMillis(), i == 0 || step.at() != null}));
        }
        return tx.preparedQuery("""
                        INSERT INTO release_steps (deployment_id, position, weight, at, after_ms, due_at)
                        VALUES ($1, $2, $3, $4::timestamptz, $5::bigint,
                                CASE WHEN NOT $6 THEN NULL
                                     WHEN $4::timestamptz IS NOT NULL THEN $4::timestamptz
                                     ELSE now() + coalesce($5::bigint, 0) * interval '1 millisecond' END)""")
                .executeBatch(steps)
                .compose(v -> tx.preparedQuery("""
                                UPDATE deployments SET release_state = 'running', release_actor = $2, updated_at = now()
                                WHERE id = $1""")
                        .execute(Tuple.of(id, actor)))
                .mapEmpty();
    }

    Future<Void> pauseRelease(SqlClient tx, long id, String actor, String reason) {
        return tx.preparedQuery("""
                        UPDATE deployments SET release_state = 'paused', paused_at = now(), updated_at = now(),
                               paused_by = $2, paused_reason = $3
                        WHERE id = $1""")
                .execute(Tuple.of(id, actor, reason))
                .mapEmpty();
    }

    /**
     * Pauses the running releases in an environment that ship any of {@code keys}, except
     * {@code exceptDeployment} (if not null); a release whose row another transaction holds is
     * skipped rather than waited for (see {@link ReleaseHolds}). Answers the ids paused.
     */
    Future<List<Long>> pauseReleasesShipping(SqlClient tx, long environmentId, List<String> keys, Long exceptDeployment,
                                             String actor, String reason) {
        return tx.preparedQuery("""
                        UPDATE deployments SET release_state = 'paused', paused_at = now(), updated_at = now(),
                               paused_by = $4, paused_reason = $5
                        WHERE release_state = 'running' AND id IN (
                            SELECT d.id FROM deployments d
                            WHERE d.environment_id = $1 AND d.release_state = 'running' AND d.id <> coalesce($3, -1)
                              AND EXISTS (SELECT 1 FROM deployment_flags df WHERE df.deployment_id = d.id AND df.flag_key = ANY ($2))
                            ORDER BY d.id FOR UPDATE SKIP LOCKED)
                        RETURNING id""")
                .execute(Tuple.tuple().addLong(environmentId).addArrayOfString(keys.toArray(String[]::new))
                        .addLong(exceptDeployment).addString(actor).addString(reason))
                .map(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getLong("id")));
                    return ids;
                });
    }

    /** Runs the release again; steps waiting an interval move later by the time spent paused since {@code pausedAt}. */
    Future<Void> resumeRelease(SqlClient tx, long id, java.time.OffsetDateTime pausedAt) {
        return tx.preparedQuery("""
                        UPDATE release_steps SET due_at = due_at + (now() - $2)
                        WHERE deployment_id = $1 AND applied_at IS NULL AND after_ms IS NOT NULL AND due_at IS NOT NULL""")
                .execute(Tuple.of(id, pausedAt))
                .compose(v -> tx.preparedQuery("""
                                UPDATE deployments SET release_state = 'running', paused_at = NULL, paused_by = NULL,
                                       paused_reason = NULL, updated_at = now()
                                WHERE id = $1""")
                        .execute(Tuple.of(id)))
                .mapEmpty();
    }

    /** Cancels the deployment's release if it is running or paused. */
    Future<Void> cancelRelease(SqlClient tx, long id) {
        return tx.preparedQuery("""
                        UPDATE deployments SET release_state = 'cancelled', updated_at = now()
                        WHERE id = $1 AND release_state IN ('running', 'paused')""")
                .execute(Tuple.of(id))
                .mapEmpty();
    }

    /** The latest deployment of a service in an environment of the project, if any. */
    Future<Optional<Long>> latestOf(SqlClient client, String project, String environment, String service) {
        return client.preparedQuery("""
                        SELECT d.id FROM deployments d JOIN projects p ON p.id = d.project_id
                        JOIN environments e ON e.id = d.environment_id
                        WHERE p.key = $1 AND e.key = $2 AND d.service = $3 ORDER BY d.id DESC LIMIT 1""")
                .execute(Tuple.of(project, environment, service))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("id")));
    }

    /** Records a signal for a deployment; false if one with the same key was recorded before (a replay). */
    Future<Boolean> insertSignal(SqlClient tx, long id, Signal signal, String actor) {
        return tx.preparedQuery("""
                        INSERT INTO deployment_signals (deployment_id, signal_key, status, name, labels, actor)
                        VALUES ($1, $2, $3, $4, $5::text::jsonb, $6) ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(id, signal.key(), signal.status(), signal.name(), Json.write(signal.labels()), actor))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Up to 100 deployments with a running release and a step that is due or a guard that is counting. */
    Future<List<Long>> withDueStepsOrGuards(SqlClient client) {
        return client.preparedQuery("""
                        SELECT d.id AS deployment_id FROM deployments d
                        WHERE d.release_state = 'running'
                          AND (EXISTS (SELECT 1 FROM release_steps s
                                       WHERE s.deployment_id = d.id AND s.applied_at IS NULL AND s.due_at <= now())
                               OR EXISTS (SELECT 1 FROM release_guards g WHERE g.deployment_id = d.id AND g.started_at IS NOT NULL))
                        ORDER BY d.id LIMIT 100""")
                .execute()
                .map(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getLong("deployment_id")));
                    return ids;
                });
    }

    /** Whether a step is due now, read in the database: the step before may have set its due time in this transaction. */
    Future<Boolean> isDue(SqlClient tx, long id, int position) {
        return tx.preparedQuery("SELECT due_at IS NOT NULL AND due_at <= now() AS due FROM release_steps"
                        + " WHERE deployment_id = $1 AND position = $2")
                .execute(Tuple.of(id, position))
                .map(rows -> rows.iterator().next().getBoolean("due"));
    }

    /** Marks a step applied, sets the next one's due time, and completes the release after its {@code last} step. */
    Future<Void> stepApplied(SqlClient tx, long id, int position, boolean last) {
        return tx.preparedQuery("UPDATE release_steps SET applied_at = now() WHERE deployment_id = $1 AND position = $2")
                .execute(Tuple.of(id, position))
                .compose(v -> tx.preparedQuery("""
                                UPDATE release_steps SET due_at = coalesce(at, now() + after_ms * interval '1 millisecond')
                                WHERE deployment_id = $1 AND position = $2""")
                        .execute(Tuple.of(id, position + 1)))
                .compose(v -> tx.preparedQuery("""
                                UPDATE deployments SET updated_at = now(),
                                       release_state = CASE WHEN $2 THEN 'completed' ELSE release_state END
                                WHERE id = $1""")
                        .execute(Tuple.of(id, last)))
                .mapEmpty();
    }

    // ---- rows -------------------------------------------------------------------------------------

    private static <T> Map<Long, List<T>> group(Iterable<Row> rows, Function<Row, T> read) {
        Map<Long, List<T>> grouped = new LinkedHashMap<>();
        rows.forEach(row -> grouped.computeIfAbsent(row.getLong("deployment_id"), id -> new ArrayList<>()).add(read.apply(row)));
        return grouped;
    }

    private static StoredDeployment stored(Row row) {
        return new StoredDeployment(row.getLong("id"), row.getLong("project_id"), row.getLong("environment_id"),
                row.getString("project"), row.getString("environment"),
                ProjectStore.rollbackOnFailure(row.getBoolean("production"), row.getBoolean("rollback_on_failure")),
                row.getString("service"), row.getString("version"), row.getString("commit_sha"), row.getString("url"),
                row.getString("status"), row.getString("actor"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"), row.getOffsetDateTime("finished_at"), row.getString("release_state"),
                row.getString("release_actor"), row.getOffsetDateTime("paused_at"), row.getString("paused_by"),
                row.getString("paused_reason"));
    }
}
