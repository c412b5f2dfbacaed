package dev.darklaunch.server.deployments;

import dev.darklaunch.server.deployments.Deployment.Release;
import dev.darklaunch.server.deployments.FlagChanges.ConfigChange;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.flags.FlagWrites;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The release state machine of a deployment's flags: a release runs along its plan (steps apply
 * when due, see {@link ReleaseSteps}), may be paused and resumed, and completes at its last step;
 * a rollback, or a failure where the environment's policy says so, switches the flags off and
 * cancels it. Each change is one transaction on the locked deployment ({@link DeploymentLock}),
 * and each batch of flag changes one revision — one patch to SDKs.
 *
 * <pre>
 *   (none) ──release──▶ running ──last step──▶ completed
 *                        │   ▲
 *                  pause │   │ resume
 *                        ▼   │
 *                        paused          running | paused ──rollback / failure policy──▶ cancelled
 * </pre>
 */
public final class Releases {

    /** Who switches a failed deployment's flags off when its environment's policy says so. */
    static final String POLICY_ACTOR = "policy:rollback-on-failure";

    private final DeploymentStore store;
    private final DeploymentLock lock;
    private final ReleaseHolds holds;
    private final ReleaseSteps steps;
    private final FlagChanges flags;

    /**
     * @param flags     the flag writes that releases and rollbacks make in their transactions
     * @param condition whether a due step may advance ({@link StepCondition#ALWAYS} until guards exist)
     */
    public Releases(Pool pool, DeploymentStore store, FlagWrites flags, StepCondition condition) {
        this.store = store;
        this.lock = new DeploymentLock(pool, store, new DeploymentViews(store));
        this.holds = new ReleaseHolds(store);
        this.flags = new FlagChanges(flags);
        this.steps = new ReleaseSteps(pool, store, holds, condition, this.flags);
    }

    /**
     * Starts releasing the deployment's flags along the plan; steps that are due apply at once, in
     * this transaction. Asking again for the same plan changes nothing; a different plan while one
     * exists is a conflict.
     */
    public Future<Deployment> release(String actor, String project, long id, ReleasePlan plan, Optional<String> comment) {
        return lock.change(project, id, (tx, deployment) -> {
            if (deployment.status().equals(Deployment.ROLLED_BACK) || deployment.status().equals(Deployment.FAILED)) {
                return Future.failedFuture(Failure.conflict("this deployment " + deployment.describeStatus()
                        + "; record a new deployment to release its flags"));
            }
            if (deployment.releaseState() != null) {
                return store.steps(tx, id).compose(existing -> existing.stream().map(StoredStep::planned).toList().equals(plan.steps())
                        ? Future.<Void>succeededFuture() // the same plan again: nothing to do
                        : Future.failedFuture(Failure.conflict("this deployment already has a release (" + deployment.releaseState()
                        + "); pause or resume it, or roll the deployment back")));
            }
            return store.startRelease(tx, id, actor, plan)
                    .compose(v -> DeploymentAudit.append(tx, actor, "deployment.release", deployment, null, planSummary(plan), comment))
                    .compose(v -> store.recordReleasedVersions(tx, id))
                    .compose(v -> steps.applyDue(tx, deployment.withRelease(Release.RUNNING, actor)))
                    .mapEmpty();
        });
    }

    /** Holds a running release: no further step applies until it is resumed. */
    public Future<Deployment> pause(String actor, String project, long id, Optional<String> comment) {
        return lock.change(project, id, (tx, deployment) -> {
            Optional<Failure> refused = refusedUnlessReleasing(deployment, "paused");
            if (refused.isPresent()) {
                return Future.failedFuture(refused.get());
            }
            if (Release.PAUSED.equals(deployment.releaseState())) {
                return Future.succeededFuture();
            }
            return store.pauseRelease(tx, id, actor, comment.orElse(null))
                    .compose(v -> DeploymentAudit.append(tx, actor, "deployment.release.pause", deployment,
                            Map.of("release", Release.RUNNING), Map.of("release", Release.PAUSED), comment));
        });
    }

    /**
     * Continues a paused release. Time spent paused does not count towards a step's interval;
     * steps at fixed times that passed meanwhile apply now, in order. The person resuming accepts
     * the flags as they are now: changes made while it was paused do not pause it again.
     */
    public Future<Deployment> resume(String actor, String project, long id, Optional<String> comment) {
        return lock.change(project, id, (tx, deployment) -> {
            Optional<Failure> refused = refusedUnlessReleasing(deployment, "resumed");
            if (refused.isPresent()) {
                return Future.failedFuture(refused.get());
            }
            if (Release.RUNNING.equals(deployment.releaseState())) {
                return Future.succeededFuture();
            }
            return store.resumeRelease(tx, id, deployment.pausedAt())
                    .compose(v -> DeploymentAudit.append(tx, actor, "deployment.release.resume", deployment,
                            Map.of("release", Release.PAUSED), Map.of("release", Release.RUNNING), comment))
                    .compose(v -> store.recordReleasedVersions(tx, id))
                    .compose(v -> steps.applyDue(tx, deployment.withRelease(Release.RUNNING, deployment.releaseActor())))
                    .mapEmpty();
        });
    }

    /**
     * Switches all the deployment's flags off in one transaction — one revision, one patch — stops
     * its release and marks it rolled back. Rolling back again changes nothing.
     */
    public Future<Deployment> rollback(String actor, String project, long id, Optional<String> comment) {
        return lock.change(project, id, (tx, deployment) -> {
            if (deployment.status().equals(Deployment.ROLLED_BACK)) {
                return Future.succeededFuture();
            }
            return store.setStatus(tx, id, Deployment.ROLLED_BACK)
                    .compose(v -> DeploymentAudit.append(tx, actor, "deployment.rollback", deployment,
                            Map.of("status", deployment.status()), Map.of("status", Deployment.ROLLED_BACK), comment))
                    .compose(v -> switchOff(tx, actor, deployment,
                            comment.or(() -> Optional.of("rollback of " + deployment.title()))));
        });
    }

    /**
     * Applies every release step that is due, on any deployment; called periodically by each
     * server instance ({@link ReleaseScheduler}).
     *
     * @return how many deployments had steps applied
     */
    public Future<Integer> applyDueSteps() {
        return steps.applyDue();
    }

    /**
     * The failure policy, within the transaction that records {@code failed} on the locked
     * deployment: where the environment says so, its flags go off, as the policy's doing.
     */
    Future<Void> deploymentFailed(SqlClient tx, StoredDeployment deployment) {
        if (!deployment.rollbackOnFailure()) {
            return Future.succeededFuture();
        }
        return switchOff(tx, POLICY_ACTOR, deployment, Optional.of("deployment reported failed; " + deployment.environment()
                + " switches a failed deployment's flags off"));
    }

    /**
     * Switches the deployment's flags off as one revision and cancels its release; other running
     * releases of those flags pause (a kill switch is never undone by automation).
     */
    private Future<Void> switchOff(SqlClient tx, String actor, StoredDeployment deployment, Optional<String> comment) {
        return store.shippedFlagKeys(tx, deployment.id())
                .compose(keys -> flags.lock(tx, deployment.scope(), keys))
                .compose(locked -> flags.write(tx, actor, deployment.scope(), locked.stream()
                        .filter(flag -> flag.config().on())
                        .map(flag -> new ConfigChange(flag, flag.config().withOn(false), "flag.off"))
                        .toList(), comment, deployment.id()))
                .compose(written -> holds.pause(tx, actor, deployment.scope(), written, "flag.off",
                        comment.orElse(null), deployment.id()))
                .compose(v -> store.cancelRelease(tx, deployment.id()));
    }

    private static Optional<Failure> refusedUnlessReleasing(StoredDeployment deployment, String verb) {
        String state = deployment.releaseState();
        if (Release.RUNNING.equals(state) || Release.PAUSED.equals(state)) {
            return Optional.empty();
        }
        return Optional.of(Failure.conflict(state == null
                ? "this deployment has no release to be " + verb + "; start one with POST …/release"
                : "this deployment's release is " + state + " and cannot be " + verb));
    }

    /** The plan as its audit event shows it. */
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
}
