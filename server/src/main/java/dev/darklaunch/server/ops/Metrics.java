package dev.darklaunch.server.ops;

import dev.darklaunch.server.auth.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The Prometheus registries: Vert.x reports HTTP server and database pool metrics into the
 * instance registry, the JVM binders add memory, GC, threads and CPU; series labelled with a
 * project and environment go to a registry of their own.
 *
 * <ul>
 *   <li>{@code GET /metrics}, public (for scrapers on the network): the instance's series, which
 *       name no project or environment;</li>
 *   <li>{@code GET /api/v1/metrics}, admin tokens and admin users: the same plus the series per
 *       project and environment, whose labels would tell anyone who can reach the port what the
 *       service's tenants are called.</li>
 * </ul>
 */
public final class Metrics implements AutoCloseable {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PrometheusMeterRegistry perEnvironment = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The instance's meters, scraped publicly: never label one with a project or environment. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Meters labelled with a project and environment, for admins only. */
    public MeterRegistry perEnvironment() {
        return perEnvironment;
    }

    /** The public scrape, mounted before authentication. */
    public void mount(Router router) {
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", PROMETHEUS_TEXT)
                .end(registry.scrape()));
    }

    /** The full scrape, behind authentication. */
    public void mountForAdmins(Router router) {
        router.get("/api/v1/metrics").handler(this::everything);
    }

    private void everything(RoutingContext ctx) {
        Caller.of(ctx).requireAdmin();
        // the two registries hold different metric names, so their texts concatenate into one valid scrape
        ctx.response()
                .putHeader("Content-Type", PROMETHEUS_TEXT)
                .end(registry.scrape() + perEnvironment.scrape());
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
        perEnvironment.close();
    }
}
