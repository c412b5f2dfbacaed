package dev.darklaunch.server.ofrep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darklaunch.server.http.Failures;
import dev.darklaunch.server.store.Json;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Failures on OFREP routes in the protocol's shapes: a request that cannot be read or a bad
 * context is a 400 with {@code errorCode} and {@code errorDetails} (and the flag's {@code key} on
 * the single-flag route), whether the body is not JSON, too large, of another content type or of
 * the wrong shape — OFREP clients know 400, not 413 or 415; a missing flag is a 404 with
 * {@code FLAG_NOT_FOUND}. Authentication and authorization keep Darklaunch's {@code {error,
 * message}} body, as the protocol gives 401 and 403 no body of their own. {@code field} names the
 * offending input where known, as everywhere in Darklaunch.
 */
final class OfrepErrors {

    private static final Logger log = LoggerFactory.getLogger(OfrepErrors.class);
    private static final String SINGLE = "/ofrep/v1/evaluate/flags/";

    private OfrepErrors() {
    }

    static void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.headWritten()) {
            Failures.handle(ctx);
            return;
        }
        String key = key(ctx);
        if (ctx.failure() instanceof OfrepFailure failure) {
            send(ctx, failure.status(), body(key, failure.errorCode(), failure.getMessage(), failure.field()));
            return;
        }
        Failures.Answer answer = Failures.answerOf(ctx);
        switch (answer.status()) {
            case 400, 413, 415 -> send(ctx, 400, body(key, "PARSE_ERROR", answer.message(), answer.field()));
            case 500 -> {
                log.atError().setCause(ctx.failure()).addKeyValue("path", ctx.normalizedPath()).log("OFREP request failed");
                send(ctx, 500, Json.mapper().createObjectNode().put("errorDetails", "an internal error prevented the evaluation"));
            }
            default -> Failures.handle(ctx);
        }
    }

    private static ObjectNode body(String key, String errorCode, String details, String field) {
        ObjectNode body = Json.mapper().createObjectNode();
        if (key != null) {
            body.put("key", key);
        }
        body.put("errorCode", errorCode).put("errorDetails", details);
        if (field != null) {
            body.put("field", field);
        }
        return body;
    }

    /** The flag key of a single-flag request, also when it failed before routing. */
    private static String key(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path == null || !path.startsWith(SINGLE) || path.length() == SINGLE.length()) {
            return null;
        }
        try {
            return URLDecoder.decode(path.substring(SINGLE.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path.substring(SINGLE.length());
        }
    }

    private static void send(RoutingContext ctx, int status, ObjectNode body) {
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                    .end(io.vertx.core.buffer.Buffer.buffer(Json.mapper().writeValueAsBytes(body)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an error body is always serializable", e);
        }
    }
}
