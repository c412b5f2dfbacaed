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
 */
public record FeedTimings(Duration firstRetry, Duration maxRetry, Duration healthyReset, Duration unauthorizedRetry,
                          Duration silence, Duration requestTimeout, Duration metricsInterval) {

    /** 1 s doubling to 30 s, reset after 60 s up, 5 min after 401/403, two 15 s heartbeats of silence. */
    public static final FeedTimings DEFAULT = new FeedTimings(Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(10),
            Duration.ofSeconds(60));

    public FeedTimings {
        Objects.requireNonNull(firstRetry, "firstRetry");
        Objects.requireNonNull(maxRetry, "maxRetry");
        Objects.requireNonNull(healthyReset, "healthyReset");
        Objects.requireNonNull(unauthorizedRetry, "unauthorizedRetry");
        Objects.requireNonNull(silence, "silence");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(metricsInterval, "metricsInterval");
    }
}
