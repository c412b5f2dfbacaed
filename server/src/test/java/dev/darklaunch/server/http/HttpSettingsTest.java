package dev.darklaunch.server.http;

import dev.darklaunch.server.Config;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpSettingsTest {

    @Test
    void defaults_follow_the_documented_table() {
        HttpSettings http = Config.fromEnvironment(Map.of()).http();
        assertThat(http.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(http.idleTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(http.maxConnectionsPerAddress()).isEqualTo(1000);
        assertThat(http.clients()).isSameAs(ClientAddresses.DIRECT);
    }

    @Test
    void settings_are_read_from_the_environment() {
        HttpSettings http = Config.fromEnvironment(Map.of("DARKLAUNCH_HTTP_HEADER_TIMEOUT", "5s",
                "DARKLAUNCH_HTTP_IDLE_TIMEOUT", "2m", "DARKLAUNCH_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "0",
                "DARKLAUNCH_TRUSTED_PROXIES", "10.0.0.0/8")).http();
        assertThat(http.headerTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(http.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(http.maxConnectionsPerAddress()).isZero();
        assertThat(http.clients().isTrustedProxy("10.9.8.7")).isTrue();
        assertThat(http.toString()).contains("unlimited", "10.0.0.0/8");
    }

    @Test
    void bad_settings_fail_fast_with_a_clear_message() {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DARKLAUNCH_HTTP_HEADER_TIMEOUT", "0s")))
                .hasMessageContaining("DARKLAUNCH_HTTP_HEADER_TIMEOUT must be a positive duration");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DARKLAUNCH_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "-1")))
                .hasMessageContaining("DARKLAUNCH_HTTP_MAX_CONNECTIONS_PER_ADDRESS");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DARKLAUNCH_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "lots")))
                .hasMessageContaining("whole number");
        // SDK streams are quiet between heartbeats: an idle timeout as short would cut them
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DARKLAUNCH_HTTP_IDLE_TIMEOUT", "15s")))
                .hasMessageContaining("DARKLAUNCH_HTTP_IDLE_TIMEOUT").hasMessageContaining("DARKLAUNCH_SDK_HEARTBEAT");
    }
}
