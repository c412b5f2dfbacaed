package dev.darklaunch.server.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.EvaluationDetail;
import dev.darklaunch.sdk.internal.evaluation.CompiledFlag;
import dev.darklaunch.sdk.Reason;
import dev.darklaunch.sdk.internal.evaluation.Evaluator;
import dev.darklaunch.sdk.internal.evaluation.Outcome;
import dev.darklaunch.sdk.internal.evaluation.Snapshot;
import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.flags.EnvironmentDataStore;
import dev.darklaunch.server.flags.Validation;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.QueryParams;
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
 * never disagree with production. With {@code ?explain=true} each answer also carries the steps the
 * evaluator took ({@code Explanation}): which prerequisite, target, rule, clause and segment decided,
 * and a rollout's bucket.
 */
public final class EvaluateApi {

    static final int MAX_FLAGS = 1_000;

    /** Body: the context, and optionally which flags (all when left out). */
    public record EvaluateRequest(JsonNode context, List<String> flags) {
    }

    /** One flag's answer with the evaluator's steps (the detail's fields, plus {@code explanation}). */
    record ExplainedDetail(JsonNode value, int variationIndex, Reason reason, JsonNode explanation) {
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
        boolean explain = QueryParams.oneOf(ctx, "explain", List.of("true", "false")).map(Boolean::parseBoolean).orElse(false);
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
                        } else if (explain) {
                            Evaluator.Explained explained = Evaluator.explain(snapshot, flag, context);
                            Outcome outcome = explained.outcome();
                            results.put(key, new ExplainedDetail(outcome.isError() ? null : outcome.jsonDetail().value(),
                                    outcome.isError() ? -1 : outcome.variation(), outcome.reason(), ExplanationJson.of(explained.explanation().steps())));
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
