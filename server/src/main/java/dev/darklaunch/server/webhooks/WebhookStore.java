package dev.darklaunch.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.audit.AuditEvent;
import dev.darklaunch.server.changes.AuditLog;
import dev.darklaunch.server.changes.Change;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.store.Json;
import dev.darklaunch.server.store.Paging;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Webhooks, their outbox cursors and their delivery log: SQL only. */
public final class WebhookStore {

    /** Most webhooks one project may have. */
    static final int MAX_PER_PROJECT = 20;
    /** Most attempts the delivery log keeps per webhook; older ones are dropped. */
    static final int LOG_SIZE = 1000;

    /** What a webhook is, as written. */
    record Definition(String name, String url, List<String> events, String format, boolean enabled) {
    }

    /** An event due for delivery to a webhook, with what is needed to send it. */
    record Pending(long webhook, String url, String secret, String format, int failures, AuditEvent event) {
    }

    /** One page of the delivery log, newest first. */
    public record Page(List<Delivery> items, String next) {
    }

    private static final String COLUMNS = """
            w.id, p.key AS project, w.name, w.url, w.events, w.format, w.enabled, w.created_at, w.created_by,
            w.updated_at, w.failures, w.next_attempt_at""";

    /**
     * Events of the webhook's project after its cursor that it asks for, whose transaction has
     * ended (see V12__webhooks.sql for why this never skips one that commits late). Used with
     * {@code w} (webhooks) and {@code p} (its project) in scope.
     */
    private static final String PENDING = """
            e.project = p.key AND (e.xid, e.seq) > (w.cursor_xid, w.cursor_seq)
              AND e.xid < pg_snapshot_xmin(pg_current_snapshot())
              AND (('flags' = ANY (w.events) AND e.action LIKE 'flag.%')
                OR ('segments' = ANY (w.events) AND e.action LIKE 'segment.%')
                OR ('environments' = ANY (w.events) AND (e.action LIKE 'environment.%' OR e.action LIKE 'project.%'))
                OR ('deployments' = ANY (w.events) AND e.action LIKE 'deployment.%')
                OR ('guards' = ANY (w.events) AND e.actor = 'policy:guard'))""";

    private static final String CLAIM = """
            UPDATE webhooks SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond'
            WHERE id IN (SELECT w.id FROM webhooks w JOIN projects p ON p.id = w.project_id
                         WHERE w.enabled AND w.next_attempt_at <= now()
                           AND (w.lease_until IS NULL OR w.lease_until < now())
                           AND EXISTS (SELECT 1 FROM audit_events e WHERE %s)
                         ORDER BY w.next_attempt_at LIMIT $3
                         FOR UPDATE OF w SKIP LOCKED)
            RETURNING id""".formatted(PENDING);

    private static final String NEXT = """
            SELECT w.id AS webhook, w.url, w.secret, w.format, w.failures, e.seq, e.at, e.actor, e.action, e.project,
                   e.environment, e.target_kind, e.target_key, e.before::text AS before, e.after::text AS after,
                   e.comment, e.deployment_id,
                   (SELECT d.service || ' ' || d.version FROM deployments d WHERE d.id = e.deployment_id) AS deployment_name
            FROM webhooks w JOIN projects p ON p.id = w.project_id
            JOIN LATERAL (SELECT * FROM audit_events e WHERE %s ORDER BY e.xid, e.seq LIMIT 1) e ON true
            WHERE w.id = $1 AND w.lease_owner = $2 AND w.lease_until > now() AND w.enabled""".formatted(PENDING);

    private static final String DELIVERED = """
            UPDATE webhooks w SET cursor_xid = e.xid, cursor_seq = e.seq, failures = 0, next_attempt_at = now(),
                                  lease_until = now() + $4 * interval '1 millisecond'
            FROM audit_events e
            WHERE w.id = $1 AND w.lease_owner = $2 AND w.lease_until > now() AND e.seq = $3""";

    private static final String FAILED = """
            UPDATE webhooks SET failures = failures + 1, next_attempt_at = now() + $3 * interval '1 millisecond',
                                lease_owner = NULL, lease_until = NULL
            WHERE id = $1 AND lease_owner = $2""";

    /**
     * Nothing pending: moves the cursor past the events the webhook does not ask for (one
     * statement, so "nothing pending" and "the last ended event" are read from one snapshot),
     * so they are not looked at again, and lets the webhook go.
     */
    private static final String SKIP_AHEAD = """
            UPDATE webhooks w SET cursor_xid = f.xid, cursor_seq = f.seq
            FROM projects p, LATERAL (SELECT e.xid, e.seq FROM audit_events e
                                      WHERE e.project = p.key AND e.xid < pg_snapshot_xmin(pg_current_snapshot())
                                      ORDER BY e.xid DESC, e.seq DESC LIMIT 1) f
            WHERE w.id = $1 AND w.lease_owner = $2 AND p.id = w.project_id AND (f.xid, f.seq) > (w.cursor_xid, w.cursor_seq)
              AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE %s)""".formatted(PENDING);

    private static final String RELEASE = "UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2";

    private static final String LOG = """
            INSERT INTO webhook_deliveries (webhook_id, event_seq, action, attempt, redelivery, status, error, response,
                                            duration_ms, succeeded)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""";

    private static final String PRUNE = """
            DELETE FROM webhook_deliveries WHERE webhook_id = $1 AND id <= (
                SELECT id FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)""";

    private final Pool pool;

    public WebhookStore(Pool pool) {
        this.pool = pool;
    }

    // ---- settings

    Future<List<Webhook>> list(String project) {
        return projectId(pool, project).compose(id -> pool
                .preparedQuery("SELECT " + COLUMNS + " FROM webhooks w JOIN projects p ON p.id = w.project_id"
                        + " WHERE w.project_id = $1 ORDER BY w.id")
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<Webhook> hooks = new ArrayList<>();
                    rows.forEach(row -> hooks.add(webhook(row)));
                    return hooks;
                }));
    }

    Future<Webhook> get(String project, long id) {
        return get(pool, project, id, false);
    }

    /** A new webhook, delivering what happens from now on; the secret is the caller's to show once. */
    Future<Webhook> create(String actor, String project, Definition definition, String secret, Optional<String> comment) {
        return pool.withTransaction(tx -> projectId(tx, project, true)
                .compose(projectId -> tx.preparedQuery("SELECT count(*) AS n FROM webhooks WHERE project_id = $1")
                        .execute(Tuple.of(projectId))
                        .compose(rows -> {
                            if (rows.iterator().next().getLong("n") >= MAX_PER_PROJECT) {
                                return Future.failedFuture(Failure.conflict("project '" + project + "' has "
                                        + MAX_PER_PROJECT + " webhooks already, the most it may have; delete one first"));
                            }
                            // the cursor starts at the oldest transaction still running: events
                            // committed from now on are delivered, older ones are not
                            return tx.preparedQuery("""
                                    INSERT INTO webhooks (project_id, name, url, events, format, enabled, secret, created_by,
                                                          cursor_xid)
                                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, pg_snapshot_xmin(pg_current_snapshot()))
                                    RETURNING id""")
                                    .execute(Tuple.from(new Object[]{projectId, definition.name(), definition.url(),
                                            definition.events().toArray(String[]::new), definition.format(),
                                            definition.enabled(), secret, actor}));
                        }))
                .compose(rows -> get(tx, project, rows.iterator().next().getLong("id"), false))
                .compose(created -> audit(tx, actor, "webhook.create", created, null, created, comment).map(created)));
    }

    /**
     * Changes a webhook. Enabling a disabled one starts it from now, as if new: what happened while
     * it was off is not sent.
     */
    Future<Webhook> update(String actor, String project, long id, Definition definition, Optional<String> comment) {
        return pool.withTransaction(tx -> get(tx, project, id, true)
                .compose(before -> tx.preparedQuery("""
                                UPDATE webhooks SET name = $2, url = $3, events = $4, format = $5, enabled = $6, updated_at = now(),
                                    cursor_xid = CASE WHEN $6 AND NOT enabled THEN pg_snapshot_xmin(pg_current_snapshot()) ELSE cursor_xid END,
                                    cursor_seq = CASE WHEN $6 AND NOT enabled THEN 0 ELSE cursor_seq END,
                                    failures = CASE WHEN $6 AND NOT enabled THEN 0 ELSE failures END,
                                    next_attempt_at = CASE WHEN $6 AND NOT enabled THEN now() ELSE next_attempt_at END
                                WHERE id = $1""")
                        .execute(Tuple.from(new Object[]{id, definition.name(), definition.url(),
                                definition.events().toArray(String[]::new), definition.format(), definition.enabled()}))
                        .compose(rows -> get(tx, project, id, false))
                        .compose(after -> audit(tx, actor, "webhook.update", after, before, after, comment).map(after))));
    }

    Future<Void> delete(String actor, String project, long id, Optional<String> comment) {
        return pool.withTransaction(tx -> get(tx, project, id, true)
                .compose(before -> tx.preparedQuery("DELETE FROM webhooks WHERE id = $1").execute(Tuple.of(id))
                        .compose(rows -> audit(tx, actor, "webhook.delete", before, before, null, comment))));
    }

    /** Replaces the signing secret; the caller shows the new one once. */
    Future<Webhook> rotate(String actor, String project, long id, String secret, Optional<String> comment) {
        return pool.withTransaction(tx -> get(tx, project, id, true)
                .compose(before -> tx.preparedQuery("UPDATE webhooks SET secret = $2, updated_at = now() WHERE id = $1")
                        .execute(Tuple.of(id, secret))
                        .compose(rows -> get(tx, project, id, false))
                        .compose(after -> audit(tx, actor, "webhook.secret", after, null, null, comment).map(after))));
    }

    Future<Page> deliveries(String project, long id, Paging paging) {
        long before = paging.afterSequence().orElse(Long.MAX_VALUE);
        return get(project, id).compose(hook -> pool.preparedQuery("""
                        SELECT id, event_seq, action, at, attempt, redelivery, status, error, response, duration_ms, succeeded
                        FROM webhook_deliveries WHERE webhook_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3""")
                .execute(Tuple.of(id, before, paging.limit() + 1))
                .map(rows -> {
                    List<Delivery> all = new ArrayList<>();
                    rows.forEach(row -> all.add(delivery(id, row)));
                    boolean more = all.size() > paging.limit();
                    List<Delivery> page = more ? all.subList(0, paging.limit()) : all;
                    return new Page(page, more ? Paging.cursorFor(page.get(page.size() - 1).id()) : null);
                }));
    }

    /** One past event of the webhook's project, with what is needed to send it again. */
    Future<Pending> event(String project, long id, long seq) {
        return pool.preparedQuery("""
                        SELECT w.id AS webhook, w.url, w.secret, w.format, w.failures, e.seq, e.at, e.actor, e.action, e.project,
                               e.environment, e.target_kind, e.target_key, e.before::text AS before, e.after::text AS after,
                               e.comment, e.deployment_id,
                   (SELECT d.service || ' ' || d.version FROM deployments d WHERE d.id = e.deployment_id) AS deployment_name
                        FROM webhooks w JOIN projects p ON p.id = w.project_id
                        JOIN audit_events e ON e.project = p.key AND e.seq = $3
                        WHERE p.key = $1 AND w.id = $2""")
                .execute(Tuple.of(project, id, seq))
                .compose(rows -> rows.size() == 0
                        ? get(project, id).compose(hook -> Future.failedFuture(
                                Failure.notFound("no event " + seq + " in project '" + project + "'")))
                        : Future.succeededFuture(pending(rows.iterator().next())));
    }

    // ---- the outbox

    /** Takes up to {@code limit} webhooks that have events due, for {@code leaseMillis}; their ids. */
    Future<List<Long>> claim(String owner, long leaseMillis, int limit) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(owner, leaseMillis, limit)).map(rows -> {
            List<Long> ids = new ArrayList<>();
            rows.forEach(row -> ids.add(row.getLong("id")));
            return ids;
        });
    }

    /** The next event due for a webhook this owner holds, if any. */
    Future<Optional<Pending>> next(long webhook, String owner) {
        return pool.preparedQuery(NEXT).execute(Tuple.of(webhook, owner))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(pending(rows.iterator().next())));
    }

    /**
     * Moves the cursor past a delivered event and logs the attempt, in one transaction; false when
     * the owner no longer holds the webhook (nothing is written then).
     */
    Future<Boolean> delivered(String owner, Pending pending, Attempt attempt, long leaseMillis) {
        return pool.withTransaction(tx -> tx.preparedQuery(DELIVERED)
                .execute(Tuple.of(pending.webhook(), owner, pending.event().seq(), leaseMillis))
                .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
                        : log(tx, pending, pending.failures() + 1, false, attempt).map(true)));
    }

    /** Logs a failed attempt, sets when to try again and lets the webhook go. */
    Future<Void> failed(String owner, Pending pending, Attempt attempt, long retryMillis) {
        return pool.withTransaction(tx -> tx.preparedQuery(FAILED).execute(Tuple.of(pending.webhook(), owner, retryMillis))
                .compose(rows -> rows.rowCount() == 0 ? Future.<Void>succeededFuture()
                        : log(tx, pending, pending.failures() + 1, false, attempt)));
    }

    /** Lets the webhook go, first skipping what it does not ask for when nothing is pending. */
    Future<Void> release(long webhook, String owner, boolean idle) {
        Future<RowSet<Row>> skipped = idle ? pool.preparedQuery(SKIP_AHEAD).execute(Tuple.of(webhook, owner))
                : Future.succeededFuture();
        return skipped.compose(v -> pool.preparedQuery(RELEASE).execute(Tuple.of(webhook, owner))).mapEmpty();
    }

    Future<Delivery> redelivered(Pending pending, Attempt attempt) {
        return pool.withTransaction(tx -> log(tx, pending, 1, true, attempt)
                .compose(v -> tx.preparedQuery("""
                                SELECT id, event_seq, action, at, attempt, redelivery, status, error, response, duration_ms, succeeded
                                FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT 1""")
                        .execute(Tuple.of(pending.webhook())))
                .map(rows -> delivery(pending.webhook(), rows.iterator().next())));
    }

    private static Future<Void> log(SqlClient tx, Pending pending, int attemptNumber, boolean redelivery, Attempt attempt) {
        return tx.preparedQuery(LOG).execute(Tuple.from(new Object[]{pending.webhook(), pending.event().seq(),
                        pending.event().action(), attemptNumber, redelivery, attempt.status(), attempt.error(), attempt.response(),
                        (int) Math.min(Integer.MAX_VALUE, attempt.durationMillis()), attempt.succeeded()}))
                .compose(v -> tx.preparedQuery(PRUNE).execute(Tuple.of(pending.webhook(), LOG_SIZE)))
                .mapEmpty();
    }

    // ---- rows

    private static Future<Webhook> get(SqlClient client, String project, long id, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM webhooks w JOIN projects p ON p.id = w.project_id"
                        + " WHERE p.key = $1 AND w.id = $2" + (lock ? " FOR UPDATE OF w" : ""))
                .execute(Tuple.of(project, id))
                .compose(rows -> rows.size() == 0
                        ? projectId(client, project).compose(exists -> Future.failedFuture(
                                Failure.notFound("no webhook " + id + " in project '" + project + "'")))
                        : Future.succeededFuture(webhook(rows.iterator().next())));
    }

    private static Future<Long> projectId(SqlClient client, String project) {
        return projectId(client, project, false);
    }

    /** The project's id; locked, it keeps concurrent creations from passing the limit together. */
    private static Future<Long> projectId(SqlClient client, String project, boolean lock) {
        return client.preparedQuery("SELECT id FROM projects WHERE key = $1" + (lock ? " FOR NO KEY UPDATE" : ""))
                .execute(Tuple.of(project))
                .compose(rows -> rows.size() == 0 ? Future.failedFuture(Failure.notFound("no project '" + project + "'"))
                        : Future.succeededFuture(rows.iterator().next().getLong("id")));
    }

    /** Webhook changes are audited like any other; the secret never goes into the record. */
    private static Future<Void> audit(SqlClient tx, String actor, String action, Webhook target, Webhook before, Webhook after,
                                      Optional<String> comment) {
        return AuditLog.append(tx, new Change(actor, action, target.project(), null, "webhook", Long.toString(target.id()),
                before == null ? null : auditView(before), after == null ? null : auditView(after), comment));
    }

    /** What the audit log keeps of a webhook: its settings, not its delivery state. */
    private static Map<String, Object> auditView(Webhook hook) {
        return Map.of("name", hook.name(), "url", hook.url(), "events", hook.events(), "format", hook.format(),
                "enabled", hook.enabled());
    }

    private static Webhook webhook(Row row) {
        return new Webhook(row.getLong("id"), row.getString("project"), row.getString("name"), row.getString("url"),
                Arrays.asList(row.getArrayOfStrings("events")), row.getString("format"), row.getBoolean("enabled"),
                row.getOffsetDateTime("created_at"), row.getString("created_by"), row.getOffsetDateTime("updated_at"),
                row.getInteger("failures"), row.getOffsetDateTime("next_attempt_at"));
    }

    private static Pending pending(Row row) {
        AuditEvent event = new AuditEvent(row.getLong("seq"), row.getOffsetDateTime("at"), row.getString("actor"),
                row.getString("action"), row.getString("project"), row.getString("environment"),
                row.getString("target_kind"), row.getString("target_key"), json(row.getString("before")),
                json(row.getString("after")), row.getString("comment"), row.getLong("deployment_id"),
                row.getString("deployment_name"));
        return new Pending(row.getLong("webhook"), row.getString("url"), row.getString("secret"), row.getString("format"),
                row.getInteger("failures"), event);
    }

    private static Delivery delivery(long webhook, Row row) {
        long seq = row.getLong("event_seq");
        return new Delivery(row.getLong("id"), Delivery.id(webhook, seq), seq, row.getString("action"),
                row.getOffsetDateTime("at"), row.getInteger("attempt"), row.getBoolean("redelivery"), row.getInteger("status"),
                row.getString("error"), row.getString("response"), row.getInteger("duration_ms"), row.getBoolean("succeeded"));
    }

    private static JsonNode json(String text) {
        return text == null ? null : Json.read(text, JsonNode.class);
    }
}
