package dev.darklaunch.server.deployments;

import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.FlagKind;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.server.deployments.FlagChanges.ConfigChange;
import dev.darklaunch.server.deployments.FlagChanges.LockedFlag;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applying the steps of running releases that are due, in order, each when its
 * {@link StepCondition} holds: a step writes the deployment's flags as one revision, unless one of
 * them was changed by someone else since the release last wrote it ({@link ReleaseHolds}) — then
 * the release pauses instead.
 */
final class ReleaseSteps {

    private final Pool pool;
    private final DeploymentStore store;
    private final ReleaseHolds holds;
    private final StepCondition condition;
    private final FlagChanges flags;

    ReleaseSteps(Pool pool, DeploymentStore store, ReleaseHolds holds, StepCondition condition, FlagChanges flags) {
        this.pool = pool;
        this.store = store;
        this.holds = holds;
        this.condition = condition;
        this.flags = flags;
    }

    /**
     * Applies every release step that is due, on any deployment. A deployment another instance is
     * working on is skipped (SKIP LOCKED) and its steps re-checked under the lock, so a step
     * applies exactly once.
     *
     * @return how many deployments had steps applied
     */
    Future<Integer> applyDue() {
        return store.withDueSteps(pool).compose(ids -> {
            Future<Integer> chain = Future.succeededFuture(0);
            for (long id : ids) {
                chain = chain.compose(applied -> applyDue(id).map(n -> applied + (n > 0 ? 1 : 0)));
            }
            return chain;
        });
    }

    private Future<Integer> applyDue(long id) {
        return pool.withTransaction(tx -> store.lockRunningRelease(tx, id)
                .compose(locked -> locked.isEmpty() ? Future.succeededFuture(0) : applyDue(tx, locked.get())));
    }

    /** Applies the steps of a running release (its deployment locked) that are due now, in order; returns how many. */
    Future<Integer> applyDue(SqlClient tx, StoredDeployment running) {
        return store.steps(tx, running.id()).compose(steps -> applyFrom(tx, running, steps, 0));
    }

    /** Applies the step at {@code index} if it is due and may advance, then the next; stops at the first that waits. */
    private Future<Integer> applyFrom(SqlClient tx, StoredDeployment running, List<StoredStep> steps, int index) {
        if (index == steps.size()) {
            return Future.succeededFuture(0);
        }
        StoredStep step = steps.get(index);
        if (step.appliedAt() != null) {
            return applyFrom(tx, running, steps, index + 1);
        }
        return store.isDue(tx, running.id(), step.position())
                .compose(due -> due ? condition.holds(next(running, step, steps.size())) : Future.succeededFuture(false))
                .compose(advance -> advance ? apply(tx, running, step, steps.size()) : Future.succeededFuture(false))
                .compose(applied -> applied ? applyFrom(tx, running, steps, index + 1).map(n -> n + 1) : Future.succeededFuture(0));
    }

    private static StepCondition.NextStep next(StoredDeployment running, StoredStep step, int stepCount) {
        return new StepCondition.NextStep(running.id(), running.project(), running.environment(), running.service(),
                running.version(), step.position() + 1, stepCount, ReleaseMath.percentage(step.weight()));
    }

    /** The flags of a step, locked, and the first of them someone else changed since the release last wrote it. */
    private record LockedFlags(List<LockedFlag> flags, Optional<String> changedByOthers) {
    }

    /** @return whether the step was applied (false: a flag was changed by someone else, and the release paused) */
    private Future<Boolean> apply(SqlClient tx, StoredDeployment running, StoredStep step, int stepCount) {
        return store.releasedVersions(tx, running.id())
                .compose(released -> flags.lock(tx, running.scope(), new ArrayList<>(released.keySet()))
                        .map(flags -> new LockedFlags(flags, changedSinceReleased(released, flags))))
                .compose(locked -> locked.changedByOthers().isPresent()
                        ? holds.pauseForChange(tx, running, locked.changedByOthers().get()).map(false)
                        : write(tx, running, step, stepCount, locked.flags()).map(true));
    }

    private static Optional<String> changedSinceReleased(Map<String, Long> released, List<LockedFlag> locked) {
        return locked.stream()
                .filter(flag -> released.get(flag.key()) != null && released.get(flag.key()) != flag.version())
                .map(LockedFlag::key)
                .findFirst();
    }

    private Future<Void> write(SqlClient tx, StoredDeployment running, StoredStep step, int stepCount, List<LockedFlag> locked) {
        String comment = "release step " + (step.position() + 1) + " of " + stepCount + ": " + ReleasePlan.format(step.weight()) + " %";
        return FlagChanges.onWorker(() -> released(locked, step.weight())) // validating compiles the rules' patterns
                .compose(changes -> flags.write(tx, running.releaseActor(), running.scope(), changes, Optional.of(comment),
                        running.id()))
                .compose(written -> store.recordReleasedVersions(tx, running.id()))
                .compose(v -> store.stepApplied(tx, running.id(), step.position(), step.position() + 1 == stepCount))
                .compose(v -> DeploymentAudit.append(tx, running.releaseActor(), "deployment.release.step", running, null,
                        Map.of("step", step.position() + 1, "of", stepCount, "percentage", ReleaseMath.percentage(step.weight())),
                        Optional.of(comment)));
    }

    /** The configurations that serve {@code true} to {@code weight}, for the flags not already there. */
    private static List<ConfigChange> released(List<LockedFlag> locked, int weight) {
        List<ConfigChange> changes = new ArrayList<>();
        for (LockedFlag flag : locked) {
            if (flag.flag().kind() != FlagKind.BOOLEAN) {
                continue; // changed since it was shipped; a release only knows on and off
            }
            FlagConfig released = ReleaseMath.released(flag.flag(), flag.config(), weight);
            ModelValidator.validateConfig(flag.flag(), released);
            if (!released.equals(flag.config())) {
                changes.add(new ConfigChange(flag, released, "flag.release"));
            }
        }
        return changes;
    }
}
