package dev.darklaunch.server.audit;

import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.EventStreamResponse;
import dev.darklaunch.server.projects.ProjectStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/projects/{project}/events}: the project's audit events as they are committed,
 * for anyone who may read the project (see {@link ProjectEvents}). Resumes after the
 * {@code Last-Event-ID} header, or the {@code lastEventId} query parameter for a first connection
 * (a browser's EventSource cannot set headers).
 */
public final class ProjectEventsApi {

    private final ProjectEvents events;
    private final ProjectStore projects;

    public ProjectEventsApi(ProjectEvents events, ProjectStore projects) {
        this.events = events;
        this.projects = projects;
    }

    public void mount(Router router) {
        router.get("/api/v1/projects/:project/events").handler(this::stream);
    }

    private void stream(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireRead(project);
        Long after = after(ctx);
        boolean headersOnly = ctx.request().method() == HttpMethod.HEAD;
        projects.scope(project)
                .compose(scope -> {
                    if (headersOnly) {
                        EventStreamResponse.answerHead(ctx.response());
                        return Future.succeededFuture();
                    }
                    return events.open(ctx.response(), project, caller, after);
                })
                .onFailure(ctx::fail);
    }

    /** Where to resume: the header wins (it is what a reconnecting EventSource sends); a bad header is ignored. */
    private static Long after(RoutingContext ctx) {
        Long header = sequence(ctx.request().getHeader("Last-Event-ID"));
        if (header != null) {
            return header;
        }
        String parameter = ctx.request().getParam("lastEventId");
        if (parameter == null || parameter.isEmpty()) {
            return null;
        }
        Long value = sequence(parameter);
        if (value == null) {
            throw Failure.invalid("lastEventId", "lastEventId must be the id (audit sequence) of an event, such as 42");
        }
        return value;
    }

    private static Long sequence(String text) {
        if (text == null || text.isBlank() || text.trim().length() > 19) {
            return null;
        }
        try {
            long value = Long.parseLong(text.trim());
            return value >= 0 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
