package dev.darklaunch.server.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The HTTP surface in one picture: body limits, public operational routes, then the authenticator
 * in front of everything else (deny by default, so no path trick reaches data unauthenticated),
 * then the API resources, and one failure handler for all errors.
 */
public final class ApiRouter {

    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** Requests that carry a whole project as a document (flags as code): YAML or JSON, up to 10 MB. */
    public static final int MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
    private static final String DOCUMENT_ROUTE = "^/api/v1/projects/[^/]+/apply$";
    private static final Logger access = LoggerFactory.getLogger("darklaunch.access");

    private ApiRouter() {
    }

    /**
     * @param publicRoutes  mounted before authentication (health, metrics, API document)
     * @param authenticator sets the caller or fails with 401
     * @param apiGuard      runs for /api/* after authentication (keeps SDK tokens out)
     * @param resources     the authenticated resources
     */
    public static Router create(Vertx vertx, List<Consumer<Router>> publicRoutes, Handler<RoutingContext> authenticator,
                                Handler<RoutingContext> apiGuard, List<Consumer<Router>> resources) {
        Router router = Router.router(vertx);
        router.route().handler(ApiRouter::common);
        router.route().handler(ApiRouter::jsonBodiesOnly);
        // the first body handler that sees a request reads its body; the others pass it on
        router.routeWithRegex(HttpMethod.POST, DOCUMENT_ROUTE).handler(BodyHandler.create(false).setBodyLimit(MAX_DOCUMENT_BYTES));
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        publicRoutes.forEach(mount -> mount.accept(router));
        router.route().handler(authenticator);
        router.route("/api/*").handler(apiGuard);
        resources.forEach(mount -> mount.accept(router));
        answerHeadLikeGet(router);
        router.route().failureHandler(Failures::handle);
        router.errorHandler(404, Failures::handle);
        router.errorHandler(405, Failures::handle);
        return router;
    }

    /**
     * Every GET route answers HEAD too, as HTTP asks of a server (RFC 9110 9.3.2): the same status
     * and headers, no body (Vert.x leaves out the body of a response to HEAD). Done here, once, so
     * no route can forget it; handlers that stream (SSE) answer HEAD with the headers alone.
     */
    private static void answerHeadLikeGet(Router router) {
        for (Route route : router.getRoutes()) {
            Set<HttpMethod> methods = route.methods();
            if (methods != null && methods.contains(HttpMethod.GET) && !methods.contains(HttpMethod.HEAD)) {
                route.method(HttpMethod.HEAD);
            }
        }
    }

    /**
     * The API takes JSON only. Refusing other bodies before the body handler also keeps it from
     * decoding forms (urlencoded, multipart), which it would otherwise do for any route.
     */
    /** Whether a request body is YAML ({@code application/yaml}, or the older {@code application/x-yaml}, {@code text/yaml}). */
    public static boolean isYaml(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase();
        return mediaType.equals("application/yaml") || mediaType.equals("application/x-yaml") || mediaType.equals("text/yaml");
    }

    private static void jsonBodiesOnly(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader("Content-Length");
        boolean hasBody = length != null ? !length.trim().equals("0") : request.getHeader("Transfer-Encoding") != null;
        String contentType = request.getHeader("Content-Type");
        if (hasBody && !JsonBody.isJson(contentType) && !(isYaml(contentType) && request.path().matches(DOCUMENT_ROUTE))) {
            ctx.fail(ApiError.unsupportedMediaType("send the body as application/json"
                    + (contentType == null ? "" : ", not " + contentType)));
        } else {
            ctx.next();
        }
    }

    private static void common(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.response()
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Cache-Control", "no-store")
                .putHeader("Referrer-Policy", "no-referrer");
        ctx.addEndHandler(done -> access.atInfo()
                .addKeyValue("method", ctx.request().method().name())
                .addKeyValue("path", ctx.normalizedPath())
                .addKeyValue("status", ctx.response().getStatusCode())
                .addKeyValue("ms", (System.nanoTime() - start) / 1_000_000)
                .log("request"));
        ctx.next();
    }
}
