package dev.darklaunch.server.webhooks;

import java.time.Duration;

/**
 * How long to wait before the next attempt after {@code failures} failed ones in a row: {@code first}
 * doubled per further failure, never more than {@code max}. No jitter: each webhook is delivered by
 * one instance at a time, so there is no herd of clients to spread out.
 */
record Backoff(Duration first, Duration max) {

    Duration after(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        // 2^62 nanoseconds is 146 years: past any cap, and no overflow on the way
        int doublings = Math.min(failures - 1, 62);
        long firstNanos = first.toNanos();
        if (firstNanos > (max.toNanos() >> doublings)) {
            return max;
        }
        return Duration.ofNanos(firstNanos << doublings);
    }
}
