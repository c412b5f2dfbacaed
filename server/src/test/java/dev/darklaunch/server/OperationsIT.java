package dev.darklaunch.server;

import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Health, readiness, Prometheus metrics and the things every response carries. */
class OperationsIT {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void liveness_and_readiness_answer_without_a_token() {
        Http anonymous = server.admin().as(null);
        assertThat(anonymous.get("/health/live").json().get("status").asText()).isEqualTo("live");
        assertThat(anonymous.get("/health/ready").json().get("status").asText()).isEqualTo("ready");
    }

    @Test
    void metrics_cover_http_the_database_pool_and_the_jvm() {
        server.admin().get("/api/v1/projects");
        Http.Response metrics = server.admin().as(null).get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(metrics.text()).contains("vertx_http_server_requests_total{", "route=\"/api/>/api/v1/projects\"",
                "vertx_pool_in_use", "vertx_sql_processing_time_seconds", "jvm_memory_used_bytes", "jvm_gc_", "process_cpu_usage");
    }

    @Test
    void responses_are_not_cached_or_sniffed_and_unknown_routes_are_404_json() {
        Http.Response response = server.admin().get("/api/v1/nothing-here");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("error").asText()).isEqualTo("not_found");
        assertThat(response.header("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.header("Cache-Control")).hasValue("no-store");

        Http.Response wrongMethod = server.admin().send("PATCH", "/api/v1/projects/default", Map.of("name", "x"), "application/json");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().get("error").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void token_use_is_recorded() {
        String secret = server.token("pipeline", "default", "staging");
        server.admin().as(secret).get("/api/v1/projects/default");
        List<String> lastUsed = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (lastUsed.isEmpty() && System.nanoTime() < deadline) {
            server.admin().get("/api/v1/tokens").json().get("items").forEach(token -> {
                if (token.get("kind").asText().equals("pipeline") && token.has("lastUsedAt")) {
                    lastUsed.add(token.get("lastUsedAt").asText());
                }
            });
        }
        assertThat(lastUsed).as("lastUsedAt is written shortly after use").isNotEmpty();
    }
}
