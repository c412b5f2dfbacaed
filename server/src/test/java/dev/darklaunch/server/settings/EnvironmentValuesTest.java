package dev.darklaunch.server.settings;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvironmentValuesTest {

    @Test
    void every_duration_setting_reads_the_same_units_or_iso_8601() {
        assertThat(EnvironmentValues.parseDuration("x", "90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(EnvironmentValues.parseDuration("x", "1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(EnvironmentValues.parseDuration("x", "15s")).isEqualTo(Duration.ofSeconds(15));
        assertThat(EnvironmentValues.parseDuration("x", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(EnvironmentValues.parseDuration("x", " 12H ")).isEqualTo(Duration.ofHours(12));
        assertThat(EnvironmentValues.parseDuration("x", "2d")).isEqualTo(Duration.ofDays(2));
        assertThat(EnvironmentValues.parseDuration("x", "PT36H")).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void a_value_that_is_not_a_duration_or_a_number_names_its_variable() {
        assertThatThrownBy(() -> EnvironmentValues.parseDuration("DARKLAUNCH_SESSION_IDLE", "soon"))
                .hasMessageContaining("DARKLAUNCH_SESSION_IDLE").hasMessageContaining("'soon'");
        assertThatThrownBy(() -> EnvironmentValues.parseDuration("DARKLAUNCH_SDK_HEARTBEAT", "P"))
                .hasMessageContaining("DARKLAUNCH_SDK_HEARTBEAT");
        assertThatThrownBy(() -> EnvironmentValues.integer(Map.of("DARKLAUNCH_SDK_PATCH_HISTORY", "many"),
                "DARKLAUNCH_SDK_PATCH_HISTORY", 1)).hasMessageContaining("DARKLAUNCH_SDK_PATCH_HISTORY must be a whole number");
        assertThatThrownBy(() -> EnvironmentValues.positive("DARKLAUNCH_HTTP_IDLE_TIMEOUT", Duration.ZERO))
                .hasMessageContaining("DARKLAUNCH_HTTP_IDLE_TIMEOUT must be a positive duration");
    }

    @Test
    void unset_or_blank_takes_the_default() {
        assertThat(EnvironmentValues.duration(Map.of(), "X", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(EnvironmentValues.duration(Map.of("X", " "), "X", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(EnvironmentValues.integer(Map.of(), "X", 7)).isEqualTo(7);
    }
}
