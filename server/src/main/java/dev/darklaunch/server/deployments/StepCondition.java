package dev.darklaunch.server.deployments;

import io.vertx.core.Future;

/**
 * Whether a release may take a step that is due. A due step applies only when the condition
 * holds; when it does not, the step (and every later one) waits and is asked about again at the
 * next check. Guards hold steps back on their own, before this is asked ({@code ReleaseSteps});
 * this is a further hook ({@link #ALWAYS} in the server).
 *
 * <p>It is asked while the deployment is locked, inside the transaction that would apply the step,
 * so it answers promptly; it must fail its future rather than throw.
 */
@FunctionalInterface
public interface StepCondition {

    StepCondition ALWAYS = step -> Future.succeededFuture(true);

    /** The step about to be applied: step {@code number} of {@code of}, raising the deployment's flags to {@code percentage}. */
    record NextStep(long deployment, String project, String environment, String service, String version, int number, int of,
                    double percentage) {
    }

    Future<Boolean> holds(NextStep step);
}
