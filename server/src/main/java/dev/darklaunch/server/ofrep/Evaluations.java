package dev.darklaunch.server.ofrep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.FlagFacts;
import dev.darklaunch.sdk.Reason;
import dev.darklaunch.sdk.internal.evaluation.CompiledFlag;
import dev.darklaunch.sdk.internal.evaluation.Evaluator;
import dev.darklaunch.sdk.internal.evaluation.Outcome;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.feed.EnvironmentKey;
import dev.darklaunch.server.feed.Feed;
import dev.darklaunch.server.store.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OFREP answers from the feed's in-memory data, never the database: each environment is compiled
 * once per revision (on a worker thread: compiling builds regular expressions) and evaluated with
 * the SDK's own evaluator, so a browser, any OFREP client and an embedded SDK get equal answers.
 *
 * <p>Evaluation is bounded: every flag's evaluation cost is capped when it is saved
 * ({@link dev.darklaunch.sdk.internal.model.EvaluationCost}, a fraction of a millisecond at worst)
 * and contexts are bounded ({@link OfrepContext}); regular expressions run on a linear-time engine.
 * Answers whose summed cost exceeds {@link #INLINE_COST} are still computed on a worker thread, so
 * a bulk request over many costly flags never holds an event loop for long.
 */
final class Evaluations {

    /** Above this much evaluation work (cost units, about one comparison each) a request is evaluated off the event loop. */
    static final long INLINE_COST = 20_000;

    /** An environment being compiled, or compiled, at a revision. */
    private record Compiling(long revision, CompletableFuture<CompiledEnvironment> result) {
    }

    private final Vertx vertx;
    private final Feed feed;
    private final Map<EnvironmentKey, Compiling> compiled = new ConcurrentHashMap<>();

    Evaluations(Vertx vertx, Feed feed) {
        this.vertx = vertx;
        this.feed = feed;
    }

    /** The environment compiled at the revision this instance serves. */
    Future<CompiledEnvironment> environment(EnvironmentKey key) {
        EnvironmentData data = feed.data(key).orElseThrow(() -> Failure.unavailable(
                "the data of this environment is not loaded on this server yet; retry shortly"));
        Compiling compiling = compiled.compute(key, (k, known) -> known != null && known.revision() == data.revision() ? known
                : new Compiling(data.revision(), vertx.executeBlocking(() -> CompiledEnvironment.compile(data), false)
                .toCompletionStage().toCompletableFuture()));
        CompletableFuture<CompiledEnvironment> result = compiling.result();
        if (result.isDone() && !result.isCompletedExceptionally()) {
            return Future.succeededFuture(result.join());
        }
        return Future.fromCompletionStage(result, vertx.getOrCreateContext());
    }

    /** Runs {@code work} here when it is cheap, else on a worker thread. */
    <T> Future<T> bounded(long cost, java.util.concurrent.Callable<T> work) {
        if (cost <= INLINE_COST) {
            try {
                return Future.succeededFuture(work.call());
            } catch (Exception e) {
                return Future.failedFuture(e);
            }
        }
        return vertx.executeBlocking(work, false);
    }

    /** One flag's answer: the protocol's success, or its failure for a flag that cannot be evaluated. */
    static ObjectNode answer(CompiledEnvironment environment, CompiledEnvironment.FlagFacts facts, Context context) {
        CompiledFlag flag = environment.snapshot().flag(facts.key());
        Outcome outcome = Evaluator.evaluate(environment.snapshot(), flag, context);
        ObjectNode answer = Json.mapper().createObjectNode().put("key", facts.key());
        if (outcome.isError()) {
            return answer.put("errorCode", "PARSE_ERROR")
                    .put("errorDetails", "the configuration of flag '" + facts.key() + "' cannot be evaluated");
        }
        FlagFacts about = flag.facts();
        // no value when the flag serves no variation (off, without an off variation): the
        // protocol's code default (ADR 0006), the caller's own default
        boolean served = !outcome.servesDefault();
        if (served) {
            answer.set("value", outcome.jsonDetail().value());
        }
        answer.put("reason", reason(outcome.reason(), about.contextFree()));
        if (served) {
            String name = about.variationName(outcome.variation());
            answer.put("variant", name == null || name.isBlank() ? String.valueOf(outcome.variation()) : name);
        }
        if (!about.metadata().isEmpty()) {
            // in key order: equal answers must be equal bytes on every instance (the ETag is their hash)
            answer.set("metadata", Json.mapper().valueToTree(new java.util.TreeMap<>(about.metadata())));
        }
        return answer;
    }

    /** Every flag the token may see, in key order, and the summed cost of evaluating them. */
    static ObjectNode bulk(CompiledEnvironment environment, Context context, boolean clientSideOnly) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode flags = body.putArray("flags");
        for (CompiledEnvironment.FlagFacts facts : environment.all()) {
            if (!clientSideOnly || facts.clientSide()) {
                flags.add(answer(environment, facts, context));
            }
        }
        return body;
    }

    static long bulkCost(CompiledEnvironment environment, boolean clientSideOnly) {
        long cost = 0;
        for (CompiledEnvironment.FlagFacts facts : environment.all()) {
            if (!clientSideOnly || facts.clientSide()) {
                cost += facts.cost();
            }
        }
        return cost;
    }

    /**
     * OpenFeature's resolution reason for an outcome. OFREP allows STATIC, TARGETING_MATCH, SPLIT,
     * DISABLED and UNKNOWN only, so where OpenFeature would say DEFAULT (on, nothing matched, a
     * fixed fallthrough; or a prerequisite not met) the answer says UNKNOWN.
     */
    static String reason(Reason reason, boolean fixed) {
        return switch (reason.kind()) {
            case OFF -> "DISABLED";
            case TARGET_MATCH -> "TARGETING_MATCH";
            case RULE_MATCH -> reason.inRollout() ? "SPLIT" : "TARGETING_MATCH";
            case FALLTHROUGH -> reason.inRollout() ? "SPLIT" : fixed ? "STATIC" : "UNKNOWN";
            case PREREQUISITE_FAILED, ERROR -> "UNKNOWN";
        };
    }
}
