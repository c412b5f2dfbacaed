package dev.darklaunch.server.changes;

import dev.darklaunch.server.store.Json;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;

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

    private static final String INSERT_ALL = """
            INSERT INTO audit_events (actor, action, project, environment, target_kind, target_key,
                                      before, after, comment, deployment_id)
            SELECT a.actor, a.action, a.project, a.environment, a.kind, a.key, a.before::jsonb, a.after::jsonb, a.comment,
                   a.deployment
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::text[], $10::bigint[])
                 WITH ORDINALITY AS a(actor, action, project, environment, kind, key, before, after, comment, deployment, position)
            ORDER BY a.position""";

    private AuditLog() {
    }

    public static Future<Void> append(SqlClient tx, Change change) {
        return tx.preparedQuery(INSERT)
                .execute(Tuple.from(new Object[]{change.actor(), change.action(), change.project(), change.environment(),
                        change.targetKind(), change.targetKey(), json(change.before()), json(change.after()),
                        change.comment().orElse(null), change.deployment()}))
                .mapEmpty();
    }

    /**
     * Appends many events in one statement, whatever their number; their sequence numbers keep
     * the order given.
     */
    public static Future<Void> appendAll(SqlClient tx, List<Change> changes) {
        if (changes.isEmpty()) {
            return Future.succeededFuture();
        }
        return tx.preparedQuery(INSERT_ALL)
                .execute(Tuple.tuple()
                        .addArrayOfString(changes.stream().map(Change::actor).toArray(String[]::new))
                        .addArrayOfString(changes.stream().map(Change::action).toArray(String[]::new))
                        .addArrayOfString(changes.stream().map(Change::project).toArray(String[]::new))
                        .addArrayOfString(changes.stream().map(Change::environment).toArray(String[]::new))
                        .addArrayOfString(changes.stream().map(Change::targetKind).toArray(String[]::new))
                        .addArrayOfString(changes.stream().map(Change::targetKey).toArray(String[]::new))
                        .addArrayOfString(changes.stream().map(c -> json(c.before())).toArray(String[]::new))
                        .addArrayOfString(changes.stream().map(c -> json(c.after())).toArray(String[]::new))
                        .addArrayOfString(changes.stream().map(c -> c.comment().orElse(null)).toArray(String[]::new))
                        .addArrayOfLong(changes.stream().map(Change::deployment).toArray(Long[]::new)))
                .mapEmpty();
    }

    private static String json(Object value) {
        return value == null ? null : Json.write(value);
    }
}
