package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.SdkTestTimings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracked events end to end: the real SDK's {@code track()} calls reach the database exactly once,
 * also when the server refuses a report once, and read back through
 * {@code GET …/environments/{env}/tracked-events}; bad event sums are 400 naming the field.
 */
@DarklaunchServerTest
class TrackedEventsIT {

    private static final String P = "/api/v1/projects/default";
    private static final Context USER = Context.of("user-1");

    @Given
    private static String databaseUrl;
    @Given
    private static TestServer server;
    @Given
    private static Http admin;

    @Test
    void events_tracked_by_the_sdk_are_stored_once_per_minute_and_read_back() throws Exception {
        String token = server.token("sdk", "default", "production");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        try (DarklaunchClient client = client(URI.create(server.base()), token)) {
            for (int i = 0; i < 500; i++) {
                client.track("checkout-completed", USER, 3);
                client.track("page-viewed", USER);
            }
            Await.until(Duration.ofSeconds(20), "the events stored",
                    () -> storedCount("production", "checkout-completed") == 500 && storedCount("production", "page-viewed") == 500);
            client.track("checkout-completed", USER, 4);
        } // close() sends the last one
        assertThat(storedCount("production", "checkout-completed")).as("exactly once, the last one sent by close()").isEqualTo(501);
        assertThat(storedSum("production", "checkout-completed")).isEqualTo(1504.0);

        JsonNode answer = admin.get(P + "/environments/production/tracked-events").json();
        long count = 0;
        double sum = 0;
        for (JsonNode item : answer.get("items")) {
            assertThat(Instant.parse(item.get("minute").asText())).isAfterOrEqualTo(before);
            if (item.get("name").asText().equals("checkout-completed")) {
                count += item.get("count").asLong();
                sum += item.get("sum").asDouble();
            }
        }
        assertThat(count).isEqualTo(501);
        assertThat(sum).isEqualTo(1504.0);
        JsonNode one = admin.get(P + "/environments/production/tracked-events?event=page-viewed").json().get("items");
        assertThat(one).allMatch(item -> item.get("name").asText().equals("page-viewed")).isNotEmpty();
        JsonNode staging = admin.get(P + "/environments/staging/tracked-events").json().get("items");
        assertThat(staging).as("another environment's events")
                .noneMatch(item -> item.get("name").asText().equals("checkout-completed"));
    }

    @Test
    void events_tracked_through_openfeature_reach_the_server_as_sums() throws Exception {
        String token = server.token("sdk", "default", "development");
        try (DarklaunchClient client = client(URI.create(server.base()), token)) {
            dev.openfeature.sdk.OpenFeatureAPI api = dev.openfeature.sdk.OpenFeatureAPI.getInstance();
            String domain = "tracked-events-it"; // a domain of its own: other tests' providers are left alone
            api.setProviderAndWait(domain, new dev.darklaunch.openfeature.DarklaunchProvider(client));
            dev.openfeature.sdk.Client openFeature = api.getClient(domain);
            dev.openfeature.sdk.EvaluationContext who = new dev.openfeature.sdk.ImmutableContext("user-7");
            for (int i = 0; i < 20; i++) {
                openFeature.track("basket-value", who, new dev.openfeature.sdk.MutableTrackingEventDetails(2.5));
                openFeature.track("signed-up", who);
            }
            Await.until(Duration.ofSeconds(20), "the events tracked through OpenFeature stored",
                    () -> storedCount("development", "basket-value") == 20 && storedCount("development", "signed-up") == 20);
            api.setProviderAndWait(domain, new dev.openfeature.sdk.NoOpProvider());
        }
        assertThat(storedSum("development", "basket-value")).isEqualTo(50.0);
        assertThat(storedSum("development", "signed-up")).isEqualTo(0.0);
    }

    @Test
    void a_report_the_server_refuses_once_is_sent_again_and_stored_exactly_once() throws Exception {
        String token = server.token("sdk", "default", "staging");
        AtomicInteger refused = new AtomicInteger();
        try (RefusingProxy proxy = new RefusingProxy(URI.create(server.base()), refused);
             DarklaunchClient client = client(proxy.uri(), token)) {
            for (int i = 0; i < 200; i++) {
                client.track("order-failed", USER, 1.5);
            }
            Await.until(Duration.ofSeconds(20), "the events stored after a refusal", () -> storedCount("staging", "order-failed") == 200);
            assertThat(refused.get()).as("the proxy refused a report").isEqualTo(1);
        }
        assertThat(storedCount("staging", "order-failed")).isEqualTo(200);
        assertThat(storedSum("staging", "order-failed")).isEqualTo(300.0);
    }

    @Test
    void bad_event_sums_are_400_naming_the_field_and_record_nothing_of_the_report() throws Exception {
        String sdk = server.token("sdk", "default", "development");
        Map<String, String> bad = new LinkedHashMap<>();
        String minute = "\"2026-11-26T12:00:00Z\"";
        bad.put("{\"flags\":{},\"events\":[{\"name\":\"\",\"minute\":" + minute + ",\"count\":1}]}", "events[0].name");
        bad.put("{\"flags\":{},\"events\":[{\"name\":\"" + "x".repeat(257) + "\",\"minute\":" + minute + ",\"count\":1}]}", "events[0].name");
        bad.put("{\"flags\":{},\"events\":[{\"name\":\"a\\nb\",\"minute\":" + minute + ",\"count\":1}]}", "events[0].name");
        bad.put("{\"flags\":{},\"events\":[{\"name\":\"a\",\"minute\":\"2026-11-26T12:00:30Z\",\"count\":1}]}", "events[0].minute");
        bad.put("{\"flags\":{},\"events\":[{\"name\":\"a\",\"minute\":\"yesterday\",\"count\":1}]}", "events[0].minute");
        bad.put("{\"flags\":{},\"events\":[{\"name\":\"a\",\"count\":1}]}", "events[0].minute");
        bad.put("{\"flags\":{},\"events\":[{\"name\":\"a\",\"minute\":" + minute + ",\"count\":-1}]}", "events[0].count");
        bad.put("{\"flags\":{},\"events\":[{\"name\":\"a\",\"minute\":" + minute + ",\"count\":1.5}]}", "events[0].count");
        bad.put("{\"flags\":{},\"events\":[{\"name\":\"a\",\"minute\":" + minute + "}]}", "events[0].count");
        bad.put("{\"flags\":{},\"events\":[{\"name\":\"a\",\"minute\":" + minute + ",\"count\":1,\"sum\":1e999}]}", "events[0].sum");
        bad.put("{\"flags\":{},\"events\":[{\"name\":\"a\",\"minute\":" + minute + ",\"count\":1,\"sum\":\"3\"}]}", "events[0].sum");
        bad.put("{\"flags\":{},\"events\":[{\"name\":\"a\",\"minute\":" + minute + ",\"count\":1,\"extra\":1}]}", "events[0].extra");
        bad.put("{\"flags\":{},\"events\":{}}", "events");
        bad.put("{\"flags\":{},\"events\":[{\"name\":\"ok\",\"minute\":" + minute + ",\"count\":1},null]}", "events[1]");
        bad.forEach((body, field) -> {
            Http.Response response = admin.as(sdk).send("POST", "/sdk/v1/metrics", body, "application/json");
            assertThat(response.status()).as(body + " → " + response).isEqualTo(400);
            assertThat(response.json().path("field").asText()).as(body + " → " + response).isEqualTo(field);
        });
        assertThat(storedCount("development", "ok")).as("nothing of a refused report").isZero();

        // an SDK from before tracked events sends no events, and is recorded as before
        assertThat(admin.as(sdk).post("/sdk/v1/metrics", Map.of("flags", Map.of())).status()).isEqualTo(202);
    }

    @Test
    void sums_of_one_minute_add_up_across_reports_and_stop_short_of_overflowing() throws Exception {
        String sdk = server.token("sdk", "default", "development");
        Map<String, Object> huge = Map.of("flags", Map.of(), "events", List.of(
                Map.of("name", "huge", "minute", "2026-11-26T12:00:00Z", "count", Long.MAX_VALUE, "sum", 1e300),
                Map.of("name", "huge", "minute", "2026-11-26T12:00:00Z", "count", 5, "sum", 1e300)));
        for (int i = 0; i < 3; i++) {
            Http.Response response = admin.as(sdk).post("/sdk/v1/metrics", huge);
            assertThat(response.status()).as(response.toString()).isEqualTo(202);
        }
        assertThat(storedCount("development", "huge")).isEqualTo(Long.MAX_VALUE);
        assertThat(storedSum("development", "huge")).isEqualTo(6e300, org.assertj.core.data.Offset.offset(1e290));
    }

    @Test
    void the_read_api_refuses_bad_ranges_with_400_and_unknown_environments_with_404() {
        for (String query : List.of("?since=yesterday", "?until=2026-13-01T00:00:00Z",
                "?since=2026-11-26T13:00:00Z&until=2026-11-26T12:00:00Z")) {
            Http.Response response = admin.get(P + "/environments/production/tracked-events" + query);
            assertThat(response.status()).as(query + " → " + response).isEqualTo(400);
            assertThat(response.json().has("field")).isTrue();
        }
        assertThat(admin.get(P + "/environments/nowhere/tracked-events").status()).isEqualTo(404);
    }

    private static DarklaunchClient client(URI base, String token) {
        // polling, so that a plain request/response proxy can stand in front of the server
        return DarklaunchClient.create(SdkTestTimings.fast(DarklaunchConfig.builder().baseUri(base).sdkToken(token))
                .streaming(false).pollInterval(Duration.ofSeconds(1)).initTimeout(Duration.ofSeconds(10)).build());
    }

    private static long storedCount(String environment, String name) {
        return (long) stored(environment, name)[0];
    }

    private static double storedSum(String environment, String name) {
        return stored(environment, name)[1];
    }

    private static double[] stored(String environment, String name) {
        try (Connection connection = SdkFeedIT.jdbc(databaseUrl);
             var statement = connection.prepareStatement("""
                     SELECT coalesce(sum(t.count), 0), coalesce(sum(t.value_sum), 0) FROM tracked_events t
                     JOIN environments e ON e.id = t.environment_id WHERE e.key = ? AND t.event_name = ?""")) {
            statement.setString(1, environment);
            statement.setString(2, name);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new double[] {rows.getBigDecimal(1).doubleValue(), rows.getDouble(2)};
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Forwards the SDK's requests to the server, but answers the first metrics report that carries events with 503. */
    private static final class RefusingProxy implements AutoCloseable {
        private final HttpServer proxy;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        RefusingProxy(URI target, AtomicInteger refused) throws IOException {
            proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            proxy.createContext("/", exchange -> {
                try {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    if (exchange.getRequestURI().getPath().equals("/sdk/v1/metrics")
                            && new String(body, java.nio.charset.StandardCharsets.UTF_8).contains("\"events\"")
                            && refused.compareAndSet(0, 1)) {
                        answer(exchange, 503, "{\"error\":\"unavailable\",\"message\":\"refused once by the test\"}".getBytes(), "application/json");
                        return;
                    }
                    HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                            .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
                    for (String header : List.of("Authorization", "Content-Type", "If-None-Match")) {
                        String value = exchange.getRequestHeaders().getFirst(header);
                        if (value != null) {
                            forward.header(header, value);
                        }
                    }
                    HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                    response.headers().firstValue("ETag").ifPresent(etag -> exchange.getResponseHeaders().set("ETag", etag));
                    answer(exchange, response.statusCode(), response.body(),
                            response.headers().firstValue("Content-Type").orElse("application/json"));
                } catch (Exception e) {
                    answer(exchange, 502, new byte[0], "application/json");
                }
            });
            proxy.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + proxy.getAddress().getPort());
        }

        private static void answer(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean empty = body.length == 0 || status == 304;
            exchange.sendResponseHeaders(status, empty ? -1 : body.length);
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        }

        @Override
        public void close() {
            proxy.stop(0);
        }
    }
}
