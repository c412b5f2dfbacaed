package dev.darklaunch.server.changes;

import dev.darklaunch.server.store.Json;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * Appends audit events. Callers pass the connection of the transaction that makes the change,
 * so the change and its record commit together or not at all. There is deliberately no update
 * or delete here, and the table refuses them too.
 */
public final class AuditLog {

    private static final String INSERT = """
            INSERT INTO audit_events (actor, action, project, environment, target_kind, target_key,
                                      before, after, comment, deployment_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8::text::jsonb, $9, $10)""";

    private AuditLog() {
    }

    public static Future<Void> append(SqlClient tx, Change change) {
        return tx.preparedQuery(INSERT)
                .execute(Tuple.from(new Object[]{change.actor(), change.action(), change.project(), change.environment(),
                        change.targetKind(), change.targetKey(), json(change.before()), json(change.after()),
                        change.comment().orElse(null), change.deployment()}))
                .mapEmpty();
    }

    private static String json(Object value) {
        return value == null ? null : Json.write(value);
    }
}
