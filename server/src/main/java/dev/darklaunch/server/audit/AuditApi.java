package dev.darklaunch.server.audit;

import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.http.ApiError;
import dev.darklaunch.server.http.Paging;
import dev.darklaunch.server.http.Responses;
import dev.darklaunch.server.projects.ProjectStore;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads the audit log, newest first, with cursor paging and filters. Read-only by design:
 * no route changes or deletes an event.
 */
public final class AuditApi {

    private final AuditStore audit;
    private final Pool pool;

    public AuditApi(Pool pool) {
        this.audit = new AuditStore(pool);
        this.pool = pool;
    }

    public void mount(Router router) {
        router.get("/api/v1/audit").handler(this::all);
        router.get("/api/v1/projects/:project/audit").handler(this::project);
    }

    private void all(RoutingContext ctx) {
        Caller.of(ctx).requireAdmin();
        String project = ctx.request().getParam("project");
        reply(ctx, audit.find(filter(ctx, project), Paging.from(ctx)));
    }

    private void project(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        AuditStore.Filter filter = filter(ctx, project);
        Paging paging = Paging.from(ctx);
        reply(ctx, ProjectStore.scope(pool, project).compose(scope -> audit.find(filter, paging)));
    }

    /** Reads the query parameters; a bad one fails the request with 400 before anything is read. */
    private static AuditStore.Filter filter(RoutingContext ctx, String project) {
        return new AuditStore.Filter(project, text(ctx, "flag"), text(ctx, "segment"),
                text(ctx, "environment"), number(ctx, "deployment"), time(ctx, "since"), time(ctx, "until"));
    }

    private static void reply(RoutingContext ctx, Future<AuditStore.Page> found) {
        found.onSuccess(page -> Responses.page(ctx, page.items(), page.next())).onFailure(ctx::fail);
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
}
