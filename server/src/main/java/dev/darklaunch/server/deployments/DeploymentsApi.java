package dev.darklaunch.server.deployments;

import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.JsonBody.Body;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.store.Paging;
import dev.darklaunch.server.http.QueryParams;
import dev.darklaunch.server.http.Responses;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Optional;

/**
 * {@code /api/v1/projects/{project}/deployments}: what pipelines shipped, and the release and
 * rollback of the flags that came with it. A pipeline token may do all of this in its own
 * environments and nothing else; the changes it makes are confined to the deployment's flags.
 */
public final class DeploymentsApi {

    private static final String DEPLOYMENTS = "/api/v1/projects/:project/deployments";
    private static final String DEPLOYMENT = DEPLOYMENTS + "/:id";
    private static final List<String> STATUSES = List.of(Deployment.STARTED, Deployment.SUCCEEDED, Deployment.FAILED,
            Deployment.ROLLED_BACK);

    /** Body of {@code POST …/deployments}. */
    record NewDeploymentBody(String service, String version, String environment, String commit, String url,
                             List<String> flags, String status) {
    }

    /** Body of {@code PATCH …/deployments/{id}}. */
    record StatusBody(String status) {
    }

    private final DeploymentRecords deployments;
    private final Releases releases;

    public DeploymentsApi(DeploymentRecords deployments, Releases releases) {
        this.deployments = deployments;
        this.releases = releases;
    }

    public void mount(Router router) {
        router.get(DEPLOYMENTS).handler(this::list);
        router.post(DEPLOYMENTS).handler(this::create);
        router.get(DEPLOYMENT).handler(this::get);
        router.patch(DEPLOYMENT).handler(this::setStatus);
        router.post(DEPLOYMENT + "/release").handler(this::release);
        router.post(DEPLOYMENT + "/release/pause").handler(ctx -> act(ctx, JsonBody.commentOnly(ctx), releases::pause));
        router.post(DEPLOYMENT + "/release/resume").handler(ctx -> act(ctx, JsonBody.commentOnly(ctx), releases::resume));
        router.post(DEPLOYMENT + "/rollback").handler(ctx -> act(ctx, JsonBody.commentOnly(ctx), releases::rollback));
    }

    private void list(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        DeploymentFilter filter = new DeploymentFilter(QueryParams.text(ctx, "service").orElse(null),
                QueryParams.text(ctx, "environment").orElse(null), QueryParams.oneOf(ctx, "status", STATUSES).orElse(null),
                QueryParams.time(ctx, "since").orElse(null), QueryParams.time(ctx, "until").orElse(null));
        Paging paging = QueryParams.paging(ctx);
        deployments.list(project, filter, paging.limit(), () -> paging.afterSequence().orElse(null))
                .onSuccess(page -> Responses.page(ctx, page.items(), page.lastId() == null ? null : Paging.cursorFor(page.lastId())))
                .onFailure(ctx::fail);
    }

    private void create(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        Body<NewDeploymentBody> body = JsonBody.read(ctx, NewDeploymentBody.class);
        NewDeploymentBody sent = body.value();
        NewDeployment deployment = NewDeployment.of(idempotencyKey(ctx), sent.service(), sent.version(), sent.environment(),
                sent.commit(), sent.url(), sent.flags(), sent.status());
        caller.requireDeploy(project, deployment.environment());
        deployments.record(caller.actor(), project, deployment, body.comment())
                .onSuccess(recorded -> {
                    ctx.response().putHeader("Location", "/api/v1/projects/" + project + "/deployments/" + recorded.deployment().id());
                    Responses.json(ctx, recorded.repeated() ? 200 : 201, recorded.deployment());
                })
                .onFailure(ctx::fail);
    }

    private void get(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        deployments.get(project, id(ctx)).onSuccess(found -> Responses.ok(ctx, found)).onFailure(ctx::fail);
    }

    private void setStatus(RoutingContext ctx) {
        Body<StatusBody> body = JsonBody.read(ctx, StatusBody.class);
        String status = body.value().status();
        if (status == null || !STATUSES.contains(status)) {
            throw Failure.invalid("status", "status must be one of " + String.join(", ", STATUSES));
        }
        act(ctx, body.comment(), (actor, project, id, comment) -> deployments.reportStatus(actor, project, id, status, comment));
    }

    private void release(RoutingContext ctx) {
        Body<ReleasePlan.Request> body = JsonBody.readOptional(ctx, ReleasePlan.Request.class, new ReleasePlan.Request(null));
        ReleasePlan plan = ReleasePlan.of(body.value());
        act(ctx, body.comment(), (actor, project, id, comment) -> releases.release(actor, project, id, plan, comment));
    }

    /** An action on one deployment: whoever may deploy to its environment may take it. */
    private interface Action {
        Future<Deployment> apply(String actor, String project, long id, Optional<String> comment);
    }

    private void act(RoutingContext ctx, Optional<String> comment, Action action) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        long id = id(ctx);
        caller.requireRead(project);
        deployments.environmentOf(project, id)
                .compose(environment -> {
                    caller.requireDeploy(project, environment);
                    return action.apply(caller.actor(), project, id, comment);
                })
                .onSuccess(deployment -> Responses.ok(ctx, deployment))
                .onFailure(ctx::fail);
    }

    static long id(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        try {
            long value = Long.parseLong(id);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw Failure.notFound("no deployment '" + (id.length() > 40 ? id.substring(0, 40) + "…" : id)
                + "' in project '" + ctx.pathParam("project") + "'; deployment ids are whole numbers");
    }

    /**
     * The optional {@code Idempotency-Key} header: a pipeline that retries sends the same key, and
     * the deployment is recorded once (the retry answers 200 with it).
     */
    private static String idempotencyKey(RoutingContext ctx) {
        return ctx.request().getHeader("Idempotency-Key");
    }
}
