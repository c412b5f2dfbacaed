package dev.darklaunch.server.deployments;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

/**
 * How every change of one deployment runs: one transaction that locks the deployment's row first,
 * so a release step, a rollback and a status report on the same deployment happen one after the
 * other, never interleaved; then answers the deployment as it is now.
 */
final class DeploymentLock {

    /** Decides on the locked deployment and writes; a refusal is a failed future. */
    @FunctionalInterface
    interface Change {
        Future<Void> apply(SqlClient tx, StoredDeployment locked);
    }

    private final Pool pool;
    private final DeploymentStore store;
    private final DeploymentViews views;

    DeploymentLock(Pool pool, DeploymentStore store, DeploymentViews views) {
        this.pool = pool;
        this.store = store;
        this.views = views;
    }

    Future<Deployment> change(String project, long id, Change change) {
        return pool.withTransaction(tx -> store.find(tx, project, id, true)
                .compose(locked -> change.apply(tx, locked))
                .compose(v -> store.find(tx, project, id, false))
                .compose(now -> views.view(tx, now)));
    }
}
