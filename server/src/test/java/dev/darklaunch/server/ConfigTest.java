package dev.darklaunch.server;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {

    @Test
    void defaults_follow_the_documented_table() {
        Config config = Config.fromEnvironment(Map.of());
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.databaseUrl()).isEmpty();
        assertThat(config.dataDir().toString()).endsWith("darklaunch-data");
        assertThat(config.adminToken()).isEmpty();
        assertThat(config.adminPassword()).isEmpty();
        assertThat(config.sessions().idle()).isEqualTo(java.time.Duration.ofHours(12));
        assertThat(config.sessions().max()).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(config.database().timeout()).isEqualTo(java.time.Duration.ofSeconds(5));
    }

    @Test
    void the_database_timeout_is_read_from_the_environment() {
        assertThat(Config.fromEnvironment(Map.of("DARKLAUNCH_DATABASE_TIMEOUT", "1500ms")).database().timeout())
                .isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(Config.fromEnvironment(Map.of("DARKLAUNCH_DATABASE_TIMEOUT", "10s")).database().timeout())
                .isEqualTo(java.time.Duration.ofSeconds(10));
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DARKLAUNCH_DATABASE_TIMEOUT", "10ms")))
                .hasMessageContaining("DARKLAUNCH_DATABASE_TIMEOUT must be at least 100ms");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DARKLAUNCH_DATABASE_TIMEOUT", "soon")))
                .hasMessageContaining("DARKLAUNCH_DATABASE_TIMEOUT");
    }

    @Test
    void admin_ui_settings_are_read_from_the_environment() {
        Config config = Config.fromEnvironment(Map.of("DARKLAUNCH_ADMIN_PASSWORD", "a long admin password",
                "DARKLAUNCH_SESSION_IDLE", "30m", "DARKLAUNCH_SESSION_MAX", "1d"));
        assertThat(config.adminPassword()).hasValue("a long admin password");
        assertThat(config.sessions().idle()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(config.sessions().max()).isEqualTo(java.time.Duration.ofDays(1));
        assertThat(config.toString()).doesNotContain("a long admin password");
    }

    @Test
    void settings_are_read_from_the_environment() {
        Config config = Config.fromEnvironment(Map.of("DARKLAUNCH_PORT", " 9000 ", "DARKLAUNCH_DATABASE_URL",
                "postgresql://u:p@db:5432/d", "DARKLAUNCH_ADMIN_TOKEN", "x".repeat(30), "DARKLAUNCH_DATA_DIR", "/tmp/dl"));
        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.databaseUrl()).hasValue("postgresql://u:p@db:5432/d");
        assertThat(config.adminToken()).hasValue("x".repeat(30));
        assertThat(config.dataDir().toString()).isEqualTo("/tmp/dl");
    }

    @Test
    void bad_settings_fail_fast_with_a_clear_message() {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DARKLAUNCH_PORT", "http")))
                .hasMessageContaining("DARKLAUNCH_PORT must be a number");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DARKLAUNCH_PORT", "70000")))
                .hasMessageContaining("between 0 and 65535");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DARKLAUNCH_ADMIN_TOKEN", "short")))
                .hasMessageContaining("at least 24");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DARKLAUNCH_ADMIN_PASSWORD", "short")))
                .hasMessageContaining("DARKLAUNCH_ADMIN_PASSWORD must be 12 to 256 characters");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DARKLAUNCH_SESSION_MAX", "forever")))
                .hasMessageContaining("DARKLAUNCH_SESSION_MAX");
    }
}
