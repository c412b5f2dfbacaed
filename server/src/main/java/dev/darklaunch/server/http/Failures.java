package dev.darklaunch.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.store.CommitInDoubtException;
import dev.darklaunch.server.store.DatabaseTimeoutException;
import dev.darklaunch.server.store.Json;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The one place where failures become HTTP responses: each kind of {@link Failure} gets its status
 * and error code here and nowhere else. Client mistakes map to 4xx with a message that says what to
 * fix; an unreachable database maps to 503; only our own bugs are 500.
 */
public final class Failures {

    private static final Logger log = LoggerFactory.getLogger(Failures.class);
    static final String DATABASE_DOWN = "the database is unavailable; nothing was changed, try again shortly";
    static final String DATABASE_BUSY = "the database did not finish in time and cancelled the work; nothing was changed, try again shortly";

    private Failures() {
    }

    /** Router failure handler: also receives the 404/405/413 that Vert.x Web raises itself. */
    public static void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        ApiError error = toApiError(ctx);
        if (error.status() >= 500 && error.status() != 503) {
            log.atError().setCause(ctx.failure()).addKeyValue("method", ctx.request().method())
                    .addKeyValue("path", ctx.normalizedPath()).log("request failed");
        }
        send(ctx, error);
    }

    /**
     * What a failed request's failure means to the caller: the status, error code, message and
     * offending field this handler would answer with.
     */
    public record Answer(int status, String code, String message, String field) {
    }

    /** How this handler would answer a failed request (for routes that answer in another shape, such as OFREP). */
    public static Answer answerOf(RoutingContext ctx) {
        ApiError error = toApiError(ctx);
        return new Answer(error.status(), error.code(), error.getMessage(), error.field());
    }

    static void send(RoutingContext ctx, ApiError error) {
        if (error.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"darklaunch\"");
        }
        Responses.json(ctx, error.status(), body(error));
    }

    /** The {@code {error, message, field?}} body of an error. */
    static ObjectNode body(ApiError error) {
        ObjectNode body = Json.mapper().createObjectNode()
                .put("error", error.code())
                .put("message", error.getMessage());
        if (error.field() != null) {
            body.put("field", error.field());
        }
        return body;
    }

    static ApiError toApiError(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure == null) {
            return fromStatus(ctx);
        }
        ApiError error = classify(failure);
        if (error.status() != 500) {
            return error;
        }
        if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            // Vert.x itself refused the request (a body it could not decode, an HttpException)
            return fromStatus(ctx);
        }
        return error;
    }

    private static ApiError fromStatus(RoutingContext ctx) {
        return switch (ctx.statusCode()) {
            case 404 -> answer(Failure.notFound("no such resource: " + ctx.normalizedPath()));
            case 405 -> ApiError.of(405, "method_not_allowed",
                    ctx.request().method() + " is not allowed on " + ctx.normalizedPath());
            case 413 -> answer(Failure.tooLarge("the request body is larger than " + ApiRouter.MAX_BODY_BYTES + " bytes"));
            case 400 -> answer(Failure.invalid("the request is malformed"));
            default -> ctx.statusCode() >= 400 && ctx.statusCode() < 500
                    ? ApiError.of(ctx.statusCode(), "invalid_request", "the request was refused (HTTP " + ctx.statusCode() + ")")
                    : internal();
        };
    }

    static ApiError classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Failure known) {
                return answer(known);
            }
            if (t instanceof ApiError error) {
                return error;
            }
            if (t instanceof InvalidModelException invalid) {
                return answer(Failure.invalid(invalid.field(), invalid.getMessage()));
            }
            if (t instanceof CommitInDoubtException inDoubt) {
                return answer(Failure.unavailable(inDoubt.getMessage()));
            }
            if (t instanceof DatabaseTimeoutException timeout) {
                return answer(Failure.unavailable(timeout.getMessage()));
            }
            if (t instanceof PgException pg) {
                return fromSqlState(pg);
            }
            if (lostDatabase(t)) {
                return answer(Failure.unavailable(DATABASE_DOWN));
            }
        }
        return internal();
    }

    /** How one kind of failure shows on the wire. */
    private record Wire(int status, String code) {
    }

    /** The status and error code of each kind of failure (FailuresTest checks every kind has one). */
    private static final Map<Class<? extends Failure>, Wire> WIRE = Map.of(
            Failure.Invalid.class, new Wire(400, "invalid_request"),
            Failure.Unauthenticated.class, new Wire(401, "unauthorized"),
            Failure.Forbidden.class, new Wire(403, "forbidden"),
            Failure.NotFound.class, new Wire(404, "not_found"),
            Failure.Conflict.class, new Wire(409, "conflict"),
            Failure.PreconditionFailed.class, new Wire(412, "version_mismatch"),
            Failure.TooLarge.class, new Wire(413, "payload_too_large"),
            Failure.TooMany.class, new Wire(429, "too_many_requests"),
            Failure.Unavailable.class, new Wire(503, "unavailable"));

    static ApiError answer(Failure failure) {
        Wire wire = WIRE.get(failure.getClass());
        return ApiError.of(wire.status(), wire.code(), failure.getMessage(), failure.field());
    }

    /**
     * Whether the failure says the database could not be reached or the connection to it broke:
     * refused, reset, closed (before or while a command was sent), or no connection free in time.
     * The SQL client reports most of these as plain {@link VertxException}s, known by their messages,
     * and a reset socket as a plain {@link IOException}: the database is the only peer a request
     * handler talks to, and what Jackson throws (an IOException too) is not about connections.
     */
    private static boolean lostDatabase(Throwable t) {
        if (t instanceof IOException && !(t instanceof JacksonException) // refused, reset, broken pipe, unknown host…
                || t instanceof ClosedConnectionException || t instanceof TimeoutException
                || t instanceof io.netty.handler.timeout.TimeoutException) {
            return true;
        }
        String message = t.getMessage();
        return t instanceof VertxException && message != null && LOST_DATABASE.stream().anyMatch(message::startsWith);
    }

    private static final List<String> LOST_DATABASE = List.of(
            "Connection is not active now", // a command given to a pooled connection whose socket just closed
            "Pending requests failed to be sent due to connection has been closed",
            "Connection was closed",
            "Connection closed",
            "Timeout waiting for connection", // the pool, for a single query
            "Timeout"); // the pool, for a connection (a transaction)

    private static ApiError fromSqlState(PgException pg) {
        String state = pg.getSqlState() == null ? "" : pg.getSqlState();
        if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")) {
            return answer(Failure.unavailable(DATABASE_DOWN));
        }
        if (state.equals("57014") || state.equals("25P03") || state.equals("55P03")) {
            // cancelled by PostgreSQL's statement_timeout, idle_in_transaction_session_timeout or a lock timeout
            return answer(Failure.unavailable(DATABASE_BUSY));
        }
        return switch (state) {
            case "23505" -> answer(Failure.conflict("it already exists"));
            case "23503" -> answer(Failure.conflict("it is still referenced by something else"));
            case "40001", "40P01" -> answer(Failure.conflict("a concurrent change got there first; try again"));
            case "22P05", "22021" -> answer(Failure.invalid("text contains characters that cannot be stored (such as NUL)"));
            default -> internal();
        };
    }

    private static ApiError internal() {
        return ApiError.of(500, "internal_error", "the server failed to handle this request");
    }
}
