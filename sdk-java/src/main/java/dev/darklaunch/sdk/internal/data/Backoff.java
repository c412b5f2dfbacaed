package dev.darklaunch.sdk.internal.data;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: the first within {@code first}, doubling to {@code max}, each jittered to
 * between half and all of its nominal value (so reconnecting SDKs spread out); back to the first
 * after a connection stayed up for {@code healthyReset}. Not thread-safe; times are
 * {@link System#nanoTime()} values passed in, so tests need no clock.
 */
final class Backoff {

    private final long firstNanos;
    private final long maxNanos;
    private final long healthyResetNanos;
    private final DoubleSupplier random;
    private int failures;
    private long connectedAt;
    private boolean connected;

    Backoff(Duration first, Duration max, Duration healthyReset, DoubleSupplier random) {
        this.firstNanos = first.toNanos();
        this.maxNanos = Math.max(first.toNanos(), max.toNanos());
        this.healthyResetNanos = healthyReset.toNanos();
        this.random = random;
    }

    /** A connection is up (data flowing) since {@code now}. */
    void connected(long now) {
        connected = true;
        connectedAt = now;
    }

    /** The connection failed or ended at {@code now}: the delay before the next attempt. */
    Duration nextDelay(long now) {
        if (connected && now - connectedAt >= healthyResetNanos) {
            failures = 0;
        }
        connected = false;
        long nominal = firstNanos;
        for (int i = 0; i < failures && nominal < maxNanos; i++) {
            nominal *= 2;
        }
        nominal = Math.min(nominal, maxNanos);
        failures++;
        long half = nominal / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (nominal - half)));
    }
}
