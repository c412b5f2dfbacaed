/**
 * Deployments: what pipelines shipped where, and the release and rollback of the flags that came
 * with it.
 *
 * <ul>
 *   <li>{@link dev.darklaunch.server.deployments.DeploymentRecords} — recording: a deployment and
 *       the flags it ships dark (once per idempotency key), and its status reports;</li>
 *   <li>{@link dev.darklaunch.server.deployments.Releases} — the release state machine: plans,
 *       steps (applied by {@code ReleaseSteps} when due and when a
 *       {@link dev.darklaunch.server.deployments.StepCondition} holds), pause and resume, rollback,
 *       the failure policy; {@link dev.darklaunch.server.deployments.ReleaseHolds}: automation
 *       never overrides a person;</li>
 *   <li>{@code ReleaseGuards}, {@code GuardStore}, {@code GuardEvidence} — guards on a release:
 *       each check looks at what the application measured per arm ({@code guards}), holds steps
 *       back and acts on a regression as {@code policy:guard}; the flags of a guarded release are
 *       marked so the feed serves them {@code guarded};</li>
 *   <li>{@link dev.darklaunch.server.deployments.Signals} — alerts from monitoring (Alertmanager's
 *       webhook), matched to deployments and acted on by the environment's policy;</li>
 *   <li>{@link dev.darklaunch.server.deployments.DeploymentStore} — the SQL, and nothing else;</li>
 *   <li>{@code DeploymentsApi}, {@code TimelineApi} — HTTP only: parse, check the caller, call,
 *       answer.</li>
 * </ul>
 *
 * Flag configurations are written through {@code FlagChanges}, this package's one door into
 * {@code flags}, in the deployment's transaction: a step or rollback is one revision. The top of
 * the write side: it may use flags, projects and audit; nothing below calls it (flags reach it only
 * through {@code flags.ManualChanges}).
 */
package dev.darklaunch.server.deployments;
