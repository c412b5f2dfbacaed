package dev.darklaunch.server.deployments;

import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.JsonBody.Body;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.QueryParams;
import dev.darklaunch.server.http.Responses;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/projects/{project}/deployments}: what pipelines shipped, and the release and
 * rollback of the flags that came with it. A pipeline token may do all of this in its own
 * environments and nothing else; the changes it makes are confined to the deployment's flags.
 */
public final class DeploymentsApi {

    private static final String DEPLOYMENTS = "/api/v1/projects/:project/deployments";
    private static final String DEPLOYMENT = DEPLOYMENTS + "/:id";
    static final int MAX_FLAGS = 100;
    private static final int MAX_TEXT = 100;
    private static final int MAX_URL = 2000;
    private static final int MAX_IDEMPOTENCY_KEY = 200;
    private static final List<String> STATUSES = List.of(Deployment.STARTED, Deployment.SUCCEEDED, Deployment.FAILED,
            Deployment.ROLLED_BACK);

    /** Body of {@code POST …/deployments}. */
    record NewDeploymentBody(String service, String version, String environment, String commit, String url,
                             List<String> flags, String status) {
    }

    /** Body of {@code PATCH …/deployments/{id}}. */
    record StatusBody(String status) {
    }

    private final DeploymentStore deployments;

    public DeploymentsApi(DeploymentStore deployments) {
        this.deployments = deployments;
    }

    public void mount(Router router) {
        router.get(DEPLOYMENTS).handler(this::list);
        router.post(DEPLOYMENTS).handler(this::create);
        router.get(DEPLOYMENT).handler(this::get);
        router.patch(DEPLOYMENT).handler(this::setStatus);
        router.post(DEPLOYMENT + "/release").handler(this::release);
        router.post(DEPLOYMENT + "/release/pause").handler(ctx -> act(ctx, JsonBody.commentOnly(ctx), deployments::pause));
        router.post(DEPLOYMENT + "/release/resume").handler(ctx -> act(ctx, JsonBody.commentOnly(ctx), deployments::resume));
        router.post(DEPLOYMENT + "/rollback").handler(ctx -> act(ctx, JsonBody.commentOnly(ctx), deployments::rollback));
    }

    private void list(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        DeploymentStore.Filter filter = new DeploymentStore.Filter(QueryParams.text(ctx, "service").orElse(null),
                QueryParams.text(ctx, "environment").orElse(null), QueryParams.oneOf(ctx, "status", STATUSES).orElse(null),
                QueryParams.time(ctx, "since").orElse(null), QueryParams.time(ctx, "until").orElse(null));
        deployments.list(project, filter, QueryParams.paging(ctx))
                .onSuccess(page -> Responses.page(ctx, page.items(), page.next()))
                .onFailure(ctx::fail);
    }

    private void create(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        Body<NewDeploymentBody> body = JsonBody.read(ctx, NewDeploymentBody.class);
        DeploymentStore.NewDeployment deployment = validate(body.value(), idempotencyKey(ctx));
        caller.requireDeploy(project, deployment.environment());
        deployments.create(caller.actor(), project, deployment, body.comment())
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
        act(ctx, body.comment(), (actor, project, id, comment) -> deployments.setStatus(actor, project, id, status, comment));
    }

    private void release(RoutingContext ctx) {
        Body<ReleasePlan.Request> body = JsonBody.readOptional(ctx, ReleasePlan.Request.class, new ReleasePlan.Request(null));
        ReleasePlan plan = ReleasePlan.of(body.value());
        act(ctx, body.comment(), (actor, project, id, comment) -> deployments.release(actor, project, id, plan, comment));
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

    private static long id(RoutingContext ctx) {
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
        String key = ctx.request().getHeader("Idempotency-Key");
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            throw Failure.invalid("Idempotency-Key", "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY
                    + " visible ASCII characters, such as the pipeline's run id");
        }
        return key;
    }

    /** Checks everything a pipeline sends before anything is written. */
    static DeploymentStore.NewDeployment validate(NewDeploymentBody body, String idempotencyKey) {
        String service = text("service", body.service(), true, false);
        String version = text("version", body.version(), true, true);
        String commit = text("commit", body.commit(), false, true);
        if (body.environment() == null) {
            throw Failure.invalid("environment", "environment is required: the key of the environment deployed to");
        }
        ModelValidator.validateKey("environment", body.environment());
        String url = url(body.url());
        List<String> flags = body.flags() == null ? List.of() : body.flags();
        if (flags.size() > MAX_FLAGS) {
            throw Failure.invalid("flags", "a deployment ships at most " + MAX_FLAGS + " flags");
        }
        Set<String> seen = new HashSet<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < flags.size(); i++) {
            String field = "flags[" + i + "]";
            String key = flags.get(i);
            ModelValidator.validateKey(field, key);
            if (!seen.add(key)) {
                throw Failure.invalid(field, "flag '" + key + "' is listed twice");
            }
            keys.add(key);
        }
        String status = body.status() == null ? Deployment.STARTED : body.status();
        if (!status.equals(Deployment.STARTED) && !status.equals(Deployment.SUCCEEDED)) {
            throw Failure.invalid("status", "a deployment is recorded as started or succeeded; report a failure"
                    + " with PATCH …/deployments/{id} once it is recorded");
        }
        return new DeploymentStore.NewDeployment(service, version, body.environment(), commit, url, keys, status, idempotencyKey);
    }

    private static String text(String field, String value, boolean required, boolean noSpaces) {
        if (value == null) {
            if (required) {
                throw Failure.invalid(field, field + " is required");
            }
            return null;
        }
        String stripped = value.strip();
        if (stripped.isEmpty() || stripped.length() > MAX_TEXT) {
            throw Failure.invalid(field, field + " must be 1 to " + MAX_TEXT + " characters");
        }
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (Character.isISOControl(c) || (noSpaces && Character.isWhitespace(c))) {
                throw Failure.invalid(field, field + " must not contain " + (noSpaces ? "spaces or " : "") + "control characters");
            }
        }
        return stripped;
    }

    private static String url(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (url.length() <= MAX_URL && uri.isAbsolute() && uri.getHost() != null
                    && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
                return url;
            }
        } catch (URISyntaxException ignored) {
            // answered below
        }
        throw Failure.invalid("url", "url must be an absolute http or https address of at most " + MAX_URL + " characters");
    }
}
