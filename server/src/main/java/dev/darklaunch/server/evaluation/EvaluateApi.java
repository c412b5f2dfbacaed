package dev.darklaunch.server.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.EvaluationDetail;
import dev.darklaunch.sdk.internal.evaluation.CompiledFlag;
import dev.darklaunch.sdk.internal.evaluation.Evaluator;
import dev.darklaunch.sdk.internal.evaluation.Outcome;
import dev.darklaunch.sdk.internal.evaluation.Snapshot;
import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.flags.EnvironmentDataStore;
import dev.darklaunch.server.flags.Validation;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST …/environments/{env}/evaluate}: what the SDK would answer for a context, with the
 * reason — the same evaluator the SDK runs, over the environment's current data, so a preview can
 * never disagree with production.
 */
public final class EvaluateApi {

    static final int MAX_FLAGS = 1_000;

    /** Body: the context, and optionally which flags (all when left out). */
    public record EvaluateRequest(JsonNode context, List<String> flags) {
    }

    private final EnvironmentDataStore environments;

    public EvaluateApi(EnvironmentDataStore environments) {
        this.environments = environments;
    }

    public void mount(Router router) {
        router.post("/api/v1/projects/:project/environments/:env/evaluate").handler(this::evaluate);
    }

    private void evaluate(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        String environment = ctx.pathParam("env");
        Caller.of(ctx).requireRead(project);
        EvaluateRequest request = JsonBody.read(ctx, EvaluateRequest.class).value();
        Context context = ContextJson.parse(request.context(), "context");
        if (request.flags() != null && request.flags().size() > MAX_FLAGS) {
            throw Failure.invalid("flags", "ask for at most " + MAX_FLAGS + " flags, or leave flags out for all");
        }
        environments.load(project, environment)
                .compose(data -> Validation.onWorker(() -> Snapshot.compile(data))) // compiling builds regular expressions
                .map(snapshot -> {
                    List<String> keys = request.flags() != null ? request.flags()
                            : snapshot.flagKeys().stream().sorted().toList();
                    Map<String, Object> results = new LinkedHashMap<>();
                    List<String> unknown = new ArrayList<>();
                    for (String key : keys) {
                        CompiledFlag flag = snapshot.flag(key);
                        if (flag == null) {
                            unknown.add(key);
                        } else {
                            Outcome outcome = Evaluator.evaluate(snapshot, flag, context);
                            results.put(key, outcome.isError() ? new EvaluationDetail<>(null, -1, outcome.reason())
                                    : outcome.jsonDetail());
                        }
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("environment", environment);
                    body.put("revision", snapshot.revision());
                    body.put("results", results);
                    body.put("unknownFlags", unknown);
                    return body;
                })
                .onSuccess(body -> Responses.ok(ctx, body))
                .onFailure(ctx::fail);
    }
}
