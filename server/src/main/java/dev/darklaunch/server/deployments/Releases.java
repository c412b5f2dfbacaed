package dev.darklaunch.server.deployments;

import dev.darklaunch.server.deployments.Deployment.Release;
import dev.darklaunch.server.deployments.FlagChanges.ConfigChange;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.flags.FlagWrites;
import dev.darklaunch.server.guards.GuardSpec;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

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
 *
 * <p>Guards ({@link ReleaseGuards}) and alerts ({@link #signal}) take the same transitions as a
 * person: a regression or a firing alert pauses the release or rolls the deployment back.
 */
public final class Releases {

    /** Who switches a failed deployment's flags off when its environment's policy says so. */
    static final String POLICY_ACTOR = "policy:rollback-on-failure";

    /** Who acts on a firing alert, by the environment's policy. */
    static final String SIGNAL_ACTOR = "policy:signal";

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
        this.steps = new ReleaseSteps(pool, store, holds, condition, this.flags, this::guardFound);
    }

    /**
     * Starts releasing the deployment's flags along the plan; steps that are due apply at once, in
     * this transaction. Asking again for the same plan (or, after a continuation, for the plan that
     * continued it) changes nothing. A completed release continues along a new plan that starts
     * above the share it reached — its steps follow the ones already applied, so the release keeps
     * its whole history; a different plan while one is running or paused is a conflict.
     */
    public Future<Deployment> release(String actor, String project, long id, ReleasePlan plan, Optional<String> comment) {
        return lock.change(project, id, (tx, deployment) -> {
            if (deployment.status().equals(Deployment.ROLLED_BACK) || deployment.status().equals(Deployment.FAILED)) {
                return Future.failedFuture(Failure.conflict("this deployment " + deployment.describeStatus()
                        + "; record a new deployment to release its flags"));
            }
            if (deployment.releaseState() == null) {
                return start(tx, actor, deployment, plan, 0, comment);
            }
            return store.steps(tx, id).compose(existing -> {
                List<ReleasePlan.Step> planned = existing.stream().map(StoredStep::planned).toList();
                if (planned.equals(plan.steps())) {
                    return samePlan(tx, id, plan).compose(same -> same
                            ? Future.<Void>succeededFuture() // the same plan again: nothing to do
                            : Future.failedFuture(Failure.conflict("this deployment already has a release ("
                            + deployment.releaseState() + ") with other guards; pause or resume it, or roll the deployment back")));
                }
                if (endsWith(planned, plan.steps())) {
                    return Future.<Void>succeededFuture(); // the same continuation again: nothing to do
                }
                if (!Release.COMPLETED.equals(deployment.releaseState())) {
                    return Future.failedFuture(Failure.conflict("this deployment already has a release ("
                            + deployment.releaseState() + "); pause or resume it, or roll the deployment back"));
                }
                int reached = existing.isEmpty() ? 0 : existing.get(existing.size() - 1).weight();
                if (plan.steps().get(0).weight() <= reached) {
                    return Future.failedFuture(Failure.conflict("this deployment's release completed at "
                            + ReleasePlan.format(reached) + " %; a plan that continues it must start above that"));
                }
                return start(tx, actor, deployment, plan, existing.size(), comment);
            });
        });
    }

    /** Stores the plan's steps from {@code firstPosition} on, runs the release and applies what is due. */
    private Future<Void> start(SqlClient tx, String actor, StoredDeployment deployment, ReleasePlan plan, int firstPosition,
                               Optional<String> comment) {
        return guarded(tx, deployment, plan)
                .compose(guarded -> store.startRelease(tx, deployment.id(), actor, guarded, firstPosition)
                        .compose(v -> GuardStore.insert(tx, deployment.id(), guarded.guards(), firstPosition))
                        .compose(v -> DeploymentAudit.append(tx, actor, "deployment.release", deployment,
                                firstPosition == 0 ? null : Map.of("release", Release.COMPLETED), planSummary(guarded), comment)))
                .compose(v -> store.recordReleasedVersions(tx, deployment.id()))
                .compose(v -> steps.applyDue(tx, deployment.withRelease(Release.RUNNING, actor)))
                .mapEmpty();
    }

    private static boolean endsWith(List<ReleasePlan.Step> steps, List<ReleasePlan.Step> tail) {
        return steps.size() >= tail.size() && steps.subList(steps.size() - tail.size(), steps.size()).equals(tail);
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
                    .compose(v -> GuardStore.restart(tx, id))
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
            return rollBack(tx, actor, deployment, comment);
        });
    }

    /** Rolls the locked deployment back: its status, the audit event, and its flags off as one revision. */
    private Future<Void> rollBack(SqlClient tx, String actor, StoredDeployment deployment, Optional<String> comment) {
        return store.setStatus(tx, deployment.id(), Deployment.ROLLED_BACK)
                .compose(v -> DeploymentAudit.append(tx, actor, "deployment.rollback", deployment,
                        Map.of("status", deployment.status()), Map.of("status", Deployment.ROLLED_BACK), comment))
                .compose(v -> switchOff(tx, actor, deployment,
                        comment.or(() -> Optional.of("rollback of " + deployment.title()))));
    }

    /** Pauses the locked deployment's running release as {@code actor}'s doing, for a reason. */
    private Future<Void> pauseFor(SqlClient tx, String actor, StoredDeployment deployment, String reason) {
        return store.pauseRelease(tx, deployment.id(), actor, reason)
                .compose(v -> DeploymentAudit.paused(tx, actor, deployment.project(), deployment.environment(), deployment.id(),
                        reason));
    }

    /**
     * A signal from monitoring about the deployment, recorded once (a replay changes nothing and
     * answers {@code repeated}). A firing alert acts by the environment's policy, as
     * {@value #SIGNAL_ACTOR}: where a failed deployment's flags go off ({@code rollbackOnFailure}),
     * the deployment rolls back; elsewhere its running release pauses. A resolved alert is recorded.
     *
     * @return what the signal did: {@code rolled_back}, {@code paused}, {@code recorded} or {@code repeated}
     */
    public Future<String> signal(String actor, String project, long id, Signal signal) {
        AtomicReference<String> outcome = new AtomicReference<>("recorded");
        return lock.change(project, id, (tx, deployment) -> store.insertSignal(tx, id, signal, actor).compose(inserted -> {
            if (!inserted) {
                outcome.set("repeated");
                return Future.succeededFuture();
            }
            Map<String, Object> recorded = new LinkedHashMap<>();
            recorded.put("alert", signal.name());
            recorded.put("status", signal.status());
            recorded.put("fingerprint", signal.fingerprint());
            recorded.put("labels", signal.labels());
            Future<Void> audited = DeploymentAudit.append(tx, actor, "deployment.signal", deployment, null, recorded,
                    Optional.of(signal.describe()));
            if (!Signal.FIRING.equals(signal.status()) || deployment.status().equals(Deployment.ROLLED_BACK)) {
                return audited;
            }
            if (deployment.rollbackOnFailure()) {
                outcome.set(Deployment.ROLLED_BACK);
                return audited.compose(v -> rollBack(tx, SIGNAL_ACTOR, deployment, Optional.of(signal.describe() + "; "
                        + deployment.environment() + " rolls a deployment back on a firing alert")));
            }
            if (Release.RUNNING.equals(deployment.releaseState())) {
                outcome.set(Release.PAUSED);
                return audited.compose(v -> pauseFor(tx, SIGNAL_ACTOR, deployment, signal.describe() + "; "
                        + deployment.environment() + " pauses a release on a firing alert"));
            }
            return audited;
        })).map(deployment -> outcome.get());
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
                .compose(v -> store.cancelRelease(tx, deployment.id()))
                .compose(v -> GuardStore.mark(tx, deployment.id()));
    }

    /**
     * A guard found a regression on a running release (its deployment locked): the evidence goes
     * to the audit log, then the guard's action runs as a person's would — the release pauses, or
     * the deployment rolls back (its flags off as one revision) — as {@value ReleaseGuards#ACTOR}'s
     * doing, with the finding as the reason.
     */
    private Future<Void> guardFound(SqlClient tx, StoredDeployment running, ReleaseGuards.Finding regression) {
        GuardEvidence evidence = regression.state();
        GuardSpec spec = regression.spec();
        String reason = evidence.summary();
        Map<String, Object> found = new LinkedHashMap<>();
        found.put("guard", spec.definition());
        found.put("evidence", evidence);
        found.put("action", spec.action() == GuardSpec.Action.ROLLBACK ? "rollback" : "pause");
        Future<Void> audited = DeploymentAudit.append(tx, ReleaseGuards.ACTOR, "deployment.guard.regression", running, null, found,
                Optional.of(reason));
        return audited.compose(v -> spec.action() == GuardSpec.Action.PAUSE
                ? pauseFor(tx, ReleaseGuards.ACTOR, running, reason)
                : rollBack(tx, ReleaseGuards.ACTOR, running, Optional.of(reason)));
    }

    /**
     * The plan with the guards it will run under: its own, or — when it names none and has steps
     * for guards to hold back — the environment's default guards, on the whole release.
     */
    private static Future<ReleasePlan> guarded(SqlClient tx, StoredDeployment deployment, ReleasePlan plan) {
        if (!plan.guards().isEmpty() || plan.steps().size() < 2) {
            return Future.succeededFuture(plan);
        }
        return GuardStore.defaults(tx, deployment.environmentId())
                .map(defaults -> plan.withGuards(defaults.stream().map(spec -> new ReleasePlan.PlannedGuard(null, spec)).toList()));
    }

    /** Whether a release request repeats the release the deployment has: the same steps, and the same guards if it names any. */
    private Future<Boolean> samePlan(SqlClient tx, long id, ReleasePlan plan) {
        return store.steps(tx, id).compose(existing -> !existing.stream().map(StoredStep::planned).toList().equals(plan.steps())
                ? Future.succeededFuture(false)
                : GuardStore.guards(tx, id).map(guards -> plan.guards().isEmpty() || guards.stream()
                .map(g -> new ReleasePlan.PlannedGuard(g.step(), g.spec())).toList().equals(plan.guards())));
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
        if (plan.guards().isEmpty()) {
            return Map.of("steps", steps);
        }
        List<Map<String, Object>> guards = new ArrayList<>();
        for (ReleasePlan.PlannedGuard guard : plan.guards()) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("guard", guard.spec().definition());
            if (guard.step() != null) {
                summary.put("step", guard.step() + 1);
            }
            guards.add(summary);
        }
        return Map.of("steps", steps, "guards", guards);
    }
}
