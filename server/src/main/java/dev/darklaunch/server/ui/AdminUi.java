package dev.darklaunch.server.ui;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Serves the admin single-page app (module {@code admin-ui}, on the classpath under
 * {@value #ROOT}) at {@code /}. Public: the app signs in through the API. Its routes carry no
 * HTTP method, so they are not API operations, and they step aside for every server path
 * ({@code /api}, {@code /sdk}, {@code /health}, {@code /metrics}), which keep their own answers.
 *
 * <ul>
 *   <li>{@code /assets/*}: Vite's content-hashed files, cached by browsers for a year; any other
 *       answer there (a missing file's 404) is never cached, so a file that appears with the next
 *       release is found;</li>
 *   <li>any other GET that accepts HTML (and {@code /} always): {@code index.html}, never cached,
 *       so a new release is picked up at the next load (the app routes in the browser);</li>
 *   <li>every UI answer carries a Content-Security-Policy without inline script (RELIABILITY 21)
 *       and forbids framing.</li>
 * </ul>
 */
public final class AdminUi {

    static final String ROOT = "darklaunch-admin-ui";
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final long ASSET_MAX_AGE_SECONDS = 365L * 24 * 3600;
    private static final List<String> SERVER_PATHS = List.of("/api", "/sdk", "/health", "/metrics");
    private static final Buffer NOT_BUILT = Buffer.buffer("""
            <!doctype html><meta charset="utf-8"><title>Darklaunch</title>
            <p>This server was built without its admin UI (<code>-DskipUi</code>). The REST API is at
            <a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a>.</p>
            """);

    private final Buffer index;
    // serves the part of the path after /assets/ (the route's wildcard) from ROOT/assets
    private final StaticHandler assets = StaticHandler.create(ROOT + "/assets")
            .setCachingEnabled(true)
            .setMaxAgeSeconds(ASSET_MAX_AGE_SECONDS)
            .setDirectoryListing(false)
            .setIncludeHidden(false);

    public AdminUi() {
        try (InputStream in = AdminUi.class.getResourceAsStream("/" + ROOT + "/index.html")) {
            index = in == null ? null : Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this build carries the app (it does not when built with {@code -DskipUi}). */
    public boolean built() {
        return index != null;
    }

    public void mount(Router router) {
        router.route("/assets/*").handler(this::asset).handler(assets).handler(AdminUi::missingAsset);
        router.route().handler(this::page);
    }

    private void asset(RoutingContext ctx) {
        if (isRead(ctx)) {
            HttpServerResponse response = secure(ctx.response());
            // decided when the status is known: a year for a file served (the static handler keeps
            // a Cache-Control already set, so it is set here), the API's no-store for anything else
            response.headersEndHandler(v -> response.putHeader("Cache-Control", isServed(response.getStatusCode())
                    ? "public, max-age=" + ASSET_MAX_AGE_SECONDS + ", immutable" : "no-store"));
            response.putHeader("Cache-Control", "public, max-age=" + ASSET_MAX_AGE_SECONDS + ", immutable");
        }
        ctx.next();
    }

    /** A file sent (in whole or part) or confirmed unchanged. */
    private static boolean isServed(int status) {
        return status == 200 || status == 206 || status == 304;
    }

    /** Asset names carry a hash of their content: an unknown one is a 404, not a sign-in question. */
    private static void missingAsset(RoutingContext ctx) {
        if (isRead(ctx)) {
            ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("not found");
        } else {
            ctx.next();
        }
    }

    private void page(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!isRead(ctx) || isServerPath(path) || !(path.equals("/") || path.equals("/index.html") || acceptsHtml(ctx))) {
            ctx.next();
            return;
        }
        HttpServerResponse response = ctx.response();
        secure(response)
                .putHeader("Cache-Control", "no-cache")
                .putHeader("Content-Type", "text/html; charset=utf-8");
        if (index == null) {
            response.setStatusCode(503);
        }
        response.end(index == null ? NOT_BUILT : index);
    }

    private static HttpServerResponse secure(HttpServerResponse response) {
        return response
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Cross-Origin-Opener-Policy", "same-origin");
    }

    private static boolean isRead(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        return method == HttpMethod.GET || method == HttpMethod.HEAD;
    }

    static boolean isServerPath(String path) {
        return SERVER_PATHS.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
    }

    private static boolean acceptsHtml(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }
}
