package dev.darklaunch.server.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.concurrent.TimeUnit;

/**
 * One HTTP server on one event loop. The server deploys one instance per core, all sharing the
 * port: Vert.x spreads connections over them, so requests and SDK streams use every core rather
 * than the single event loop a server created outside a verticle would be bound to.
 */
public final class HttpVerticle extends VerticleBase {

    private static final int SHUTDOWN_GRACE_SECONDS = 10;

    private final Router router;
    private final HttpServerOptions options;
    private final int port;
    private HttpServer server;

    public HttpVerticle(Router router, HttpServerOptions options, int port) {
        this.router = router;
        this.options = options;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer(options)
                .invalidRequestHandler(new MalformedRequests(options))
                .requestHandler(router)
                .listen(port)
                .map(listening -> server = listening);
    }

    /** Stops accepting connections and lets running requests finish, up to a grace period. */
    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    public int actualPort() {
        return server.actualPort();
    }
}
