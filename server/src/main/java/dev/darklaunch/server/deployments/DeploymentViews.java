package dev.darklaunch.server.deployments;

import dev.darklaunch.sdk.internal.model.FlagKind;
import dev.darklaunch.server.deployments.Deployment.Release;
import dev.darklaunch.server.guards.GuardSpec;
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
                .compose(flags -> store.steps(client, ids)
                        .compose(steps -> GuardStore.guards(client, ids).map(guards -> deployments.stream()
                                .map(d -> view(d, flags.getOrDefault(d.id(), List.of()), steps.getOrDefault(d.id(), List.of()),
                                        guards.getOrDefault(d.id(), List.of())))
                                .toList())));
    }

    private static Deployment view(StoredDeployment d, List<DeploymentStore.ShippedFlagRow> flags, List<StoredStep> steps,
                                   List<GuardStore.StoredGuard> guards) {
        return new Deployment(d.id(), d.project(), d.environment(), d.service(), d.version(), d.commit(), d.url(), d.status(),
                d.actor(), d.createdAt(), d.updatedAt(), d.finishedAt(), flags.stream().map(DeploymentViews::shipped).toList(),
                release(d, steps, guards));
    }

    private static Deployment.ShippedFlag shipped(DeploymentStore.ShippedFlagRow row) {
        if (row.flag() == null) {
            return new Deployment.ShippedFlag(row.key(), row.created(), false, false, 0);
        }
        int weight = row.flag().kind() == FlagKind.BOOLEAN ? ReleaseMath.weightOn(row.flag(), row.config()) : 0;
        return new Deployment.ShippedFlag(row.key(), row.created(), true, row.config().on(), ReleaseMath.percentage(weight));
    }

    /** The release and how far it got: the share of the last applied step, and when the next is due (while running). */
    private static Release release(StoredDeployment d, List<StoredStep> steps, List<GuardStore.StoredGuard> guards) {
        if (d.releaseState() == null) {
            return null;
        }
        int weight = 0;
        OffsetDateTime next = null;
        StoredStep nextStep = null;
        for (StoredStep step : steps) {
            if (step.appliedAt() != null) {
                weight = step.weight();
            } else if (next == null && Release.RUNNING.equals(d.releaseState())) {
                next = step.dueAt();
                nextStep = step;
            }
        }
        boolean paused = Release.PAUSED.equals(d.releaseState());
        return new Release(d.releaseState(), d.releaseActor(), ReleaseMath.percentage(weight), next,
                paused ? d.pausedAt() : null, paused ? d.pausedBy() : null, paused ? d.pausedReason() : null,
                steps.stream().map(DeploymentViews::step).toList(), guards.stream().map(DeploymentViews::guard).toList(),
                waiting(nextStep, steps.size(), guards));
    }

    private static Deployment.Guard guard(GuardStore.StoredGuard guard) {
        GuardSpec.Definition definition = guard.spec().definition();
        return new Deployment.Guard(definition.name(), definition.metric(), definition.bad(), definition.tolerance(),
                definition.minSample(), definition.action(), definition.alpha(), guard.step() == null ? null : guard.step() + 1,
                guard.startedAt(), guard.state(), guard.checkedAt());
    }

    /** Why a step that is due has not been taken: the first guard whose last look held it back, in its words. */
    private static String waiting(StoredStep next, int stepCount, List<GuardStore.StoredGuard> guards) {
        if (next == null || next.position() == 0 || next.dueAt() == null || next.dueAt().isAfter(OffsetDateTime.now())) {
            return null;
        }
        return guards.stream()
                .filter(g -> g.startedAt() != null && g.state() != null && !"no_regression".equals(g.state().path("verdict").asText()))
                .findFirst()
                .map(g -> "step " + (next.position() + 1) + " of " + stepCount + " (" + ReleasePlan.format(next.weight())
                        + " %) is due and waits: " + g.state().path("summary").asText())
                .orElse(null);
    }

    private static Deployment.Step step(StoredStep step) {
        return new Deployment.Step(ReleaseMath.percentage(step.weight()), step.at(),
                step.afterMillis() == null ? null : Duration.ofMillis(step.afterMillis()).toString(), step.dueAt(),
                step.appliedAt());
    }
}
