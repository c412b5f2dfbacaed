package dev.darklaunch.server.deployments;

import dev.darklaunch.server.changes.AuditLog;
import dev.darklaunch.server.changes.Change;
import dev.darklaunch.server.deployments.Deployment.Release;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

import java.util.Map;
import java.util.Optional;

/** The audit events of deployments, appended in the transaction of the change they describe. */
final class DeploymentAudit {

    private DeploymentAudit() {
    }

    static Future<Void> append(SqlClient tx, String actor, String action, StoredDeployment deployment, Object before,
                               Object after, Optional<String> comment) {
        return AuditLog.append(tx, new Change(actor, action, deployment.project(), deployment.environment(), "deployment",
                Long.toString(deployment.id()), before, after, comment, deployment.id()));
    }

    /** A release paused by something other than its own pause request; the reason is the comment. */
    static Future<Void> paused(SqlClient tx, String actor, String project, String environment, long id, String reason) {
        return AuditLog.append(tx, new Change(actor, "deployment.release.pause", project, environment, "deployment",
                Long.toString(id), Map.of("release", Release.RUNNING), Map.of("release", Release.PAUSED), Optional.of(reason), id));
    }
}
