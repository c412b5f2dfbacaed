package dev.darklaunch.server.audit;

import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.store.Paging;
import dev.darklaunch.server.http.QueryParams;
import dev.darklaunch.server.http.Responses;
import dev.darklaunch.server.projects.ProjectStore;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.regex.Pattern;


/**
 * Reads the audit log, newest first, with cursor paging and filters (by target, environment,
 * deployment, time, who — any part of the actor, case-insensitive — and what). Read-only by design:
 * no route changes or deletes an event.
 */
public final class AuditApi {

    private static final Pattern ACTION = Pattern.compile("[a-z]+(\\.[a-z]+)*(\\.\\*)?");

    private final AuditStore audit;
    private final ProjectStore projects;

    public AuditApi(AuditStore audit, ProjectStore projects) {
        this.audit = audit;
        this.projects = projects;
    }

    public void mount(Router router) {
        router.get("/api/v1/audit").handler(this::all);
        router.get("/api/v1/projects/:project/audit").handler(this::project);
    }

    private void all(RoutingContext ctx) {
        Caller.of(ctx).requireAdmin();
        String project = ctx.request().getParam("project");
        reply(ctx, audit.find(filter(ctx, project), QueryParams.paging(ctx)));
    }

    private void project(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        AuditStore.Filter filter = filter(ctx, project);
        Paging paging = QueryParams.paging(ctx);
        reply(ctx, projects.scope(project).compose(scope -> audit.find(filter, paging)));
    }

    /** Reads the query parameters; a bad one fails the request with 400 before anything is read. */
    private static AuditStore.Filter filter(RoutingContext ctx, String project) {
        return new AuditStore.Filter(project, text(ctx, "flag"), text(ctx, "segment"), text(ctx, "environment"),
                QueryParams.number(ctx, "deployment", "a deployment id").orElse(null),
                QueryParams.time(ctx, "since").orElse(null), QueryParams.time(ctx, "until").orElse(null),
                QueryParams.text(ctx, "actor").orElse(null), action(ctx));
    }

    /** An action such as {@code flag.off}, or a kind of actions ({@code flag.*}, {@code deployment.release.*}). */
    private static String action(RoutingContext ctx) {
        return QueryParams.text(ctx, "action").map(action -> {
            if (!ACTION.matcher(action).matches()) {
                throw Failure.invalid("action", "action must be an audit action such as flag.off, or a kind of actions "
                        + "such as flag.* or deployment.release.* (lower-case words joined by dots)");
            }
            return action;
        }).orElse(null);
    }

    /** Exact text: audit filters compare as given, without stripping. */
    private static String text(RoutingContext ctx, String name) {
        return QueryParams.text(ctx, name).map(stripped -> ctx.request().getParam(name)).orElse(null);
    }

    private static void reply(RoutingContext ctx, Future<AuditStore.Page> found) {
        found.onSuccess(page -> Responses.page(ctx, page.items(), page.next())).onFailure(ctx::fail);
    }
}
