package dev.darklaunch.server.ofrep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.auth.ClientOrigins;
import dev.darklaunch.server.auth.Token;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.feed.EnvironmentKey;
import dev.darklaunch.server.feed.Feed;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.Versions;
import dev.darklaunch.server.store.Json;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * {@code /ofrep/v1}: the OpenFeature Remote Evaluation Protocol, so that OpenFeature SDKs in any
 * language, and browsers, evaluate Darklaunch flags over HTTP. SDK tokens evaluate every flag of
 * their environment; client tokens (browser-safe) only its flags marked {@code clientSide} — any
 * other flag answers exactly like a missing one, and the bulk answer leaves it out.
 *
 * <p>The bulk answer's {@code ETag} is a hash of the answer itself: it changes when, and only when,
 * an answer for that context changes (a change to another flag, or to a rule the context does not
 * meet, keeps it; a flag switched, or a date rule coming due, changes it), so a polling client
 * gets 304 exactly when it has nothing to update.
 */
public final class OfrepApi {

    /** Body of both evaluation requests. */
    public record EvaluationRequest(JsonNode context) {
    }

    static final String EVENTS = "/ofrep/v1/events";

    private final Evaluations evaluations;
    private final OfrepCors cors;
    private final OfrepEvents events;

    public OfrepApi(Vertx vertx, Feed feed, FeedSettings settings, ClientOrigins clientOrigins) {
        this.evaluations = new Evaluations(vertx, feed);
        this.cors = new OfrepCors(clientOrigins);
        this.events = new OfrepEvents(vertx, feed, settings);
    }

    /** A token was revoked: its event streams end at once. */
    public void tokenRevoked(long tokenId) {
        events.tokenRevoked(tokenId);
    }

    /** Ends the event streams (clients reconnect elsewhere). */
    public void close() {
        events.close();
    }

    /** Before authentication: CORS preflight requests carry no token. */
    public void mountPublic(Router router) {
        router.route("/ofrep/*").handler(cors::beforeAuthentication).failureHandler(OfrepErrors::handle);
    }

    public void mount(Router router) {
        router.route("/ofrep/*").handler(cors::afterAuthentication).failureHandler(OfrepErrors::handle);
        router.post("/ofrep/v1/evaluate/flags/:key").handler(this::single);
        router.post("/ofrep/v1/evaluate/flags").handler(this::bulk);
        router.get(EVENTS).handler(this::events);
    }

    private void events(RoutingContext ctx) {
        if (ctx.request().method() == io.vertx.core.http.HttpMethod.HEAD) {
            dev.darklaunch.server.http.EventStreamResponse.answerHead(ctx.response());
            return;
        }
        Caller caller = Caller.of(ctx);
        events.open(ctx.response(), environment(caller), caller.token().id());
    }

    private void single(RoutingContext ctx) {
        String key = ctx.pathParam("key");
        Caller caller = Caller.of(ctx);
        Context context = context(ctx);
        evaluations.environment(environment(caller))
                .compose(environment -> {
                    CompiledEnvironment.FlagFacts facts = environment.flags().get(key);
                    if (facts == null || (caller.isClientToken() && !facts.clientSide())) {
                        throw OfrepFailure.flagNotFound(key);
                    }
                    return evaluations.bounded(facts.cost(), () -> Evaluations.answer(environment, facts, context));
                })
                .map(answer -> {
                    if (answer.has("errorCode")) {
                        throw OfrepFailure.flagUnusable(key);
                    }
                    return answer;
                })
                .onSuccess(answer -> json(ctx, 200, answer))
                .onFailure(ctx::fail);
    }

    private void bulk(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        Context context = context(ctx);
        boolean clientSideOnly = caller.isClientToken();
        evaluations.environment(environment(caller))
                .compose(environment -> evaluations.bounded(Evaluations.bulkCost(environment, clientSideOnly),
                        () -> bytes(withEventStream(Evaluations.bulk(environment, context, clientSideOnly), caller, ctx))))
                .onSuccess(body -> {
                    String etag = etag(body);
                    ctx.response().putHeader("ETag", etag);
                    if (Versions.noneMatchHits(ctx.request().getHeader("If-None-Match"), etag)) {
                        ctx.response().setStatusCode(304).end();
                        return;
                    }
                    ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(Buffer.buffer(body));
                })
                .onFailure(ctx::fail);
    }

    /**
     * For client tokens, where to hear of changes (ADR 0008). Browsers' EventSource cannot send an
     * Authorization header, so the stream's address carries the token — harmless for a client
     * token, whose secret is in the page anyway; SDK tokens' secrets never go into an address, and
     * their clients poll.
     */
    private static ObjectNode withEventStream(ObjectNode body, Caller caller, RoutingContext ctx) {
        if (caller.isClientToken()) {
            String secret = ctx.request().getHeader("Authorization").trim().split("\\s+", 2)[1].trim();
            ObjectNode stream = body.putArray("eventStreams").addObject().put("type", "sse");
            stream.putObject("endpoint").put("requestUri", EVENTS + "?token=" + secret);
            stream.put("inactivityDelaySec", 120);
        }
        return body;
    }

    private static Context context(RoutingContext ctx) {
        EvaluationRequest request;
        try {
            request = JsonBody.read(ctx, EvaluationRequest.class).value();
        } catch (Failure.Invalid e) {
            throw OfrepFailure.parseError(e.field(), e.getMessage());
        }
        return OfrepContext.parse(request.context());
    }

    private static EnvironmentKey environment(Caller caller) {
        Token token = caller.token();
        return new EnvironmentKey(token.project(), token.environments().get(0));
    }

    private static void json(RoutingContext ctx, int status, ObjectNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(Buffer.buffer(bytes(body)));
    }

    private static byte[] bytes(ObjectNode body) {
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an answer is always serializable", e);
        }
    }

    /** A strong validator of the answer's bytes: equal answers, equal ETags. */
    static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 18)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
