package dev.darklaunch.sdk.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY.md scenario 1: the first retry within 1 s; delays double to a 30 s cap, with jitter;
 * the backoff resets after 60 s of healthy streaming (with the default timings).
 */
class BackoffTest {

    private static final FeedTimings T = FeedTimings.DEFAULT;
    private static final long SECOND = 1_000_000_000L;

    private static Backoff backoff(double random) {
        return new Backoff(T.firstRetry(), T.maxRetry(), T.healthyReset(), () -> random);
    }

    @Test
    void scenario1_delaysDoubleFromOneSecondToAThirtySecondCap() {
        Backoff longest = backoff(0.999_999);
        long now = 0;
        long[] expectedSeconds = {1, 2, 4, 8, 16, 30, 30, 30};
        for (long expected : expectedSeconds) {
            assertThat(longest.nextDelay(now).toMillis()).isBetween(expected * 1000 - 1, expected * 1000);
        }
    }

    @Test
    void scenario1_jitterSpreadsEachDelayBetweenHalfAndAllOfIt() {
        assertThat(backoff(0).nextDelay(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff(0.5).nextDelay(0)).isEqualTo(Duration.ofMillis(750));
        Backoff low = backoff(0);
        for (int i = 0; i < 10; i++) {
            low.nextDelay(0);
        }
        assertThat(low.nextDelay(0)).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void scenario1_resetsAfterSixtySecondsOfHealthyStreaming_notBefore() {
        Backoff backoff = backoff(0.999_999);
        for (int i = 0; i < 6; i++) {
            backoff.nextDelay(0);
        }
        backoff.connected(0);
        assertThat(backoff.nextDelay(59 * SECOND)).as("up 59 s: still backing off").isGreaterThan(Duration.ofSeconds(29));
        backoff.connected(100 * SECOND);
        assertThat(backoff.nextDelay(160 * SECOND)).as("up 60 s: reset").isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.nextDelay(161 * SECOND)).isLessThanOrEqualTo(Duration.ofSeconds(2)).isGreaterThan(Duration.ofSeconds(1));
    }
}
