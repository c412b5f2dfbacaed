package dev.darklaunch.server.deployments;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Applies due release steps: every server instance checks once per interval. Instances may check
 * at the same moment; {@link Releases#applyDueSteps} makes each step happen exactly once, and
 * a step that fell due while every instance was down applies at the next check after a start.
 */
public final class ReleaseScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReleaseScheduler.class);

    private final Vertx vertx;
    private final Releases releases;
    private final long timer;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile boolean failing;

    public ReleaseScheduler(Vertx vertx, Releases releases, Duration interval) {
        this.vertx = vertx;
        this.releases = releases;
        this.timer = vertx.setPeriodic(interval.toMillis(), id -> check());
    }

    private void check() {
        if (!checking.compareAndSet(false, true)) {
            return; // the last check is still at work (a slow database): never two at once per instance
        }
        releases.applyDueSteps().onComplete(result -> {
            checking.set(false);
            if (result.failed()) {
                if (!failing) { // once per outage, not once a second
                    log.atWarn().setCause(result.cause()).log("release steps cannot be applied now; retrying every check");
                }
                failing = true;
                return;
            }
            if (failing) {
                log.info("release steps can be applied again");
            }
            failing = false;
            if (result.result() > 0) {
                log.atInfo().addKeyValue("deployments", result.result()).log("release steps applied");
            }
        });
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
