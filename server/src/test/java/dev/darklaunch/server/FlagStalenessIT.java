package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flags list says how long each flag has gone unused, on the server's clock: here moved 40
 * days forward, so a flag evaluated and created just now is 40 days unused for the server, and
 * whatever clock the reader has changes nothing.
 */
@DarklaunchServerTest(config = "fortyDaysLater")
class FlagStalenessIT {

    private static final String P = "/api/v1/projects/default";

    @Given
    static TestServer server;
    @Given
    static Http admin;
    @Given
    static Fixtures given;

    static Config fortyDaysLater(Config config) {
        return config.withClockOffset(Duration.ofDays(40));
    }

    @Test
    void a_temporary_flag_evaluated_forty_days_ago_is_stale_with_the_day_of_its_last_report() {
        given.flag(Map.of("key", "old-banner", "name", "Old banner", "kind", "boolean", "lifecycle", "temporary",
                "variations", List.of(Map.of("value", true), Map.of("value", false))));
        String sdk = server.token("sdk", "default", "production");
        assertThat(admin.as(sdk).post("/sdk/v1/metrics", Map.of("flags", Map.of("old-banner", Map.of("0", 3)))).status())
                .isEqualTo(202);

        JsonNode usage = listed("old-banner").get("usage");
        assertThat(usage.get("unusedDays").asInt()).isEqualTo(40);
        assertThat(usage.get("stale").asBoolean()).isTrue();
        assertThat(usage.hasNonNull("lastEvaluatedAt")).as(usage.toString()).isTrue();
    }

    @Test
    void a_flag_no_sdk_ever_reported_has_no_last_report_and_counts_its_age() {
        given.flag(Map.of("key", "never-seen", "name", "Never seen", "kind", "boolean", "lifecycle", "temporary",
                "variations", List.of(Map.of("value", true), Map.of("value", false))));

        JsonNode usage = listed("never-seen").get("usage");
        assertThat(usage.has("lastEvaluatedAt")).as(usage.toString()).isFalse();
        assertThat(usage.get("unusedDays").asInt()).isEqualTo(40);
        assertThat(usage.get("stale").asBoolean()).isTrue();
    }

    @Test
    void a_permanent_flag_is_never_stale() {
        given.flag(Map.of("key", "kill-switch", "name", "Kill switch", "kind", "boolean", "lifecycle", "permanent",
                "variations", List.of(Map.of("value", true), Map.of("value", false))));

        JsonNode usage = listed("kill-switch").get("usage");
        assertThat(usage.get("unusedDays").asInt()).isEqualTo(40);
        assertThat(usage.get("stale").asBoolean()).isFalse();
    }

    private static JsonNode listed(String key) {
        Map<String, JsonNode> byKey = new HashMap<>();
        Fixtures.expect(200, admin.get(P + "/flags?limit=500")).get("items").forEach(item -> byKey.put(item.get("key").asText(), item));
        assertThat(byKey).containsKey(key);
        return byKey.get(key);
    }
}
