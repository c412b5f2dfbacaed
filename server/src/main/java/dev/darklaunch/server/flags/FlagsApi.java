package dev.darklaunch.server.flags;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.JsonBody.Body;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.QueryParams;
import dev.darklaunch.server.http.Responses;
import dev.darklaunch.server.http.Versions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/** {@code /api/v1/projects/{project}/flags}: definitions, per-environment configuration, on/off. */
public final class FlagsApi {

    private static final String FLAGS = "/api/v1/projects/:project/flags";
    private static final String CONFIG = FLAGS + "/:flag/environments/:env";

    private final FlagWrites writes;
    private final FlagStore flags;

    public FlagsApi(FlagWrites writes, FlagStore flags) {
        this.writes = writes;
        this.flags = flags;
    }

    public void mount(Router router) {
        router.get(FLAGS).handler(this::list);
        router.post(FLAGS).handler(this::create);
        router.get(FLAGS + "/:flag").handler(this::get);
        router.put(FLAGS + "/:flag").handler(this::update);
        router.delete(FLAGS + "/:flag").handler(this::delete);
        router.get(CONFIG).handler(this::getConfig);
        router.put(CONFIG).handler(this::putConfig);
        router.post(CONFIG + "/on").handler(ctx -> setOn(ctx, true));
        router.post(CONFIG + "/off").handler(ctx -> setOn(ctx, false));
    }

    private void list(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        FlagStore.Filter filter = new FlagStore.Filter(QueryParams.text(ctx, "tag"), QueryParams.text(ctx, "q"), archived(ctx));
        flags.list(project, filter, QueryParams.paging(ctx))
                .onSuccess(page -> Responses.page(ctx, page.items(), page.next()))
                .onFailure(ctx::fail);
    }

    private void create(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        Body<Flag> body = JsonBody.read(ctx, Flag.class);
        writes.create(caller.actor(), project, body.value(), body.comment())
                .onSuccess(flag -> Responses.created(ctx, "/api/v1/projects/" + project + "/flags/" + flag.flag().key(),
                        flag.version(), flag))
                .onFailure(ctx::fail);
    }

    private void get(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        Responses.reply(ctx, flags.get(project, ctx.pathParam("flag")));
    }

    private void update(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        Body<Flag> body = JsonBody.read(ctx, Flag.class);
        Responses.reply(ctx, writes.update(caller.actor(), project, ctx.pathParam("flag"), body.value(),
                Versions.ifMatch(ctx), body.comment()));
    }

    private void delete(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        Optional<String> comment = JsonBody.commentOnly(ctx);
        writes.delete(caller.actor(), project, ctx.pathParam("flag"), Versions.ifMatch(ctx), comment)
                .onSuccess(v -> Responses.noContent(ctx))
                .onFailure(ctx::fail);
    }

    private void getConfig(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        Responses.reply(ctx, flags.config(project, ctx.pathParam("flag"), ctx.pathParam("env")));
    }

    private void putConfig(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        Body<FlagConfig> body = JsonBody.read(ctx, FlagConfig.class);
        Responses.reply(ctx, writes.putConfig(caller.actor(), project, ctx.pathParam("flag"), ctx.pathParam("env"),
                body.value(), Versions.ifMatch(ctx), body.comment()));
    }

    private void setOn(RoutingContext ctx, boolean on) {
        String project = ctx.pathParam("project");
        String environment = ctx.pathParam("env");
        Caller caller = Caller.of(ctx);
        caller.requireToggle(project, environment);
        Optional<String> comment = JsonBody.commentOnly(ctx);
        Responses.reply(ctx, writes.setOn(caller.actor(), project, ctx.pathParam("flag"), environment, on,
                Versions.ifMatch(ctx), comment));
    }

    private static boolean archived(RoutingContext ctx) {
        String value = ctx.request().getParam("archived");
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw Failure.invalid("archived", "archived must be true or false");
    }
}
