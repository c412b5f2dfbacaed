package dev.darklaunch.server.tracking;

import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.QueryParams;
import dev.darklaunch.server.http.Responses;
import dev.darklaunch.server.projects.ProjectStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/projects/{project}/environments/{env}/tracked-events}: the events applications
 * tracked through the SDK, per minute and event name (count and value sum), oldest first. For
 * anyone who may read the project. At most {@value #MAX_ITEMS} sums per answer: a wider range is
 * refused with a message rather than cut silently.
 */
public final class TrackedEventsApi {

    static final int MAX_ITEMS = 10_000;
    private static final Duration DEFAULT_RANGE = Duration.ofHours(1);

    private final ProjectStore projects;
    private final EventSumStore store;

    public TrackedEventsApi(ProjectStore projects, EventSumStore store) {
        this.projects = projects;
        this.store = store;
    }

    public void mount(Router router) {
        router.get("/api/v1/projects/:project/environments/:env/tracked-events").handler(this::list);
    }

    private void list(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        OffsetDateTime until = QueryParams.time(ctx, "until")
                .orElseGet(() -> OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1));
        OffsetDateTime since = QueryParams.time(ctx, "since").orElse(until.minus(DEFAULT_RANGE));
        if (until.isBefore(since)) {
            throw Failure.invalid("until", "until must not be before since");
        }
        String event = QueryParams.text(ctx, "event").orElse(null);
        projects.scope(project, ctx.pathParam("env"))
                .compose(scope -> store.read(scope.environmentId(), since, until, event, MAX_ITEMS + 1))
                .onSuccess(sums -> {
                    if (sums.size() > MAX_ITEMS) {
                        ctx.fail(Failure.invalid("since", "more than " + MAX_ITEMS
                                + " sums in this range; narrow it with since and until, or ask for one event"));
                        return;
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("since", since);
                    body.put("until", until);
                    body.put("items", sums);
                    Responses.ok(ctx, body);
                })
                .onFailure(ctx::fail);
    }
}
