package dev.darklaunch.server.segments;

import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.JsonBody.Body;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.Responses;
import dev.darklaunch.server.http.Versions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;


/** {@code /api/v1/projects/{project}/segments}: definitions and per-environment members and rules. */
public final class SegmentsApi {

    private static final String SEGMENTS = "/api/v1/projects/:project/segments";

    private final SegmentWrites writes;
    private final SegmentStore segments;

    public SegmentsApi(SegmentWrites writes, SegmentStore segments) {
        this.writes = writes;
        this.segments = segments;
    }

    public void mount(Router router) {
        router.get(SEGMENTS).handler(this::list);
        router.post(SEGMENTS).handler(this::create);
        router.get(SEGMENTS + "/:segment").handler(this::get);
        router.put(SEGMENTS + "/:segment").handler(this::update);
        router.delete(SEGMENTS + "/:segment").handler(this::delete);
        router.get(SEGMENTS + "/:segment/environments/:env").handler(this::getConfig);
        router.put(SEGMENTS + "/:segment/environments/:env").handler(this::putConfig);
    }

    private void list(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        Responses.list(ctx, segments.list(project));
    }

    private void create(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        Body<Segment> body = JsonBody.read(ctx, Segment.class);
        validate(body.value());
        writes.create(caller.actor(), project, body.value(), body.comment())
                .onSuccess(segment -> Responses.created(ctx, "/api/v1/projects/" + project + "/segments/" + segment.segment().key(),
                        segment.version(), segment))
                .onFailure(ctx::fail);
    }

    private void get(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        Responses.reply(ctx, segments.get(project, ctx.pathParam("segment")));
    }

    private void update(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        Body<Segment> body = JsonBody.read(ctx, Segment.class);
        validate(body.value());
        Responses.reply(ctx, writes.update(caller.actor(), project, ctx.pathParam("segment"), body.value(), Versions.ifMatch(ctx), body.comment()));
    }

    private void delete(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        writes.delete(caller.actor(), project, ctx.pathParam("segment"), Versions.ifMatch(ctx), JsonBody.commentOnly(ctx))
                .onSuccess(v -> Responses.noContent(ctx))
                .onFailure(ctx::fail);
    }

    private void getConfig(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        Responses.reply(ctx, segments.config(project, ctx.pathParam("segment"), ctx.pathParam("env")));
    }

    private void putConfig(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        Body<SegmentConfig> body = JsonBody.read(ctx, SegmentConfig.class);
        Responses.reply(ctx, writes.putConfig(caller.actor(), project, ctx.pathParam("segment"), ctx.pathParam("env"), body.value(),
                        Versions.ifMatch(ctx), body.comment()));
    }

    private static void validate(Segment segment) {
        ModelValidator.validateKey("key", segment.key());
        if (segment.name() == null || segment.name().isBlank() || segment.name().length() > 200) {
            throw Failure.invalid("name", "name is required, at most 200 characters");
        }
        if (segment.description() != null && segment.description().length() > 2000) {
            throw Failure.invalid("description", "description is at most 2000 characters");
        }
    }
}
