package dev.darklaunch.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.flags.Validation;
import dev.darklaunch.server.http.JsonBody.Body;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/projects/{project}/import/unleash?environment={env}}: imports the flags and
 * segments of an Unleash client payload into one environment of the project, see
 * {@link UnleashImport} for the mapping and {@link ImportStore} for what is written.
 */
public final class ImportsApi {

    private final ImportStore imports;

    public ImportsApi(ImportStore imports) {
        this.imports = imports;
    }

    public void mount(Router router) {
        router.post("/api/v1/projects/:project/import/unleash").handler(this::importUnleash);
    }

    private void importUnleash(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        String environment = ctx.request().getParam("environment");
        if (environment == null || environment.isBlank()) {
            throw Failure.invalid("environment", "the query parameter environment names the environment to import into");
        }
        ModelValidator.validateKey("environment", environment);
        Body<JsonNode> body = JsonBody.read(ctx, JsonNode.class);
        // converting validates every rule, which compiles regular expressions: on a worker, never on the event loop
        Validation.onWorker(() -> UnleashImport.convert(body.value()))
                .compose(result -> imports.importUnleash(caller.actor(), project, environment, result, body.comment()))
                .onSuccess(summary -> Responses.ok(ctx, summary))
                .onFailure(ctx::fail);
    }
}
