package dev.darklaunch.server.deployments;

import dev.darklaunch.sdk.internal.model.FlagKind;
import dev.darklaunch.server.deployments.Deployment.Release;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Deployments as the API shows them: each with its flags' state in its environment now and its
 * release (how far it got, when the next step is due), read in two queries for any number.
 */
final class DeploymentViews {

    private final DeploymentStore store;

    DeploymentViews(DeploymentStore store) {
        this.store = store;
    }

    Future<Deployment> view(SqlClient client, StoredDeployment deployment) {
        return views(client, List.of(deployment)).map(views -> views.get(0));
    }

    Future<List<Deployment>> views(SqlClient client, List<StoredDeployment> deployments) {
        if (deployments.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        List<Long> ids = deployments.stream().map(StoredDeployment::id).toList();
        return store.shippedFlags(client, ids)
                .compose(flags -> store.steps(client, ids).map(steps -> deployments.stream()
                        .map(d -> view(d, flags.getOrDefault(d.id(), List.of()), steps.getOrDefault(d.id(), List.of())))
                        .toList()));
    }

    private static Deployment view(StoredDeployment d, List<DeploymentStore.ShippedFlagRow> flags, List<StoredStep> steps) {
        return new Deployment(d.id(), d.project(), d.environment(), d.service(), d.version(), d.commit(), d.url(), d.status(),
                d.actor(), d.createdAt(), d.updatedAt(), d.finishedAt(), flags.stream().map(DeploymentViews::shipped).toList(),
                release(d, steps));
    }

    private static Deployment.ShippedFlag shipped(DeploymentStore.ShippedFlagRow row) {
        if (row.flag() == null) {
            return new Deployment.ShippedFlag(row.key(), row.created(), false, false, 0);
        }
        int weight = row.flag().kind() == FlagKind.BOOLEAN ? ReleaseMath.weightOn(row.flag(), row.config()) : 0;
        return new Deployment.ShippedFlag(row.key(), row.created(), true, row.config().on(), ReleaseMath.percentage(weight));
    }

    /** The release and how far it got: the share of the last applied step, and when the next is due (while running). */
    private static Release release(StoredDeployment d, List<StoredStep> steps) {
        if (d.releaseState() == null) {
            return null;
        }
        int weight = 0;
        OffsetDateTime next = null;
        for (StoredStep step : steps) {
            if (step.appliedAt() != null) {
                weight = step.weight();
            } else if (next == null && Release.RUNNING.equals(d.releaseState())) {
                next = step.dueAt();
            }
        }
        boolean paused = Release.PAUSED.equals(d.releaseState());
        return new Release(d.releaseState(), d.releaseActor(), ReleaseMath.percentage(weight), next,
                paused ? d.pausedAt() : null, paused ? d.pausedBy() : null, paused ? d.pausedReason() : null,
                steps.stream().map(DeploymentViews::step).toList());
    }

    private static Deployment.Step step(StoredStep step) {
        return new Deployment.Step(ReleaseMath.percentage(step.weight()), step.at(),
                step.afterMillis() == null ? null : Duration.ofMillis(step.afterMillis()).toString(), step.dueAt(),
                step.appliedAt());
    }
}
