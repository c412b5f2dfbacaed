package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** RELIABILITY 13: 100 concurrent edits of one flag at the same version — exactly one wins, nothing is lost. */
@DarklaunchServerTest
class ConcurrentEditsIT {

    private static final String FLAG = "/api/v1/projects/default/flags/contested";
    private static final String CONFIG = FLAG + "/environments/production";
    private static final int WRITERS = 100;

    @Given
    private static TestServer server;

    @BeforeAll
    static void start() {
        Http.Response created = server.admin().post("/api/v1/projects/default/flags", Map.of("key", "contested",
                "name", "Contested", "kind", "string",
                "variations", List.of(Map.of("value", "a"), Map.of("value", "b"))));
        assertThat(created.status()).isEqualTo(201);
    }

    @Test
    void one_hundred_writers_at_the_same_version_one_succeeds_the_rest_get_412_and_one_audit_event() throws Exception {
        Http.Response current = server.admin().get(CONFIG);
        String etag = current.header("ETag").orElseThrow();
        Http writer = server.admin().with("If-Match", etag);

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Http.Response>> results = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            String marker = "writer-" + i;
            Map<String, Object> config = Map.of("on", true, "offVariation", 0, "fallthrough", Map.of("variation", 1),
                    "targets", List.of(Map.of("variation", 0, "values", List.of(marker))));
            results.add(CompletableFuture.supplyAsync(() -> {
                Await.gate(go);
                return writer.put(CONFIG, config);
            }, pool));
        }
        go.countDown();
        List<Http.Response> responses = results.stream().map(CompletableFuture::join).toList();
        pool.shutdown();

        List<Http.Response> winners = responses.stream().filter(r -> r.status() == 200).toList();
        assertThat(winners).hasSize(1);
        assertThat(responses).filteredOn(r -> r.status() != 200)
                .hasSize(WRITERS - 1)
                .allSatisfy(r -> {
                    assertThat(r.status()).isEqualTo(412);
                    assertThat(r.json().get("error").asText()).isEqualTo("version_mismatch");
                });

        JsonNode winner = winners.get(0).json().get("config");
        JsonNode stored = server.admin().get(CONFIG).json();
        assertThat(stored.get("config")).isEqualTo(winner);
        assertThat(stored.get("version").asLong()).isEqualTo(Long.parseLong(etag.replace("\"", "")) + 1);

        JsonNode events = server.admin().get("/api/v1/projects/default/audit?flag=contested&environment=production").json().get("items");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("action").asText()).isEqualTo("flag.config.update");
        assertThat(events.get(0).get("after")).isEqualTo(winner);
    }
}
