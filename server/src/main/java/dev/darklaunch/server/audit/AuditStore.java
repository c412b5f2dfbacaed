package dev.darklaunch.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.store.Paging;
import dev.darklaunch.server.store.Json;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Reads audit events, newest first; {@link dev.darklaunch.server.changes.AuditLog} is the only writer. */
public final class AuditStore {

    /** What to read: each filter is optional (null). */
    public record Filter(String project, String flag, String segment, String environment, Long deployment,
                         OffsetDateTime since, OffsetDateTime until, String actor, String action) {
    }

    /** One page of events; {@code next} is the cursor of the following page, if any. */
    public record Page(List<AuditEvent> items, String next) {
    }

    /**
     * How people name the deployment of an event ("checkout 1.4.2"): the event carries only its id,
     * and the history reads better with the service and version (they never change once recorded).
     */
    private static final String DEPLOYMENT_NAME = """
            (SELECT d.service || ' ' || d.version FROM deployments d WHERE d.id = audit_events.deployment_id)""";

    private static final String COLUMNS = """
            SELECT seq, at, actor, action, project, environment, target_kind, target_key, before::text AS before,
                   after::text AS after, comment, deployment_id, """ + DEPLOYMENT_NAME + """
             AS deployment_name

            FROM audit_events""";

    private static final String QUERY = COLUMNS + """

            WHERE ($1::text IS NULL OR project = $1)
              AND ($2::text IS NULL OR (target_kind = 'flag' AND target_key = $2))
              AND ($3::text IS NULL OR (target_kind = 'segment' AND target_key = $3))
              AND ($4::text IS NULL OR environment = $4)
              AND ($5::bigint IS NULL OR deployment_id = $5)
              AND ($6::timestamptz IS NULL OR at >= $6)
              AND ($7::timestamptz IS NULL OR at < $7)
              AND ($8::bigint IS NULL OR seq < $8)
              AND ($10::text IS NULL OR strpos(lower(actor), lower($10)) > 0)
              AND ($11::text IS NULL OR action = $11 OR (right($11, 2) = '.*'
                   AND (action = left($11, -2) OR starts_with(action, left($11, -2) || '.'))))
            ORDER BY seq DESC LIMIT $9""";

    /**
     * The audit log in sequence order after {@code seq}: every event's sequence, and the event
     * itself only when it belongs to the project (so gaps in the sequence can be told apart from
     * other projects' events).
     */
    private static final String FOLLOWING = """
            SELECT seq, project, at, actor, action, environment, target_kind, target_key,
                   CASE WHEN project = $2 THEN before::text END AS before, CASE WHEN project = $2 THEN after::text END AS after,
                   comment, deployment_id, CASE WHEN project = $2 THEN """ + DEPLOYMENT_NAME + """
             END AS deployment_name, (extract(epoch FROM statement_timestamp() - at) * 1000)::bigint AS age_ms
            FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $3""";

    /**
     * One place in the audit sequence; {@code event} is null when it belongs to another project.
     * {@code ageMillis} is how long ago its transaction started, by the database's clock.
     */
    public record Next(long seq, AuditEvent event, long ageMillis) {
    }

    private final Pool pool;

    public AuditStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * What happened in one environment, newest first: its changes, and everything recorded for the
     * deployments made to it (including the flags they created project-wide).
     */
    private static final String TIMELINE = COLUMNS + """

            WHERE project = $1
              AND (environment = $2 OR deployment_id IN (
                    SELECT d.id FROM deployments d JOIN environments e ON e.id = d.environment_id
                    JOIN projects p ON p.id = d.project_id WHERE p.key = $1 AND e.key = $2))
              AND ($3::timestamptz IS NULL OR at >= $3)
              AND ($4::timestamptz IS NULL OR at < $4)
              AND ($5::bigint IS NULL OR seq < $5)
            ORDER BY seq DESC LIMIT $6""";

    public Future<Page> find(Filter filter, Paging paging) {
        return page(QUERY, new Object[]{filter.project(), filter.flag(), filter.segment(), filter.environment(),
                filter.deployment(), filter.since(), filter.until(), paging.afterSequence().orElse(null), paging.limit() + 1,
                filter.actor(), filter.action()}, paging);
    }

    public Future<Page> timeline(String project, String environment, OffsetDateTime since, OffsetDateTime until, Paging paging) {
        return page(TIMELINE, new Object[]{project, environment, since, until, paging.afterSequence().orElse(null),
                paging.limit() + 1}, paging);
    }

    private Future<Page> page(String query, Object[] params, Paging paging) {
        return pool.preparedQuery(query).execute(Tuple.from(params)).map(rows -> {
            List<AuditEvent> events = new ArrayList<>();
            rows.forEach(row -> events.add(event(row)));
            boolean more = events.size() > paging.limit();
            List<AuditEvent> page = more ? events.subList(0, paging.limit()) : events;
            return new Page(page, more ? Paging.cursorFor(page.get(page.size() - 1).seq()) : null);
        });
    }

    /** Up to {@code limit} places of the sequence after {@code seq}, in order, with the project's events. */
    public Future<List<Next>> following(long seq, String project, int limit) {
        return pool.preparedQuery(FOLLOWING).execute(Tuple.tuple().addLong(seq).addString(project).addInteger(limit))
                .map(rows -> {
                    List<Next> next = new ArrayList<>(rows.size());
                    rows.forEach(row -> next.add(new Next(row.getLong("seq"),
                            project.equals(row.getString("project")) ? event(row) : null, row.getLong("age_ms"))));
                    return next;
                });
    }

    /** The highest sequence committed so far (0 when the log is empty). */
    public Future<Long> latest() {
        return pool.query("SELECT coalesce(max(seq), 0) AS seq FROM audit_events").execute()
                .map(rows -> rows.iterator().next().getLong("seq"));
    }

    private static AuditEvent event(Row row) {
        return new AuditEvent(row.getLong("seq"), row.getOffsetDateTime("at"), row.getString("actor"), row.getString("action"),
                row.getString("project"), row.getString("environment"), row.getString("target_kind"),
                row.getString("target_key"), json(row.getString("before")), json(row.getString("after")),
                row.getString("comment"), row.getLong("deployment_id"), row.getString("deployment_name"));
    }

    private static JsonNode json(String text) {
        return text == null ? null : Json.read(text, JsonNode.class);
    }
}
