package dev.darklaunch.server.deployments;

import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.store.Paging;
import dev.darklaunch.server.http.QueryParams;
import dev.darklaunch.server.http.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.OffsetDateTime;

/**
 * {@code GET /api/v1/projects/{project}/environments/{env}/timeline}: the environment's
 * {@link Timeline}, newest first, paged.
 */
public final class TimelineApi {

    private final Timeline timeline;

    public TimelineApi(Timeline timeline) {
        this.timeline = timeline;
    }

    public void mount(Router router) {
        router.get("/api/v1/projects/:project/environments/:env/timeline").handler(this::timeline);
    }

    private void timeline(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        String environment = ctx.pathParam("env");
        Caller.of(ctx).requireRead(project);
        OffsetDateTime since = QueryParams.time(ctx, "since").orElse(null);
        OffsetDateTime until = QueryParams.time(ctx, "until").orElse(null);
        Paging paging = QueryParams.paging(ctx);
        timeline.of(project, environment, since, until, paging)
                .onSuccess(page -> Responses.page(ctx, page.items(), page.next()))
                .onFailure(ctx::fail);
    }
}
