package dev.darklaunch.server.deployments;

import dev.darklaunch.server.audit.AuditLog;
import dev.darklaunch.server.audit.Change;
import dev.darklaunch.server.deployments.Deployment.Release;
import dev.darklaunch.server.projects.Scope;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 *       ({@link #recordReleasedVersions}), after locking the flags, so it sees a change committed
 *       while it waited for them, and pauses instead of applying.</li>
 * </ul>
 */
public final class ReleaseHolds {

    private ReleaseHolds() {
    }

    /**
     * Pauses the running releases in the scope's environment that ship any of {@code keys}
     * (except {@code exceptDeployment}, if not null), as {@code actor}'s doing.
     *
     * @param action   the flags' audit action ({@code flag.off}, …): the reason reads "paused because
     *                 F was switched off by A"
     * @param occasion what it was part of, added to the reason in parentheses, or null
     */
    public static Future<Void> pause(SqlClient tx, String actor, Scope scope, List<String> keys, String action, String occasion,
                                     Long exceptDeployment) {
        if (keys.isEmpty()) {
            return Future.succeededFuture();
        }
        String reason = reason(keys, action, actor) + (occasion == null ? "" : " (" + occasion + ")");
        return tx.preparedQuery("""
                        UPDATE deployments SET release_state = 'paused', paused_at = now(), updated_at = now(),
                               paused_by = $4, paused_reason = $5
                        WHERE release_state = 'running' AND id IN (
                            SELECT d.id FROM deployments d
                            WHERE d.environment_id = $1 AND d.release_state = 'running' AND d.id <> coalesce($3, -1)
                              AND EXISTS (SELECT 1 FROM deployment_flags df WHERE df.deployment_id = d.id AND df.flag_key = ANY ($2))
                            ORDER BY d.id FOR UPDATE SKIP LOCKED)
                        RETURNING id""")
                .execute(Tuple.tuple().addLong(scope.environmentId()).addArrayOfString(keys.toArray(String[]::new))
                        .addLong(exceptDeployment).addString(actor).addString(reason))
                .compose(rows -> {
                    Future<Void> audited = Future.succeededFuture();
                    for (var row : rows) {
                        long id = row.getLong("id");
                        audited = audited.compose(v -> audit(tx, actor, scope.project(), scope.environment(), id, reason));
                    }
                    return audited;
                });
    }

    /** Pauses one release that a step found changed by someone else; the deployment is locked by the caller. */
    static Future<Void> pauseOne(SqlClient tx, String actor, String project, String environment, long id, String reason) {
        return tx.preparedQuery("""
                        UPDATE deployments SET release_state = 'paused', paused_at = now(), updated_at = now(),
                               paused_by = $2, paused_reason = $3
                        WHERE id = $1""")
                .execute(Tuple.of(id, actor, reason))
                .compose(v -> audit(tx, actor, project, environment, id, reason));
    }

    /**
     * Records the configuration version of each of the deployment's flags in its environment as
     * the one its release last saw: after each step it applies, and when a person starts or
     * resumes it (accepting the flags as they are).
     */
    static Future<Void> recordReleasedVersions(SqlClient tx, long deploymentId) {
        return tx.preparedQuery("""
                        UPDATE deployment_flags df SET released_version = c.version
                        FROM deployments d JOIN flags f ON f.project_id = d.project_id
                        JOIN flag_configs c ON c.flag_id = f.id AND c.environment_id = d.environment_id
                        WHERE df.deployment_id = $1 AND d.id = df.deployment_id AND f.key = df.flag_key""")
                .execute(Tuple.of(deploymentId))
                .mapEmpty();
    }

    /** The last change of a flag in an environment, as the audit log has it. */
    record LastChange(String actor, String action) {
    }

    /**
     * Who last changed a flag in an environment, and how: the reason a step gives when it finds
     * the flag changed since its release last wrote it.
     */
    static Future<Optional<LastChange>> lastChange(SqlClient tx, String project, String environment, String key) {
        return tx.preparedQuery("""
                        SELECT actor, action FROM audit_events
                        WHERE project = $1 AND target_kind = 'flag' AND target_key = $3 AND environment = $2
                        ORDER BY seq DESC LIMIT 1""")
                .execute(Tuple.of(project, environment, key))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(new LastChange(
                        rows.iterator().next().getString("actor"), rows.iterator().next().getString("action"))));
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

    private static Future<Void> audit(SqlClient tx, String actor, String project, String environment, long id, String reason) {
        return AuditLog.append(tx, new Change(actor, "deployment.release.pause", project, environment, "deployment",
                Long.toString(id), Map.of("release", Release.RUNNING), Map.of("release", Release.PAUSED), Optional.of(reason), id));
    }
}
