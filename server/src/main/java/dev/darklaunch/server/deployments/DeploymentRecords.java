package dev.darklaunch.server.deployments;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagKind;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.flags.FlagWrites;
import dev.darklaunch.server.projects.ProjectStore;
import dev.darklaunch.server.projects.Scope;
import dev.darklaunch.server.store.Json;
import dev.darklaunch.server.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What pipelines record: each deployment with the flags it ships dark, and the status reports
 * that follow. A request carrying an idempotency key is recorded once, however often it is
 * retried or however many copies race; a report of {@code rolled_back} or {@code failed} hands
 * over to the release state machine ({@link Releases}) in the same transaction.
 */
public final class DeploymentRecords {

    /** A recorded deployment, and whether this request recorded it or repeated an earlier one. */
    public record Recorded(Deployment deployment, boolean repeated) {
    }

    /** One page of deployments, newest first; {@code lastId} is where the next page starts, or null on the last page. */
    public record Page(List<Deployment> items, Long lastId) {
    }

    /** A deployment being recorded: where, the flags among its list that exist already, and its id once inserted. */
    private record Recording(Scope scope, Set<String> existing, long id) {
        Recording inserted(long id) {
            return new Recording(scope, existing, id);
        }
    }

    private final Pool pool;
    private final DeploymentStore store;
    private final DeploymentViews views;
    private final DeploymentLock lock;
    private final Releases releases;
    private final FlagChanges flags;

    /** @param flags the flag writes a recording makes in its transaction (the flags it ships, created dark) */
    public DeploymentRecords(Pool pool, DeploymentStore store, FlagWrites flags, Releases releases) {
        this.pool = pool;
        this.flags = new FlagChanges(flags);
        this.store = store;
        this.views = new DeploymentViews(store);
        this.lock = new DeploymentLock(pool, store, views);
        this.releases = releases;
    }

    // ---- reading ---------------------------------------------------------------------------------

    /**
     * Up to {@code limit} deployments after the one with id {@code afterId} (null: from the
     * newest). The id is asked for once the project is found: an unknown project is NotFound
     * whatever the cursor, and only then is a cursor that names no deployment Invalid.
     */
    public Future<Page> list(String project, DeploymentFilter filter, int limit, Supplier<Long> afterId) {
        return ProjectStore.scope(pool, project)
                .compose(scope -> store.list(pool, scope.projectId(), filter, afterId.get(), limit + 1))
                .compose(found -> {
                    boolean more = found.size() > limit;
                    List<StoredDeployment> page = more ? found.subList(0, limit) : found;
                    return views.views(pool, page).map(items -> new Page(items, more ? page.get(page.size() - 1).id() : null));
                });
    }

    public Future<Deployment> get(String project, long id) {
        return store.find(pool, project, id, false).compose(found -> views.view(pool, found));
    }

    /** The environment a deployment belongs to (which decides who may act on it), or NotFound. */
    public Future<String> environmentOf(String project, long id) {
        return store.find(pool, project, id, false).map(StoredDeployment::environment);
    }

    /** "service version" of each deployment, for summaries. */
    public Future<Map<Long, String>> titles(List<Long> ids) {
        return ids.isEmpty() ? Future.succeededFuture(Map.of()) : store.titles(pool, ids);
    }

    // ---- recording -------------------------------------------------------------------------------

    /**
     * Records a deployment and the flags it ships: existing boolean flags are listed as they are,
     * missing ones are created, off everywhere (dark). Nothing is written if any flag is not boolean.
     */
    public Future<Recorded> record(String actor, String project, NewDeployment deployment, Optional<String> comment) {
        if (deployment.idempotencyKey() == null) {
            return insert(actor, project, deployment, comment).map(created -> new Recorded(created, false));
        }
        return repeated(project, deployment).compose(earlier -> earlier.isPresent()
                ? Future.succeededFuture(earlier.get())
                : insertOnce(actor, project, deployment, comment));
    }

    /**
     * Two requests racing with one key meet the unique index; the one that lost answers what the
     * other recorded.
     */
    private Future<Recorded> insertOnce(String actor, String project, NewDeployment deployment, Optional<String> comment) {
        return insert(actor, project, deployment, comment)
                .map(created -> new Recorded(created, false))
                .recover(e -> !PgErrors.isUniqueViolation(e) ? Future.failedFuture(e)
                        : repeated(project, deployment).compose(again -> again.isPresent()
                        ? Future.succeededFuture(again.get())
                        : Future.failedFuture(new IllegalStateException(e))));
    }

    /** The deployment recorded earlier with this request's idempotency key, if any; a different deployment is a conflict. */
    private Future<Optional<Recorded>> repeated(String project, NewDeployment deployment) {
        return store.idOfIdempotencyKey(pool, project, deployment.idempotencyKey())
                .compose(id -> id.isEmpty() ? Future.succeededFuture(Optional.<Deployment>empty()) : get(project, id.get()).map(Optional::of))
                .compose(earlier -> earlier.isEmpty() || sameDeployment(earlier.get(), deployment)
                        ? Future.succeededFuture(earlier.map(found -> new Recorded(found, true)))
                        : Future.failedFuture(Failure.conflict("Idempotency-Key", "this Idempotency-Key recorded deployment "
                        + earlier.get().id() + " (" + earlier.get().service() + " " + earlier.get().version() + " to "
                        + earlier.get().environment() + ") with other details; a different deployment needs a new key")));
    }

    private static boolean sameDeployment(Deployment earlier, NewDeployment deployment) {
        return earlier.service().equals(deployment.service())
                && earlier.version().equals(deployment.version())
                && earlier.environment().equals(deployment.environment())
                && Objects.equals(earlier.commit(), deployment.commit())
                && Objects.equals(earlier.url(), deployment.url())
                && earlier.flags().stream().map(Deployment.ShippedFlag::key).sorted().toList()
                .equals(deployment.flags().stream().sorted().toList());
    }

    private Future<Deployment> insert(String actor, String project, NewDeployment deployment, Optional<String> comment) {
        return pool.withTransaction(tx -> ProjectStore.scope(tx, project, deployment.environment())
                .compose(scope -> existingFlags(tx, scope, deployment.flags()).map(existing -> new Recording(scope, existing, 0)))
                .compose(recording -> store.insert(tx, recording.scope(), deployment, actor).map(recording::inserted))
                .compose(recording -> createMissingFlags(tx, recording, actor, deployment, comment).map(recording))
                .compose(recording -> store.insertShippedFlags(tx, recording.id(), deployment.flags(),
                        deployment.flags().stream().filter(key -> !recording.existing().contains(key)).collect(Collectors.toSet()))
                        .map(recording))
                .compose(recording -> store.find(tx, project, recording.id(), false))
                .compose(recorded -> views.view(tx, recorded)
                        .compose(created -> DeploymentAudit.append(tx, actor, "deployment.create", recorded, null, created, comment)
                                .map(created))));
    }

    /** The flags among {@code keys} that exist; fails with Invalid (naming the flag) if one of them is not boolean. */
    private Future<Set<String>> existingFlags(SqlClient tx, Scope scope, List<String> keys) {
        return store.flagKinds(tx, scope.projectId(), keys).compose(kinds -> {
            for (int i = 0; i < keys.size(); i++) {
                FlagKind kind = kinds.get(keys.get(i));
                if (kind != null && kind != FlagKind.BOOLEAN) {
                    return Future.failedFuture(Failure.invalid("flags[" + i + "]", "flag '" + keys.get(i) + "' is a "
                            + Json.wire(kind) + " flag; a deployment ships boolean flags, which a release turns on and a rollback off"));
                }
            }
            return Future.succeededFuture(kinds.keySet());
        });
    }

    private Future<Void> createMissingFlags(SqlClient tx, Recording recording, String actor, NewDeployment deployment,
                                            Optional<String> comment) {
        Scope project = Scope.project(recording.scope().projectId(), recording.scope().project());
        Future<Void> chain = Future.succeededFuture();
        for (String key : deployment.flags()) {
            if (!recording.existing().contains(key)) {
                Flag flag = new Flag(key, key, "Shipped dark by " + deployment.service() + " " + deployment.version() + ".",
                        FlagKind.BOOLEAN, Flag.ofBoolean(key, key).variations(), List.of(), null, null, false);
                chain = chain.compose(v -> flags.createDark(tx, project, actor, flag, comment, recording.id()));
            }
        }
        return chain;
    }

    // ---- status reports --------------------------------------------------------------------------

    /**
     * A pipeline's status report. Reporting the current status again changes nothing;
     * {@code rolled_back} rolls the deployment back; {@code failed} switches its flags off when
     * the environment's policy says so.
     */
    public Future<Deployment> reportStatus(String actor, String project, long id, String status, Optional<String> comment) {
        if (Deployment.ROLLED_BACK.equals(status)) {
            return releases.rollback(actor, project, id, comment);
        }
        return lock.change(project, id, (tx, deployment) -> {
            if (deployment.status().equals(status)) {
                return Future.succeededFuture();
            }
            boolean allowed = deployment.status().equals(Deployment.STARTED)
                    || (deployment.status().equals(Deployment.SUCCEEDED) && status.equals(Deployment.FAILED));
            if (!allowed) {
                return Future.failedFuture(Failure.conflict("status", "a deployment that " + deployment.describeStatus()
                        + " cannot become " + status));
            }
            return store.setStatus(tx, id, status)
                    .compose(v -> DeploymentAudit.append(tx, actor, "deployment.status", deployment,
                            Map.of("status", deployment.status()), Map.of("status", status), comment))
                    .compose(v -> status.equals(Deployment.FAILED) ? releases.deploymentFailed(tx, deployment)
                            : Future.succeededFuture());
        });
    }
}
