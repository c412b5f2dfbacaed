package dev.darklaunch.server.deployments;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.FlagKind;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.server.changes.AuditLog;
import dev.darklaunch.server.changes.Change;
import dev.darklaunch.server.deployments.Deployment.Release;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.flags.ConfigView;
import dev.darklaunch.server.flags.FlagRows;
import dev.darklaunch.server.flags.FlagStore.ConfigWrite;
import dev.darklaunch.server.flags.FlagStore;
import dev.darklaunch.server.flags.Validation;
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

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Deployments, their flags and their releases. Every change is one transaction that locks the
 * deployment row first, so a release step, a rollback and a status report on the same deployment
 * happen one after the other, never interleaved; flag changes go through
 * {@link FlagStore#writeConfigs}, so each step or rollback is one revision — one patch to SDKs.
 */
public final class DeploymentStore {

    /**
     * What a pipeline reports when it deploys; validated by the API. {@code idempotencyKey}, if
     * not null, makes a retried request answer the deployment recorded the first time.
     */
    public record NewDeployment(String service, String version, String environment, String commit, String url,
                                List<String> flags, String status, String idempotencyKey) {
    }

    /** A recorded deployment, and whether this request recorded it or repeated an earlier one. */
    public record Recorded(Deployment deployment, boolean repeated) {
    }

    /** Filters of the deployment list; each is optional (null). */
    public record Filter(String service, String environment, String status, OffsetDateTime since, OffsetDateTime until) {
    }

    /** One page of deployments, newest first. */
    public record Page(List<Deployment> items, String next) {
    }

    static final String POLICY_ACTOR = "policy:rollback-on-failure";

    private static final String COLUMNS = """
            d.id, d.project_id, d.environment_id, p.key AS project, e.key AS environment, e.production,
            e.rollback_on_failure, d.service, d.version, d.commit_sha, d.url, d.status, d.actor, d.created_at,
            d.updated_at, d.finished_at, d.release_state, d.release_actor, d.paused_at, d.paused_by, d.paused_reason
            FROM deployments d JOIN projects p ON p.id = d.project_id JOIN environments e ON e.id = d.environment_id
            """;

    private final Pool pool;

    public DeploymentStore(Pool pool) {
        this.pool = pool;
    }

    // ---- reading ---------------------------------------------------------------------------------

    public Future<Page> list(String project, Filter filter, Paging paging) {
        return ProjectStore.scope(pool, project).compose(scope -> pool.preparedQuery("SELECT " + COLUMNS + """
                         WHERE d.project_id = $1 AND ($2::text IS NULL OR d.service = $2) AND ($3::text IS NULL OR e.key = $3)
                           AND ($4::text IS NULL OR d.status = $4) AND ($5::timestamptz IS NULL OR d.created_at >= $5)
                           AND ($6::timestamptz IS NULL OR d.created_at < $6) AND ($7::bigint IS NULL OR d.id < $7)
                         ORDER BY d.id DESC LIMIT $8""")
                .execute(Tuple.from(new Object[]{scope.projectId(), filter.service(), filter.environment(), filter.status(),
                        filter.since(), filter.until(), paging.afterSequence().orElse(null), paging.limit() + 1}))
                .compose(rows -> {
                    List<Stored> found = new ArrayList<>();
                    rows.forEach(row -> found.add(stored(row)));
                    boolean more = found.size() > paging.limit();
                    List<Stored> page = more ? found.subList(0, paging.limit()) : found;
                    return views(pool, page).map(views -> new Page(views,
                            more ? Paging.cursorFor(page.get(page.size() - 1).id()) : null));
                }));
    }

    public Future<Deployment> get(String project, long id) {
        return find(pool, project, id, false).compose(stored -> view(pool, stored));
    }

    /** The environment a deployment belongs to (which decides who may act on it), or 404. */
    public Future<String> environmentOf(String project, long id) {
        return find(pool, project, id, false).map(Stored::environment);
    }

    /** "service version" of each deployment, for summaries. */
    public Future<Map<Long, String>> titles(List<Long> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        return pool.preparedQuery("SELECT id, service, version FROM deployments WHERE id = ANY ($1)")
                .execute(Tuple.tuple().addArrayOfLong(ids.toArray(Long[]::new)))
                .map(rows -> {
                    Map<Long, String> titles = new LinkedHashMap<>();
                    rows.forEach(row -> titles.put(row.getLong("id"), row.getString("service") + " " + row.getString("version")));
                    return titles;
                });
    }

    // ---- recording -------------------------------------------------------------------------------

    /**
     * Records a deployment and the flags it ships: existing boolean flags are listed as they are,
     * missing ones are created, off everywhere (dark). Nothing is written if any flag is not boolean.
     */
    public Future<Recorded> create(String actor, String project, NewDeployment deployment, Optional<String> comment) {
        if (deployment.idempotencyKey() == null) {
            return insert(actor, project, deployment, comment).map(created -> new Recorded(created, false));
        }
        // a key seen before answers what it recorded; two requests racing with one key meet the
        // unique index, and the one that lost answers what the other recorded
        return repeated(project, deployment).compose(earlier -> earlier.isPresent() ? Future.succeededFuture(earlier.get())
                : insert(actor, project, deployment, comment).map(created -> new Recorded(created, false))
                .recover(e -> PgErrors.isUniqueViolation(e)
                        ? repeated(project, deployment).map(again -> again.orElseThrow(() -> new IllegalStateException(e)))
                        : Future.failedFuture(e)));
    }

    /** The deployment recorded earlier with this request's idempotency key, if it is the same deployment. */
    private Future<Optional<Recorded>> repeated(String project, NewDeployment deployment) {
        return pool.preparedQuery("""
                        SELECT d.id FROM deployments d JOIN projects p ON p.id = d.project_id
                        WHERE p.key = $1 AND d.idempotency_key = $2""")
                .execute(Tuple.of(project, deployment.idempotencyKey()))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.succeededFuture(Optional.<Recorded>empty());
                    }
                    return get(project, rows.iterator().next().getLong("id")).map(earlier -> {
                        boolean same = earlier.service().equals(deployment.service())
                                && earlier.version().equals(deployment.version())
                                && earlier.environment().equals(deployment.environment())
                                && java.util.Objects.equals(earlier.commit(), deployment.commit())
                                && java.util.Objects.equals(earlier.url(), deployment.url())
                                && earlier.flags().stream().map(Deployment.ShippedFlag::key).sorted().toList()
                                .equals(deployment.flags().stream().sorted().toList());
                        if (!same) {
                            throw Failure.conflict("Idempotency-Key", "this Idempotency-Key recorded deployment " + earlier.id()
                                    + " (" + earlier.service() + " " + earlier.version() + " to " + earlier.environment()
                                    + ") with other details; a different deployment needs a new key");
                        }
                        return Optional.of(new Recorded(earlier, true));
                    });
                });
    }

    private Future<Deployment> insert(String actor, String project, NewDeployment deployment, Optional<String> comment) {
        return pool.withTransaction(tx -> ProjectStore.scope(tx, project, deployment.environment())
                .compose(scope -> existingKinds(tx, scope, deployment.flags())
                        .compose(kinds -> tx.preparedQuery("""
                                        INSERT INTO deployments (project_id, environment_id, service, version, commit_sha, url, status,
                                                                 actor, finished_at, idempotency_key)
                                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $7 = 'started' THEN NULL ELSE now() END, $9)
                                        RETURNING id""")
                                .execute(Tuple.from(new Object[]{scope.projectId(), scope.environmentId(), deployment.service(),
                                        deployment.version(), deployment.commit(), deployment.url(), deployment.status(), actor,
                                        deployment.idempotencyKey()}))
                                .map(rows -> rows.iterator().next().getLong("id"))
                                .compose(id -> createMissingFlags(tx, scope, actor, deployment, kinds, id, comment)
                                        .compose(v -> deployment.flags().isEmpty() ? Future.succeededFuture() : tx.preparedQuery("""
                                                        INSERT INTO deployment_flags (deployment_id, flag_key, created) VALUES ($1, $2, $3)""")
                                                .executeBatch(deployment.flags().stream()
                                                        .map(key -> Tuple.of(id, key, !kinds.containsKey(key))).toList())
                                                .mapEmpty())
                                        .map(id)))
                        .compose(id -> find(tx, project, id, false))
                        .compose(stored -> view(tx, stored)
                                .compose(created -> audit(tx, actor, "deployment.create", stored, null, created, comment)
                                        .map(created)))));
    }

    /**
     * A pipeline's status report. Reporting the current status again changes nothing;
     * {@code rolled_back} rolls the deployment back; {@code failed} switches its flags off when
     * the environment's policy says so.
     */
    public Future<Deployment> setStatus(String actor, String project, long id, String status, Optional<String> comment) {
        if (Deployment.ROLLED_BACK.equals(status)) {
            return rollback(actor, project, id, comment);
        }
        return change(project, id, (tx, stored) -> {
            if (stored.status().equals(status)) {
                return Future.succeededFuture(false);
            }
            boolean allowed = stored.status().equals(Deployment.STARTED)
                    || (stored.status().equals(Deployment.SUCCEEDED) && status.equals(Deployment.FAILED));
            if (!allowed) {
                throw Failure.conflict("status", "a deployment that " + describe(stored.status()) + " cannot become " + status);
            }
            Future<Void> updated = tx.preparedQuery("""
                            UPDATE deployments SET status = $2, updated_at = now(), finished_at = coalesce(finished_at, now())
                            WHERE id = $1""").execute(Tuple.of(id, status))
                    .compose(v -> audit(tx, actor, "deployment.status", stored, Map.of("status", stored.status()),
                            Map.of("status", status), comment));
            if (status.equals(Deployment.FAILED) && stored.rollbackOnFailure()) {
                updated = updated.compose(v -> switchOff(tx, POLICY_ACTOR, stored,
                        Optional.of("deployment reported failed; " + stored.environment() + " switches a failed deployment's flags off")));
            }
            return updated.map(true);
        });
    }

    // ---- releasing -------------------------------------------------------------------------------

    /**
     * Starts releasing the deployment's flags along the plan; steps that are due apply at once, in
     * this transaction. Asking again for the same plan changes nothing; a different plan while one
     * exists is a conflict.
     */
    public Future<Deployment> release(String actor, String project, long id, ReleasePlan plan, Optional<String> comment) {
        return change(project, id, (tx, stored) -> {
            if (stored.status().equals(Deployment.ROLLED_BACK) || stored.status().equals(Deployment.FAILED)) {
                throw Failure.conflict("this deployment " + describe(stored.status()) + "; record a new deployment to release its flags");
            }
            if (stored.releaseState() != null) {
                return steps(tx, id).map(existing -> {
                    if (!existing.stream().map(StoredStep::planned).toList().equals(plan.steps())) {
                        throw Failure.conflict("this deployment already has a release (" + stored.releaseState()
                                + "); pause or resume it, or roll the deployment back");
                    }
                    return false; // the same plan again: nothing to do
                });
            }
            List<Tuple> steps = new ArrayList<>();
            for (int i = 0; i < plan.steps().size(); i++) {
                ReleasePlan.Step step = plan.steps().get(i);
                steps.add(Tuple.from(new Object[]{id, i, step.weight(), step.at(),
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
                                    WHERE id = $1""").execute(Tuple.of(id, actor)))
                    .compose(v -> audit(tx, actor, "deployment.release", stored, null, planSummary(plan), comment))
                    .compose(v -> ReleaseHolds.recordReleasedVersions(tx, id))
                    .compose(v -> applyDueSteps(tx, stored.withRelease(Release.RUNNING, actor)))
                    .map(true);
        });
    }

    /** Holds a running release: no further step applies until it is resumed. */
    public Future<Deployment> pause(String actor, String project, long id, Optional<String> comment) {
        return change(project, id, (tx, stored) -> {
            requireRelease(stored, "paused");
            if (Release.PAUSED.equals(stored.releaseState())) {
                return Future.succeededFuture(false);
            }
            return tx.preparedQuery("""
                            UPDATE deployments SET release_state = 'paused', paused_at = now(), updated_at = now(),
                                   paused_by = $2, paused_reason = $3
                            WHERE id = $1""")
                    .execute(Tuple.of(id, actor, comment.orElse(null)))
                    .compose(v -> audit(tx, actor, "deployment.release.pause", stored, Map.of("release", Release.RUNNING),
                            Map.of("release", Release.PAUSED), comment))
                    .map(true);
        });
    }

    /**
     * Continues a paused release. Time spent paused does not count towards a step's interval;
     * steps at fixed times that passed meanwhile apply now, in order. The person resuming accepts
     * the flags as they are now: changes made while it was paused do not pause it again.
     */
    public Future<Deployment> resume(String actor, String project, long id, Optional<String> comment) {
        return change(project, id, (tx, stored) -> {
            requireRelease(stored, "resumed");
            if (Release.RUNNING.equals(stored.releaseState())) {
                return Future.succeededFuture(false);
            }
            return tx.preparedQuery("""
                            UPDATE release_steps SET due_at = due_at + (now() - $2)
                            WHERE deployment_id = $1 AND applied_at IS NULL AND after_ms IS NOT NULL AND due_at IS NOT NULL""")
                    .execute(Tuple.of(id, stored.pausedAt()))
                    .compose(v -> tx.preparedQuery("""
                                    UPDATE deployments SET release_state = 'running', paused_at = NULL, paused_by = NULL,
                                           paused_reason = NULL, updated_at = now()
                                    WHERE id = $1""").execute(Tuple.of(id)))
                    .compose(v -> audit(tx, actor, "deployment.release.resume", stored, Map.of("release", Release.PAUSED),
                            Map.of("release", Release.RUNNING), comment))
                    .compose(v -> ReleaseHolds.recordReleasedVersions(tx, id))
                    .compose(v -> applyDueSteps(tx, stored.withRelease(Release.RUNNING, stored.releaseActor())))
                    .map(true);
        });
    }

    /**
     * Switches all the deployment's flags off in one transaction — one revision, one patch — stops
     * its release and marks it rolled back. Rolling back again changes nothing.
     */
    public Future<Deployment> rollback(String actor, String project, long id, Optional<String> comment) {
        return change(project, id, (tx, stored) -> {
            if (stored.status().equals(Deployment.ROLLED_BACK)) {
                return Future.succeededFuture(false);
            }
            return tx.preparedQuery("""
                            UPDATE deployments SET status = 'rolled_back', updated_at = now(), finished_at = coalesce(finished_at, now())
                            WHERE id = $1""").execute(Tuple.of(id))
                    .compose(v -> audit(tx, actor, "deployment.rollback", stored, Map.of("status", stored.status()),
                            Map.of("status", Deployment.ROLLED_BACK), comment))
                    .compose(v -> switchOff(tx, actor, stored, comment.or(() -> Optional.of("rollback of " + stored.title()))))
                    .map(true);
        });
    }

    /**
     * Applies every release step that is due, on any deployment; called periodically by each
     * server instance. A deployment another instance is working on is skipped (SKIP LOCKED) and
     * its steps re-checked under the lock, so a step applies exactly once.
     *
     * @return how many deployments had steps applied
     */
    public Future<Integer> applyDueSteps() {
        return pool.preparedQuery("""
                        SELECT DISTINCT s.deployment_id FROM release_steps s JOIN deployments d ON d.id = s.deployment_id
                        WHERE s.applied_at IS NULL AND s.due_at <= now() AND d.release_state = 'running'
                        ORDER BY s.deployment_id LIMIT 100""")
                .execute()
                .compose(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getLong("deployment_id")));
                    Future<Integer> chain = Future.succeededFuture(0);
                    for (long id : ids) {
                        chain = chain.compose(applied -> pool.withTransaction(tx -> tx.preparedQuery("SELECT " + COLUMNS
                                                + " WHERE d.id = $1 AND d.release_state = 'running' FOR UPDATE OF d SKIP LOCKED")
                                        .execute(Tuple.of(id))
                                        .compose(locked -> locked.size() == 0 ? Future.succeededFuture(0)
                                                : applyDueSteps(tx, stored(locked.iterator().next()))))
                                .map(n -> applied + (n > 0 ? 1 : 0)));
                    }
                    return chain;
                });
    }

    // ---- inside a transaction --------------------------------------------------------------------

    /** A write on one deployment: lock it, let {@code action} decide and write, answer the deployment as it is now. */
    private interface Action {
        /** @return whether anything was written */
        Future<Boolean> apply(SqlClient tx, Stored locked);
    }

    private Future<Deployment> change(String project, long id, Action action) {
        return pool.withTransaction(tx -> find(tx, project, id, true)
                .compose(stored -> action.apply(tx, stored))
                .compose(changed -> find(tx, project, id, false))
                .compose(now -> view(tx, now)));
    }

    /** Applies the steps of a running release that are due now, in order; returns how many. */
    private Future<Integer> applyDueSteps(SqlClient tx, Stored stored) {
        return steps(tx, stored.id()).compose(steps -> applyFrom(tx, stored, steps, 0));
    }

    /** Applies the step at {@code index} if it is due, then the next; stops at the first that waits. */
    private Future<Integer> applyFrom(SqlClient tx, Stored stored, List<StoredStep> steps, int index) {
        if (index == steps.size()) {
            return Future.succeededFuture(0);
        }
        StoredStep step = steps.get(index);
        if (step.appliedAt() != null) {
            return applyFrom(tx, stored, steps, index + 1);
        }
        // read in the database: the step before may have set this one's due time in this transaction
        return tx.preparedQuery("SELECT due_at IS NOT NULL AND due_at <= now() AS due FROM release_steps"
                        + " WHERE deployment_id = $1 AND position = $2")
                .execute(Tuple.of(stored.id(), step.position()))
                .compose(rows -> !rows.iterator().next().getBoolean("due") ? Future.succeededFuture(0)
                        : applyStep(tx, stored, step, steps.size())
                        .compose(applied -> !applied ? Future.succeededFuture(0)
                                : applyFrom(tx, stored, steps, index + 1).map(n -> n + 1)));
    }

    /**
     * Applies one step to the deployment's flags, unless one of them was changed by someone else
     * since the release last wrote it (see {@link ReleaseHolds}): then it pauses the release instead.
     *
     * @return whether the step was applied
     */
    private Future<Boolean> applyStep(SqlClient tx, Stored stored, StoredStep step, int stepCount) {
        return releasedVersions(tx, stored.id())
                .compose(released -> FlagStore.lockConfigs(tx, scope(stored), new ArrayList<>(released.keySet()))
                        .compose(locked -> {
                            Optional<FlagStore.LockedConfig> changed = locked.stream().filter(config -> {
                                Integer version = released.get(config.flag().key());
                                return version != null && version != config.view().version();
                            }).findFirst();
                            if (changed.isPresent()) {
                                return pauseForChange(tx, stored, changed.get().flag().key()).map(false);
                            }
                            return writeStep(tx, stored, step, stepCount, locked).map(true);
                        }));
    }

    /** Pauses a release whose flag someone else changed, naming who and how, as the audit log has it. */
    private static Future<Void> pauseForChange(SqlClient tx, Stored stored, String key) {
        return ReleaseHolds.lastChange(tx, stored.project(), stored.environment(), key)
                .compose(last -> {
                    String actor = last.map(ReleaseHolds.LastChange::actor).orElse("someone");
                    String reason = ReleaseHolds.reason(List.of(key), last.map(ReleaseHolds.LastChange::action).orElse(""), actor);
                    return ReleaseHolds.pauseOne(tx, actor, stored.project(), stored.environment(), stored.id(), reason);
                });
    }

    private Future<Void> writeStep(SqlClient tx, Stored stored, StoredStep step, int stepCount,
                                   List<FlagStore.LockedConfig> locked) {
        String comment = "release step " + (step.position() + 1) + " of " + stepCount + ": "
                + ReleasePlan.format(step.weight()) + " %";
        return Validation.onWorker(() -> { // validating compiles the rules' patterns
                    List<ConfigWrite> writes = new ArrayList<>();
                    for (FlagStore.LockedConfig config : locked) {
                        if (config.flag().kind() != FlagKind.BOOLEAN) {
                            continue; // changed since it was shipped; a release only knows on and off
                        }
                        FlagConfig released = ReleaseMath.released(config.flag(), config.view().config(), step.weight());
                        ModelValidator.validateConfig(config.flag(), released);
                        if (!released.equals(config.view().config())) {
                            writes.add(new ConfigWrite(config, released, "flag.release"));
                        }
                    }
                    return writes;
                })
                .compose(writes -> FlagStore.writeConfigs(tx, stored.releaseActor(), scope(stored), writes, Optional.of(comment), stored.id()))
                .compose(written -> ReleaseHolds.recordReleasedVersions(tx, stored.id()))
                .compose(v -> tx.preparedQuery("""
                                UPDATE release_steps SET applied_at = now() WHERE deployment_id = $1 AND position = $2""")
                        .execute(Tuple.of(stored.id(), step.position())))
                .compose(v -> tx.preparedQuery("""
                                UPDATE release_steps SET due_at = coalesce(at, now() + after_ms * interval '1 millisecond')
                                WHERE deployment_id = $1 AND position = $2""")
                        .execute(Tuple.of(stored.id(), step.position() + 1)))
                .compose(v -> tx.preparedQuery("""
                                UPDATE deployments SET updated_at = now(),
                                       release_state = CASE WHEN $2 THEN 'completed' ELSE release_state END
                                WHERE id = $1""")
                        .execute(Tuple.of(stored.id(), step.position() + 1 == stepCount)))
                .compose(v -> audit(tx, stored.releaseActor(), "deployment.release.step", stored, null,
                        Map.of("step", step.position() + 1, "of", stepCount, "percentage", ReleaseMath.percentage(step.weight())),
                        Optional.of(comment)));
    }

    /**
     * Switches the deployment's flags off as one revision and cancels its release; other running
     * releases of those flags pause (a kill switch is never undone by automation).
     */
    private Future<Void> switchOff(SqlClient tx, String actor, Stored stored, Optional<String> comment) {
        return shippedFlags(tx, stored.id())
                .compose(keys -> FlagStore.lockConfigs(tx, scope(stored), keys))
                .compose(locked -> FlagStore.writeConfigs(tx, actor, scope(stored), locked.stream()
                        .filter(config -> config.view().config().on())
                        .map(config -> new ConfigWrite(config, config.view().config().withOn(false), "flag.off"))
                        .toList(), comment, stored.id()))
                .compose(written -> ReleaseHolds.pause(tx, actor, scope(stored), written.stream().map(ConfigView::flag).toList(),
                        "flag.off", comment.orElse(null), stored.id()))
                .compose(v -> tx.preparedQuery("""
                                UPDATE deployments SET release_state = 'cancelled', updated_at = now()
                                WHERE id = $1 AND release_state IN ('running', 'paused')""")
                        .execute(Tuple.of(stored.id())))
                .mapEmpty();
    }

    private Future<Map<String, FlagKind>> existingKinds(SqlClient tx, Scope scope, List<String> keys) {
        return tx.preparedQuery("SELECT key, kind FROM flags WHERE project_id = $1 AND key = ANY ($2)")
                .execute(Tuple.tuple().addLong(scope.projectId()).addArrayOfString(keys.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, FlagKind> kinds = new LinkedHashMap<>();
                    rows.forEach(row -> kinds.put(row.getString("key"), Json.fromWire(row.getString("kind"), FlagKind.class)));
                    for (int i = 0; i < keys.size(); i++) {
                        FlagKind kind = kinds.get(keys.get(i));
                        if (kind != null && kind != FlagKind.BOOLEAN) {
                            throw Failure.invalid("flags[" + i + "]", "flag '" + keys.get(i) + "' is a " + Json.wire(kind)
                                    + " flag; a deployment ships boolean flags, which a release turns on and a rollback off");
                        }
                    }
                    return kinds;
                });
    }

    private Future<Void> createMissingFlags(SqlClient tx, Scope scope, String actor, NewDeployment deployment,
                                            Map<String, FlagKind> existing, long id, Optional<String> comment) {
        Future<Void> chain = Future.succeededFuture();
        for (String key : deployment.flags()) {
            if (!existing.containsKey(key)) {
                Flag flag = new Flag(key, key, "Shipped dark by " + deployment.service() + " " + deployment.version() + ".",
                        FlagKind.BOOLEAN, Flag.ofBoolean(key, key).variations(), List.of(), null, null, false);
                chain = chain.compose(v -> FlagStore.insert(tx, Scope.project(scope.projectId(), scope.project()), actor, flag,
                        comment, id).mapEmpty());
            }
        }
        return chain;
    }

    private static Future<Stored> find(SqlClient client, String project, long id, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " WHERE p.key = $1 AND d.id = $2" + (lock ? " FOR UPDATE OF d" : ""))
                .execute(Tuple.of(project, id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Failure.notFound("no deployment " + id + " in project '" + project + "'");
                    }
                    return stored(rows.iterator().next());
                });
    }

    private static Future<List<String>> shippedFlags(SqlClient tx, long id) {
        return tx.preparedQuery("SELECT flag_key FROM deployment_flags WHERE deployment_id = $1 ORDER BY flag_key")
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<String> keys = new ArrayList<>();
                    rows.forEach(row -> keys.add(row.getString("flag_key")));
                    return keys;
                });
    }

    /** The deployment's flags, with the configuration version its release last wrote (null: none yet). */
    private static Future<Map<String, Integer>> releasedVersions(SqlClient tx, long id) {
        return tx.preparedQuery("SELECT flag_key, released_version FROM deployment_flags WHERE deployment_id = $1 ORDER BY flag_key")
                .execute(Tuple.of(id))
                .map(rows -> {
                    Map<String, Integer> versions = new LinkedHashMap<>();
                    rows.forEach(row -> versions.put(row.getString("flag_key"), row.getInteger("released_version")));
                    return versions;
                });
    }

    private static Future<List<StoredStep>> steps(SqlClient client, long id) {
        return stepsOf(client, List.of(id)).map(steps -> steps.getOrDefault(id, List.of()));
    }

    private static Future<Map<Long, List<StoredStep>>> stepsOf(SqlClient client, List<Long> ids) {
        return client.preparedQuery("""
                        SELECT deployment_id, position, weight, at, after_ms, due_at, applied_at FROM release_steps
                        WHERE deployment_id = ANY ($1) ORDER BY deployment_id, position""")
                .execute(Tuple.tuple().addArrayOfLong(ids.toArray(Long[]::new)))
                .map(rows -> group(rows, row -> new StoredStep(row.getInteger("position"), row.getInteger("weight"),
                        row.getOffsetDateTime("at"), row.getLong("after_ms"), row.getOffsetDateTime("due_at"),
                        row.getOffsetDateTime("applied_at"))));
    }

    private static Future<Deployment> view(SqlClient client, Stored stored) {
        return views(client, List.of(stored)).map(views -> views.get(0));
    }

    /** The deployments with their flags' current state and their release, in two queries for any number. */
    private static Future<List<Deployment>> views(SqlClient client, List<Stored> deployments) {
        if (deployments.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        List<Long> ids = deployments.stream().map(Stored::id).toList();
        Future<Map<Long, List<Deployment.ShippedFlag>>> flags = client.preparedQuery("SELECT df.deployment_id, df.flag_key, df.created,"
                        + " f.id IS NOT NULL AS exists, c.config::text AS config, " + FlagRows.COLUMNS + "\n" + """
                         FROM deployment_flags df JOIN deployments d ON d.id = df.deployment_id
                         LEFT JOIN flags f ON f.project_id = d.project_id AND f.key = df.flag_key
                         LEFT JOIN flag_configs c ON c.flag_id = f.id AND c.environment_id = d.environment_id
                         WHERE df.deployment_id = ANY ($1) ORDER BY df.deployment_id, df.flag_key""")
                .execute(Tuple.tuple().addArrayOfLong(ids.toArray(Long[]::new)))
                .map(rows -> group(rows, DeploymentStore::shippedFlag));
        return flags.compose(byDeployment -> stepsOf(client, ids).map(steps -> deployments.stream()
                .map(d -> d.view(byDeployment.getOrDefault(d.id(), List.of()), steps.getOrDefault(d.id(), List.of())))
                .toList()));
    }

    private static Deployment.ShippedFlag shippedFlag(Row row) {
        String key = row.getString("flag_key");
        if (!row.getBoolean("exists")) {
            return new Deployment.ShippedFlag(key, row.getBoolean("created"), false, false, 0);
        }
        Flag flag = FlagRows.flag(row);
        FlagConfig config = Json.read(row.getString("config"), FlagConfig.class);
        int weight = flag.kind() == FlagKind.BOOLEAN ? ReleaseMath.weightOn(flag, config) : 0;
        return new Deployment.ShippedFlag(key, row.getBoolean("created"), true, config.on(), ReleaseMath.percentage(weight));
    }

    private static <T> Map<Long, List<T>> group(Iterable<Row> rows, Function<Row, T> read) {
        Map<Long, List<T>> grouped = new LinkedHashMap<>();
        rows.forEach(row -> grouped.computeIfAbsent(row.getLong("deployment_id"), id -> new ArrayList<>()).add(read.apply(row)));
        return grouped;
    }

    private static Future<Void> audit(SqlClient tx, String actor, String action, Stored stored, Object before, Object after,
                                      Optional<String> comment) {
        return AuditLog.append(tx, new Change(actor, action, stored.project(), stored.environment(), "deployment",
                Long.toString(stored.id()), before, after, comment, stored.id()));
    }

    private static Object planSummary(ReleasePlan plan) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (ReleasePlan.Step step : plan.steps()) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("percentage", ReleaseMath.percentage(step.weight()));
            if (step.at() != null) {
                summary.put("at", step.at());
            }
            if (step.after() != null) {
                summary.put("after", step.after().toString());
            }
            steps.add(summary);
        }
        return Map.of("steps", steps);
    }

    private static void requireRelease(Stored stored, String verb) {
        if (!Release.RUNNING.equals(stored.releaseState()) && !Release.PAUSED.equals(stored.releaseState())) {
            throw Failure.conflict(stored.releaseState() == null
                    ? "this deployment has no release to be " + verb + "; start one with POST …/release"
                    : "this deployment's release is " + stored.releaseState() + " and cannot be " + verb);
        }
    }

    private static String describe(String status) {
        return switch (status) {
            case Deployment.ROLLED_BACK -> "was rolled back";
            case Deployment.FAILED -> "failed";
            case Deployment.SUCCEEDED -> "succeeded";
            default -> "is " + status;
        };
    }

    private static Scope scope(Stored stored) {
        return new Scope(stored.projectId(), stored.project(), stored.environmentId(), stored.environment());
    }

    private static Stored stored(Row row) {
        return new Stored(row.getLong("id"), row.getLong("project_id"), row.getLong("environment_id"), row.getString("project"),
                row.getString("environment"),
                ProjectStore.rollbackOnFailure(row.getBoolean("production"), row.getBoolean("rollback_on_failure")),
                row.getString("service"), row.getString("version"), row.getString("commit_sha"), row.getString("url"),
                row.getString("status"), row.getString("actor"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"), row.getOffsetDateTime("finished_at"), row.getString("release_state"),
                row.getString("release_actor"), row.getOffsetDateTime("paused_at"), row.getString("paused_by"),
                row.getString("paused_reason"));
    }

    /** A deployments row. */
    private record Stored(long id, long projectId, long environmentId, String project, String environment,
                          boolean rollbackOnFailure, String service, String version, String commit, String url, String status,
                          String actor, OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime finishedAt,
                          String releaseState, String releaseActor, OffsetDateTime pausedAt, String pausedBy,
                          String pausedReason) {

        String title() {
            return service + " " + version;
        }

        Stored withRelease(String state, String actor) {
            return new Stored(id, projectId, environmentId, project, environment, rollbackOnFailure, service, version, commit,
                    url, status, this.actor, createdAt, updatedAt, finishedAt, state, actor, pausedAt, pausedBy, pausedReason);
        }

        Deployment view(List<Deployment.ShippedFlag> flags, List<StoredStep> steps) {
            Release release = null;
            if (releaseState != null) {
                int weight = 0;
                OffsetDateTime next = null;
                for (StoredStep step : steps) {
                    if (step.appliedAt() != null) {
                        weight = step.weight();
                    } else if (next == null && Release.RUNNING.equals(releaseState)) {
                        next = step.dueAt();
                    }
                }
                boolean paused = Release.PAUSED.equals(releaseState);
                release = new Release(releaseState, releaseActor, ReleaseMath.percentage(weight), next,
                        paused ? pausedAt : null, paused ? pausedBy : null, paused ? pausedReason : null,
                        steps.stream().map(StoredStep::view).toList());
            }
            return new Deployment(id, project, environment, service, version, commit, url, status, actor, createdAt, updatedAt,
                    finishedAt, flags, release);
        }
    }

    /** A release_steps row. */
    private record StoredStep(int position, int weight, OffsetDateTime at, Long afterMillis, OffsetDateTime dueAt,
                              OffsetDateTime appliedAt) {

        ReleasePlan.Step planned() {
            return new ReleasePlan.Step(weight, at, afterMillis == null ? null : Duration.ofMillis(afterMillis));
        }

        Deployment.Step view() {
            return new Deployment.Step(ReleaseMath.percentage(weight), at,
                    afterMillis == null ? null : Duration.ofMillis(afterMillis).toString(), dueAt, appliedAt);
        }
    }
}
