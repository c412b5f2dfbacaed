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
 * than the single event loop a server created outside a verticle would be bound to. Each watches
 * its own connections for slow clients ({@link ConnectionWatch}); the per-address counts are
 * shared ({@link ClientConnections}).
 */
public final class HttpVerticle extends VerticleBase {

    private static final int SHUTDOWN_GRACE_SECONDS = 10;

    private final Router router;
    private final HttpServerOptions options;
    private final int port;
    private final ClientConnections connections;
    private HttpServer server;
    private long sweeps;

    public HttpVerticle(Router router, HttpServerOptions options, int port, ClientConnections connections) {
        this.router = router;
        this.options = options;
        this.port = port;
        this.connections = connections;
    }

    @Override
    public Future<?> start() {
        ConnectionWatch watch = new ConnectionWatch(connections);
        sweeps = vertx.setPeriodic(watch.sweepIntervalMillis(), id -> watch.sweep());
        return vertx.createHttpServer(options)
                .invalidRequestHandler(new MalformedRequests(options))
                .connectionHandler(watch::opened)
                .requestHandler(request -> {
                    watch.started(request);
                    router.handle(request);
                })
                .listen(port)
                .map(listening -> server = listening);
    }

    /** Stops accepting connections and lets running requests finish, up to a grace period. */
    @Override
    public Future<?> stop() {
        Future<Void> stopped = server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
        return stopped.onComplete(done -> vertx.cancelTimer(sweeps));
    }

    public int actualPort() {
        return server.actualPort();
    }
}
