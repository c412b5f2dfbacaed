package dev.darklaunch.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.http.ApiError;
import dev.darklaunch.server.http.Paging;
import dev.darklaunch.server.http.Responses;
import dev.darklaunch.server.projects.ProjectStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the audit log, newest first, with cursor paging and filters. Read-only by design:
 * no route changes or deletes an event.
 */
public final class AuditApi {

    private static final String QUERY = """
            SELECT seq, at, actor, action, project, environment, target_kind, target_key, before::text AS before,
                   after::text AS after, comment, deployment_id
            FROM audit_events
            WHERE ($1::text IS NULL OR project = $1)
              AND ($2::text IS NULL OR (target_kind = 'flag' AND target_key = $2))
              AND ($3::text IS NULL OR (target_kind = 'segment' AND target_key = $3))
              AND ($4::text IS NULL OR environment = $4)
              AND ($5::bigint IS NULL OR deployment_id = $5)
              AND ($6::timestamptz IS NULL OR at >= $6)
              AND ($7::timestamptz IS NULL OR at < $7)
              AND ($8::bigint IS NULL OR seq < $8)
            ORDER BY seq DESC LIMIT $9""";

    private final Pool pool;

    public AuditApi(Pool pool) {
        this.pool = pool;
    }

    public void mount(Router router) {
        router.get("/api/v1/audit").handler(this::all);
        router.get("/api/v1/projects/:project/audit").handler(this::project);
    }

    private void all(RoutingContext ctx) {
        Caller.of(ctx).requireAdmin();
        query(ctx, ctx.request().getParam("project"));
    }

    private void project(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        ProjectStore.scope(pool, project).onSuccess(scope -> query(ctx, project)).onFailure(ctx::fail);
    }

    private void query(RoutingContext ctx, String project) {
        Paging paging = Paging.from(ctx);
        Object[] params = {project, text(ctx, "flag"), text(ctx, "segment"), text(ctx, "environment"),
                number(ctx, "deployment"), time(ctx, "since"), time(ctx, "until"), paging.afterSequence().orElse(null),
                paging.limit() + 1};
        pool.preparedQuery(QUERY).execute(Tuple.from(params))
                .map(rows -> {
                    List<AuditEvent> events = new ArrayList<>();
                    rows.forEach(row -> events.add(event(row)));
                    boolean more = events.size() > paging.limit();
                    List<AuditEvent> page = more ? events.subList(0, paging.limit()) : events;
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("items", page);
                    body.put("next", more ? Paging.cursorFor(page.get(page.size() - 1).seq()) : null);
                    return body;
                })
                .onSuccess(body -> Responses.ok(ctx, body))
                .onFailure(ctx::fail);
    }

    private static String text(RoutingContext ctx, String name) {
        String value = ctx.request().getParam(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > 200 || value.indexOf('\0') >= 0) {
            throw ApiError.invalid(name, name + " must be at most 200 characters of text");
        }
        return value;
    }

    private static Long number(RoutingContext ctx, String name) {
        String value = text(ctx, name);
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            throw ApiError.invalid(name, name + " must be a deployment id (a whole number)");
        }
    }

    private static OffsetDateTime time(RoutingContext ctx, String name) {
        String value = text(ctx, name);
        try {
            return value == null ? null : OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiError.invalid(name, name + " must be a time such as 2026-11-26T14:02:00Z");
        }
    }

    private static AuditEvent event(Row row) {
        return new AuditEvent(row.getLong("seq"), row.getOffsetDateTime("at"), row.getString("actor"), row.getString("action"),
                row.getString("project"), row.getString("environment"), row.getString("target_kind"),
                row.getString("target_key"), json(row.getString("before")), json(row.getString("after")),
                row.getString("comment"), row.getLong("deployment_id"));
    }

    private static JsonNode json(String text) {
        return text == null ? null : dev.darklaunch.server.store.Json.read(text, JsonNode.class);
    }
}
