package dev.darklaunch.server.deployments;

import dev.darklaunch.server.projects.Scope;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

import java.util.List;

/**
 * Automation never overrides a person: a change made by hand to a flag's configuration in an
 * environment (switched off, on, edited, or its deployment rolled back) pauses every running
 * release there that raises the flag, audited as that person's doing with the reason, until a
 * person resumes it.
 *
 * <p>Two guards, so that no interleaving switches a killed flag back on:
 * <ul>
 *   <li>the change pauses the releases in its own transaction ({@link #pause}); a release whose
 *       row a step holds at that moment is skipped rather than waited for (a step locks its
 *       deployment, then the flags: waiting here, holding the flag, could deadlock);</li>
 *   <li>a step compares each flag's configuration version with the one its release last wrote
 *       (recorded after each step, and when a person starts or resumes the release), after
 *       locking the flags, so it sees a change committed while it waited for them, and pauses
 *       instead of applying ({@link #pauseForChange}).</li>
 * </ul>
 */
public final class ReleaseHolds {

    private final DeploymentStore store;

    public ReleaseHolds(DeploymentStore store) {
        this.store = store;
    }

    /**
     * Pauses the running releases in the scope's environment that ship any of {@code keys}
     * (except {@code exceptDeployment}, if not null), as {@code actor}'s doing.
     *
     * @param action   the flags' audit action ({@code flag.off}, …): the reason reads "paused because
     *                 F was switched off by A"
     * @param occasion what it was part of, added to the reason in parentheses, or null
     */
    public Future<Void> pause(SqlClient tx, String actor, Scope scope, List<String> keys, String action, String occasion,
                                 Long exceptDeployment) {
        if (keys.isEmpty()) {
            return Future.succeededFuture();
        }
        String reason = reason(keys, action, actor) + (occasion == null ? "" : " (" + occasion + ")");
        return store.pauseReleasesShipping(tx, scope.environmentId(), keys, exceptDeployment, actor, reason)
                .compose(ids -> {
                    Future<Void> audited = Future.succeededFuture();
                    for (long id : ids) {
                        audited = audited.compose(v -> DeploymentAudit.paused(tx, actor, scope.project(), scope.environment(), id, reason));
                    }
                    return audited;
                });
    }

    /**
     * Pauses a release (its deployment locked by the caller) whose flag someone else changed since
     * the release last wrote it, naming who and how, as the audit log has it.
     */
    Future<Void> pauseForChange(SqlClient tx, StoredDeployment deployment, String key) {
        return store.lastFlagChange(tx, deployment.project(), deployment.environment(), key)
                .compose(last -> {
                    String actor = last.map(DeploymentStore.LastChange::actor).orElse("someone");
                    String reason = reason(List.of(key), last.map(DeploymentStore.LastChange::action).orElse(""), actor);
                    return store.pauseRelease(tx, deployment.id(), actor, reason)
                            .compose(v -> DeploymentAudit.paused(tx, actor, deployment.project(), deployment.environment(),
                                    deployment.id(), reason));
                });
    }

    /** "paused because F was switched off by A". */
    public static String reason(List<String> keys, String action, String actor) {
        String what = switch (action) {
            case "flag.off" -> "switched off";
            case "flag.on" -> "switched on";
            default -> "changed";
        };
        List<String> sorted = keys.stream().sorted().toList();
        return "paused because " + String.join(", ", sorted) + (sorted.size() == 1 ? " was " : " were ") + what + " by " + actor;
    }
}
