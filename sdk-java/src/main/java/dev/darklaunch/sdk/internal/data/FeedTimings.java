package dev.darklaunch.sdk.internal.data;

import java.time.Duration;
import java.util.Objects;

/**
 * The feed's timing knobs. Applications get {@link #DEFAULT}; tests shorten them through the
 * SDK's package-private configuration hook, so none of this is public API.
 *
 * @param firstRetry      the first reconnect delay after a failure (jittered down to half of it)
 * @param maxRetry        the cap of the doubling reconnect delay
 * @param healthyReset    a stream that stayed up this long resets the delay to {@code firstRetry}
 * @param unauthorizedRetry the pause after a 401/403 before trying again
 * @param silence         a stream that delivers no byte (event or heartbeat) for this long is dropped
 * @param requestTimeout  the longest wait for response headers (connect included)
 * @param metricsInterval how often evaluation counts are posted
 * @param guardedMetricsInterval how often they are posted while a guarded release watches a flag
 *                        (its guards decide on what arrives; never longer than {@code metricsInterval})
 */
public record FeedTimings(Duration firstRetry, Duration maxRetry, Duration healthyReset, Duration unauthorizedRetry,
                          Duration silence, Duration requestTimeout, Duration metricsInterval,
                          Duration guardedMetricsInterval) {

    /** While a flag is guarded, metrics go out every 5 s (unless {@code metricsInterval} is shorter). */
    static final Duration GUARDED_METRICS_INTERVAL = Duration.ofSeconds(5);

    /**
     * 1 s doubling to 30 s, reset after 60 s up, 5 min after 401/403, two 15 s heartbeats of
     * silence; metrics every minute, every 5 s while a flag is guarded.
     */
    public static final FeedTimings DEFAULT = new FeedTimings(Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(10),
            Duration.ofSeconds(60));

    /** Timings with the guarded metrics interval at 5 s, or {@code metricsInterval} if that is shorter. */
    public FeedTimings(Duration firstRetry, Duration maxRetry, Duration healthyReset, Duration unauthorizedRetry,
                       Duration silence, Duration requestTimeout, Duration metricsInterval) {
        this(firstRetry, maxRetry, healthyReset, unauthorizedRetry, silence, requestTimeout, metricsInterval,
                metricsInterval.compareTo(GUARDED_METRICS_INTERVAL) < 0 ? metricsInterval : GUARDED_METRICS_INTERVAL);
    }

    public FeedTimings {
        Objects.requireNonNull(firstRetry, "firstRetry");
        Objects.requireNonNull(maxRetry, "maxRetry");
        Objects.requireNonNull(healthyReset, "healthyReset");
        Objects.requireNonNull(unauthorizedRetry, "unauthorizedRetry");
        Objects.requireNonNull(silence, "silence");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(metricsInterval, "metricsInterval");
        Objects.requireNonNull(guardedMetricsInterval, "guardedMetricsInterval");
        if (guardedMetricsInterval.compareTo(metricsInterval) > 0) {
            guardedMetricsInterval = metricsInterval;
        }
    }
}
