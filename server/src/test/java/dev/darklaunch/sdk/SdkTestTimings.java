package dev.darklaunch.sdk;

import dev.darklaunch.sdk.internal.data.FeedTimings;

import java.time.Duration;

/**
 * Short SDK feed timings for the server's end-to-end tests. Lives in the SDK's package (in the
 * server's test sources) because the timing knobs are deliberately not public API.
 */
public final class SdkTestTimings {

    private SdkTestTimings() {
    }

    /** Reconnects after 50–100 ms doubling to 500 ms; silence after 3 s; metrics every 500 ms. */
    public static DarklaunchConfig.Builder fast(DarklaunchConfig.Builder builder) {
        return fast(builder, Duration.ofSeconds(3));
    }

    /** As {@link #fast(DarklaunchConfig.Builder)}, with the given silence before a stream is dropped. */
    public static DarklaunchConfig.Builder fast(DarklaunchConfig.Builder builder, Duration silence) {
        return builder.timings(new FeedTimings(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(60),
                Duration.ofSeconds(5), silence, Duration.ofSeconds(5), Duration.ofMillis(500)));
    }
}
