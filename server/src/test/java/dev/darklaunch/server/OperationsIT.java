package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.RawHttp;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health, readiness, Prometheus metrics (public without tenant names, complete for admins), and
 * the things every response carries: HEAD like GET, JSON errors even for requests the HTTP codec
 * refuses, and no caching of what is not a served asset.
 */
@DarklaunchServerTest
class OperationsIT {

    @Given
    private static TestServer server;

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
    void public_metrics_name_no_project_or_environment_and_admins_get_the_series_per_environment() {
        assertThat(server.admin().post("/api/v1/projects", Map.of("key", "acme-tenant", "name", "Acme",
                "environments", List.of(Map.of("key", "acme-env")))).status()).isEqualTo(201);
        Await.until(Duration.ofSeconds(30), "the new environment served", () -> server.admin().get("/api/v1/metrics").text()
                .contains("darklaunch_feed_revision{environment=\"acme-env\",project=\"acme-tenant\"}"));

        Http.Response everything = server.admin().get("/api/v1/metrics");
        assertThat(everything.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(everything.text()).contains("jvm_memory_used_bytes", "vertx_http_server_requests_total{");
        String open = server.admin().as(null).get("/metrics").text();
        assertThat(open).contains("jvm_memory_used_bytes", "darklaunch_sdk_streams_open")
                .doesNotContain("acme-tenant", "acme-env", "project=\"", "environment=\"");

        String pipeline = server.token("pipeline", "acme-tenant", "acme-env");
        assertThat(server.admin().as(pipeline).get("/api/v1/metrics").status()).isEqualTo(403);
        assertThat(server.admin().as(null).get("/api/v1/metrics").status()).isEqualTo(401);
    }

    /** Every routed GET, with path parameters naming things that exist, and the credential it takes. */
    private static List<String> readablePaths() {
        Http admin = server.admin();
        if (admin.get("/api/v1/projects/default/flags/head-flag").status() == 404) {
            assertThat(admin.post("/api/v1/projects/default/flags", Map.of("key", "head-flag", "name", "Head", "kind", "boolean",
                    "variations", List.of(Map.of("value", true), Map.of("value", false)))).status()).isEqualTo(201);
            assertThat(admin.post("/api/v1/projects/default/segments", Map.of("key", "head-seg", "name", "Head")).status())
                    .isEqualTo(201);
            assertThat(admin.post("/api/v1/projects/default/deployments", Map.of("service", "s", "version", "1",
                    "environment", "production")).status()).isEqualTo(201);
        }
        return server.server().routes().stream().filter(route -> route.startsWith("GET "))
                .map(route -> route.substring(4).replace("{project}", "default").replace("{env}", "production")
                        .replace("{flag}", "head-flag").replace("{segment}", "head-seg").replace("{id}", "1")
                        .replace("{webhook}", "1"))
                .toList();
    }

    @Test
    void every_get_route_answers_head_with_the_same_status_and_headers_and_no_body() {
        String sdk = server.token("sdk", "default", "production");
        List<String> paths = new java.util.ArrayList<>(readablePaths());
        paths.addAll(List.of("/", "/assets/no-such-file-0123abcd.js", "/api/v1/projects/default/flags?limit=1"));
        // OFREP's change stream is for browsers: the client token is in the address (EventSource sends no headers)
        String clientToken = new Fixtures(server.admin()).token(Map.of("name", "head page", "kind", "client", "project", "default",
                "environments", List.of("production"), "origins", List.of("https://shop.example.com"))).get("secret").asText();
        paths.replaceAll(path -> path.equals("/ofrep/v1/events") ? path + "?token=" + clientToken : path);
        for (String path : paths) {
            Http client = server.admin().as(path.startsWith("/sdk/") ? sdk : path.startsWith("/ofrep/v1/events?") ? null
                    : TestServer.ADMIN_TOKEN);
            Http.Response head = client.send("HEAD", path, null, null);
            assertThat(head.text()).as("HEAD %s has no body", path).isEmpty();
            if (path.endsWith("/stream") || path.endsWith("/events") || path.startsWith("/ofrep/v1/events?")) {
                assertThat(head.status()).as("HEAD %s", path).isEqualTo(200);
                assertThat(head.header("Content-Type")).as("HEAD %s", path).hasValueSatisfying(type ->
                        assertThat(type).startsWith("text/event-stream"));
                continue;
            }
            Http.Response get = client.get(path);
            assertThat(head.status()).as("HEAD %s answers as GET does (%s)", path, get).isEqualTo(get.status());
            assertThat(head.header("Content-Type")).as("Content-Type of HEAD %s", path).isEqualTo(get.header("Content-Type"));
            assertThat(head.header("Cache-Control")).as("Cache-Control of HEAD %s", path).isEqualTo(get.header("Cache-Control"));
        }
    }

    @Test
    void a_missing_asset_is_a_404_no_one_caches() {
        for (String method : List.of("GET", "HEAD")) {
            Http.Response missing = server.admin().as(null).send(method, "/assets/index-0123abcd.js", null, null);
            assertThat(missing.status()).as(method).isEqualTo(404);
            assertThat(missing.header("Cache-Control")).as("Cache-Control of %s of a missing asset", method).hasValue("no-store");
        }
    }

    /** Requests the HTTP codec refuses before any route sees them, and the status each gets. */
    static Stream<Arguments> unreadableRequests() {
        String crlf = "\r\n";
        return Stream.of(
                Arguments.of("a request line over 4096 bytes", "GET /api/v1/projects?q=" + "a".repeat(5000) + " HTTP/1.1" + crlf
                        + "Host: localhost" + crlf + crlf, 414, "uri_too_long"),
                Arguments.of("headers over 16 KiB", "GET /health/live HTTP/1.1" + crlf + "Host: localhost" + crlf
                        + "X-Large: " + "a".repeat(17_000) + crlf + crlf, 431, "headers_too_large"),
                Arguments.of("many headers over 16 KiB together", "GET /health/live HTTP/1.1" + crlf + "Host: localhost" + crlf
                        + ("X-Many: " + "b".repeat(1000) + crlf).repeat(20) + crlf, 431, "headers_too_large"),
                Arguments.of("a header line without a colon", "GET /health/live HTTP/1.1" + crlf + "Host: localhost" + crlf
                        + "no colon here" + crlf + crlf, 400, "invalid_request"),
                Arguments.of("not HTTP at all", "HELLO" + crlf + crlf, 400, "invalid_request"),
                Arguments.of("a Content-Length that is no number", "POST /api/v1/projects HTTP/1.1" + crlf + "Host: localhost" + crlf
                        + "Content-Type: application/json" + crlf + "Content-Length: many" + crlf + crlf + "{}", 400, "invalid_request"),
                Arguments.of("two different Content-Lengths", "POST /api/v1/projects HTTP/1.1" + crlf + "Host: localhost" + crlf
                        + "Content-Type: application/json" + crlf + "Content-Length: 2" + crlf + "Content-Length: 3" + crlf + crlf + "{}",
                        400, "invalid_request"),
                Arguments.of("a body over 1 MiB announced with Expect: 100-continue", "POST /api/v1/projects HTTP/1.1" + crlf
                        + "Host: localhost" + crlf + "Authorization: Bearer " + TestServer.ADMIN_TOKEN + crlf
                        + "Content-Type: application/json" + crlf + "Expect: 100-continue" + crlf + "Content-Length: 2000000" + crlf + crlf,
                        413, "payload_too_large"));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("unreadableRequests")
    void a_request_the_codec_cannot_read_gets_a_json_error(String what, String request, int status, String code) throws Exception {
        RawHttp.Response response = RawHttp.send(server.port(), request.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(response.status()).as("%s → %s", what, response.text()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as("%s → %s", what, response.head()).startsWith("application/json");
        JsonNode body = Http.mapper().readTree(response.body());
        assertThat(body.path("error").asText()).as("%s → %s", what, response.body()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotBlank().doesNotContainPattern(BadInputIT.JAVA_NAMES);
        assertThat(server.admin().get("/health/ready").status()).as("the server still serves").isEqualTo(200);
    }

    @Test
    void token_use_is_recorded() {
        String secret = server.token("pipeline", "default", "staging");
        server.admin().as(secret).get("/api/v1/projects/default");
        List<String> lastUsed = new java.util.ArrayList<>();
        Await.until(Duration.ofSeconds(10), "lastUsedAt is written", () -> {
            server.admin().get("/api/v1/tokens").json().get("items").forEach(token -> {
                if (token.get("kind").asText().equals("pipeline") && token.has("lastUsedAt")) {
                    lastUsed.add(token.get("lastUsedAt").asText());
                }
            });
            return !lastUsed.isEmpty();
        });
        assertThat(lastUsed).as("lastUsedAt is written shortly after use").isNotEmpty();
    }
}
