package dev.darklaunch.server.feed;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedSettingsTest {

    @Test
    void defaults_follow_the_protocol_document() {
        FeedSettings settings = FeedSettings.fromEnvironment(Map.of());
        assertThat(settings.heartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.streamLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.reconcileInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void durations_take_units_and_bad_values_are_refused_with_the_variable_named() {
        FeedSettings settings = FeedSettings.fromEnvironment(Map.of("DARKLAUNCH_SDK_HEARTBEAT", "500ms",
                "DARKLAUNCH_SDK_STREAM_LIFETIME", "2m", "DARKLAUNCH_FEED_RECONCILE_INTERVAL", "3",
                "DARKLAUNCH_SDK_MAX_STREAMS_PER_TOKEN", "7"));
        assertThat(settings.heartbeat()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.streamLifetime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.reconcileInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.maxStreamsPerToken()).isEqualTo(7);
        assertThatThrownBy(() -> FeedSettings.fromEnvironment(Map.of("DARKLAUNCH_SDK_HEARTBEAT", "soon")))
                .hasMessageContaining("DARKLAUNCH_SDK_HEARTBEAT");
        assertThatThrownBy(() -> FeedSettings.fromEnvironment(Map.of("DARKLAUNCH_SDK_HEARTBEAT", "0s")))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> FeedSettings.fromEnvironment(Map.of("DARKLAUNCH_SDK_MAX_STREAMS_PER_TOKEN", "0")))
                .hasMessageContaining("at least 1");
    }

    @Test
    void a_stream_lifetime_varies_by_at_most_twenty_percent() {
        for (int i = 0; i < 1000; i++) {
            assertThat(Feed.jitteredLifetime(Duration.ofMinutes(5)))
                    .isBetween(Duration.ofMinutes(4), Duration.ofMinutes(6));
        }
    }
}
