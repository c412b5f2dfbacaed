package dev.darklaunch.server.ofrep;

import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.auth.ClientOrigins;
import dev.darklaunch.server.failures.Failure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS for OFREP, per client token. Vert.x's {@code CorsHandler} takes one fixed list of origins
 * for a route; here each client token lists its own, and the list changes whenever tokens do, so
 * the few headers are written here instead.
 *
 * <p>A preflight request carries no token (browsers never send credentials with it), so it cannot
 * be judged by the token that will follow. It is allowed for any origin listed on some active
 * client token, and answered without allow headers otherwise; the real request is then judged by
 * its own token: a client token from an origin it does not list is refused (403, no
 * {@code Access-Control-Allow-Origin}), an SDK token gets no CORS headers at all (it belongs on a
 * server, not in a page). So a listed origin learns no more from a preflight than that OFREP
 * exists, and reads answers only with a token that lists it.
 */
final class OfrepCors {

    static final String ALLOWED_HEADERS = "Authorization, Content-Type, If-None-Match";
    static final String PREFLIGHT_MAX_AGE_SECONDS = "600";

    private final ClientOrigins origins;

    OfrepCors(ClientOrigins origins) {
        this.origins = origins;
    }

    void beforeAuthentication(RoutingContext ctx) {
        tokenFromAddress(ctx);
        String origin = ctx.request().getHeader("Origin");
        HttpServerResponse response = ctx.response();
        response.putHeader("Vary", "Origin");
        boolean preflight = ctx.request().method() == HttpMethod.OPTIONS;
        if (origin == null) {
            if (preflight) {
                response.putHeader("Allow", "GET, POST, OPTIONS").setStatusCode(204).end();
            } else {
                ctx.next();
            }
            return;
        }
        origins.listed(origin).onComplete(listed -> {
            boolean allowed = listed.succeeded() && listed.result();
            if (allowed) {
                response.putHeader("Access-Control-Allow-Origin", origin);
            }
            if (!preflight) {
                if (allowed) {
                    response.putHeader("Access-Control-Expose-Headers", "ETag");
                }
                ctx.next();
                return;
            }
            if (allowed && ctx.request().getHeader("Access-Control-Request-Method") != null) {
                response.putHeader("Access-Control-Allow-Methods", "GET, POST")
                        .putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                        .putHeader("Access-Control-Max-Age", PREFLIGHT_MAX_AGE_SECONDS);
            }
            response.setStatusCode(204).end();
        });
    }

    /**
     * A browser's EventSource cannot send headers: on the event stream's route a client token may
     * come in the {@code token} query parameter instead (the address the bulk answer gave).
     */
    private static void tokenFromAddress(RoutingContext ctx) {
        if (ctx.request().path().equals(OfrepApi.EVENTS) && ctx.request().getHeader("Authorization") == null) {
            String token = ctx.request().getParam("token");
            if (token != null && token.startsWith("dl_client_")) {
                ctx.request().headers().set("Authorization", "Bearer " + token);
            }
        }
    }

    /** The token decides: only a client token that lists the request's origin keeps the CORS headers. */
    void afterAuthentication(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        Caller caller = Caller.of(ctx);
        if (!caller.isSdkToken() && !caller.isClientToken()) {
            throw Failure.forbidden("OFREP evaluates with an SDK or client token, which names the environment");
        }
        if (origin == null) {
            ctx.next();
            return;
        }
        if (caller.isClientToken() && !caller.token().origins().contains(origin)) {
            withoutCors(ctx.response());
            throw Failure.forbidden("this client token is not for pages from " + printable(origin)
                    + "; add the origin to the token's origins");
        }
        if (!caller.isClientToken()) {
            withoutCors(ctx.response());
        }
        ctx.next();
    }

    private static void withoutCors(HttpServerResponse response) {
        response.headers().remove("Access-Control-Allow-Origin").remove("Access-Control-Expose-Headers");
    }

    private static String printable(String text) {
        String shown = text.length() > 100 ? text.substring(0, 100) + "…" : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
