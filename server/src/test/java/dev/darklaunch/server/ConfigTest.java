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
    }
}
