package dev.darklaunch.server.feed;

import static dev.darklaunch.server.settings.EnvironmentValues.duration;
import static dev.darklaunch.server.settings.EnvironmentValues.integer;
import static dev.darklaunch.server.settings.EnvironmentValues.positive;

import java.time.Duration;
import java.util.Map;

/**
 * Timings and limits of the SDK feed.
 *
 * @param heartbeat          how often an idle stream gets a heartbeat comment ({@code DARKLAUNCH_SDK_HEARTBEAT}, 15s)
 * @param streamLifetime     how long a stream lives before the server ends it, ± 20 % at random
 *                           ({@code DARKLAUNCH_SDK_STREAM_LIFETIME}, 5m)
 * @param reconcileInterval  how often each instance compares its revisions with the database, repairing
 *                           missed notifications ({@code DARKLAUNCH_FEED_RECONCILE_INTERVAL}, 5s)
 * @param maxStreamsPerToken open streams one SDK token may hold on one instance; more get 429
 *                           ({@code DARKLAUNCH_SDK_MAX_STREAMS_PER_TOKEN}, 1000)
 * @param historySize        patches kept per environment for resuming with {@code Last-Event-ID}
 *                           ({@code DARKLAUNCH_SDK_PATCH_HISTORY}, 100)
 */
public record FeedSettings(Duration heartbeat, Duration streamLifetime, Duration reconcileInterval,
                           int maxStreamsPerToken, int historySize) {

    public static final FeedSettings DEFAULTS = new FeedSettings(Duration.ofSeconds(15), Duration.ofMinutes(5),
            Duration.ofSeconds(5), 1000, 100);

    public FeedSettings {
        positive("DARKLAUNCH_SDK_HEARTBEAT", heartbeat);
        positive("DARKLAUNCH_SDK_STREAM_LIFETIME", streamLifetime);
        positive("DARKLAUNCH_FEED_RECONCILE_INTERVAL", reconcileInterval);
        if (maxStreamsPerToken < 1) {
            throw new IllegalArgumentException("DARKLAUNCH_SDK_MAX_STREAMS_PER_TOKEN must be at least 1, got " + maxStreamsPerToken);
        }
        if (historySize < 0) {
            throw new IllegalArgumentException("DARKLAUNCH_SDK_PATCH_HISTORY must not be negative, got " + historySize);
        }
    }

    public static FeedSettings fromEnvironment(Map<String, String> env) {
        return new FeedSettings(
                duration(env, "DARKLAUNCH_SDK_HEARTBEAT", DEFAULTS.heartbeat),
                duration(env, "DARKLAUNCH_SDK_STREAM_LIFETIME", DEFAULTS.streamLifetime),
                duration(env, "DARKLAUNCH_FEED_RECONCILE_INTERVAL", DEFAULTS.reconcileInterval),
                integer(env, "DARKLAUNCH_SDK_MAX_STREAMS_PER_TOKEN", DEFAULTS.maxStreamsPerToken),
                integer(env, "DARKLAUNCH_SDK_PATCH_HISTORY", DEFAULTS.historySize));
    }

    public FeedSettings withHeartbeat(Duration value) {
        return new FeedSettings(value, streamLifetime, reconcileInterval, maxStreamsPerToken, historySize);
    }

    public FeedSettings withStreamLifetime(Duration value) {
        return new FeedSettings(heartbeat, value, reconcileInterval, maxStreamsPerToken, historySize);
    }

    public FeedSettings withReconcileInterval(Duration value) {
        return new FeedSettings(heartbeat, streamLifetime, value, maxStreamsPerToken, historySize);
    }

    public FeedSettings withMaxStreamsPerToken(int value) {
        return new FeedSettings(heartbeat, streamLifetime, reconcileInterval, value, historySize);
    }

    public FeedSettings withHistorySize(int value) {
        return new FeedSettings(heartbeat, streamLifetime, reconcileInterval, maxStreamsPerToken, value);
    }
}
