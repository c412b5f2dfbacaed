package dev.darklaunch.server.ops;

import dev.darklaunch.server.http.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Liveness (the process serves HTTP) and readiness (migrations are done and the database answers
 * within a second). Public, for load balancers and orchestrators; they reveal no data.
 */
public final class Health {

    private final Pool pool;
    private final BooleanSupplier started;

    public Health(Pool pool, BooleanSupplier started) {
        this.pool = pool;
        this.started = started;
    }

    public void mount(Router router) {
        router.get("/health/live").handler(ctx -> Responses.ok(ctx, Map.of("status", "live")));
        router.get("/health/ready").handler(this::ready);
    }

    private void ready(RoutingContext ctx) {
        if (!started.getAsBoolean()) {
            Responses.json(ctx, 503, Map.of("status", "starting"));
            return;
        }
        pool.query("SELECT 1").execute()
                .timeout(1, TimeUnit.SECONDS)
                .onSuccess(rows -> Responses.ok(ctx, Map.of("status", "ready")))
                .onFailure(e -> Responses.json(ctx, 503, Map.of("status", "unavailable", "reason", "database unreachable")));
    }
}
