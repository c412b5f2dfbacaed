package dev.darklaunch.server.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionSettingsTest {

    @Test
    void defaults_are_twelve_hours_idle_and_seven_days_in_all() {
        SessionSettings settings = SessionSettings.fromEnvironment(Map.of());
        assertThat(settings.idle()).isEqualTo(Duration.ofHours(12));
        assertThat(settings.max()).isEqualTo(Duration.ofDays(7));
        assertThat(settings.touchInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void durations_read_like_the_other_settings_or_as_iso_8601() {
        SessionSettings settings = SessionSettings.fromEnvironment(Map.of("DARKLAUNCH_SESSION_IDLE", "30m",
                "DARKLAUNCH_SESSION_MAX", "PT36H"));
        assertThat(settings.idle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.max()).isEqualTo(Duration.ofHours(36));
        assertThatThrownBy(() -> SessionSettings.fromEnvironment(Map.of("DARKLAUNCH_SESSION_IDLE", "soon")))
                .hasMessageContaining("DARKLAUNCH_SESSION_IDLE");
        assertThatThrownBy(() -> new SessionSettings(Duration.ZERO, Duration.ofDays(1))).hasMessageContaining("positive");
    }

    @Test
    void short_idle_timeouts_record_use_more_often_so_they_still_slide() {
        assertThat(new SessionSettings(Duration.ofSeconds(2), Duration.ofSeconds(5)).touchInterval()).isEqualTo(Duration.ofMillis(200));
    }
}
