package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.DarklaunchServerTest.Database;
import dev.darklaunch.server.testing.DarklaunchServerTest.Lifetime;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.StoppableDatabase;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY 12 (server side): with the database stopped, writes answer 503 quickly with a clear
 * message and nothing half-applied; when it returns, the server recovers by itself.
 * Uses its own PostgreSQL, since it stops it.
 */
@DarklaunchServerTest(database = Database.STOPPABLE, lifetime = Lifetime.PER_TEST)
class DatabaseOutageIT {

    @Given
    private StoppableDatabase database;
    @Given
    private TestServer server;

    @Test
    void writes_answer_503_while_the_database_is_down_and_work_again_when_it_returns() throws Exception {
        Http admin = server.admin();
        String flags = "/api/v1/projects/default/flags";
        assertThat(admin.post(flags, flag("before-outage")).status()).isEqualTo(201);

        database.stop();

        long start = System.nanoTime();
        Http.Response write = admin.post(flags, flag("during-outage"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(write.status()).as(write.toString()).isEqualTo(503);
        assertThat(write.json().get("error").asText()).isEqualTo("unavailable");
        assertThat(write.json().get("message").asText()).contains("database");
        assertThat(took).as("503 within a bounded time, no hang").isLessThan(Duration.ofSeconds(15));

        Http.Response toggle = admin.post(flags + "/before-outage/environments/production/on", null);
        assertThat(toggle.status()).isEqualTo(503);
        assertThat(admin.as(null).get("/health/ready").status()).isEqualTo(503);
        assertThat(admin.as(null).get("/health/live").status()).isEqualTo(200);

        database.start();
        Http.Response recovered = Await.value(Duration.ofSeconds(60), Duration.ofMillis(200), "a write answered other than 503",
                () -> {
                    Http.Response attempt = admin.post(flags, flag("after-outage"));
                    return attempt.status() != 503 ? attempt : null;
                });
        assertThat(recovered).isNotNull();
        assertThat(recovered.status()).as(recovered.toString()).isEqualTo(201);
        assertThat(admin.as(null).get("/health/ready").status()).isEqualTo(200);

        assertThat(admin.get(flags + "/before-outage").status()).isEqualTo(200);
        assertThat(admin.get(flags + "/during-outage").status()).as("nothing half-applied").isEqualTo(404);
        assertThat(admin.get(flags + "/before-outage/environments/production").json().at("/config/on").asBoolean())
                .as("the toggle refused with 503 did not happen").isFalse();
    }

    @Test
    void a_release_step_that_falls_due_while_the_database_is_down_applies_once_it_returns() throws Exception {
        Http admin = server.admin();
        String deployments = "/api/v1/projects/default/deployments";
        JsonNode recorded = new Fixtures(admin).deployment(Map.of("service", "checkout", "version", "3.0.0",
                "environment", "production", "flags", List.of("through-outage")));
        long id = recorded.get("id").asLong();
        Http.Response released = admin.post(deployments + "/" + id + "/release", Map.of("steps", List.of(Map.of("percentage", 10),
                Map.of("percentage", 100, "after", "PT2S"))));
        assertThat(released.status()).isEqualTo(200);

        database.stop();
        Http.Response rollback = admin.post(deployments + "/" + id + "/rollback", null);
        assertThat(rollback.status()).as("a rollback cannot be recorded without the database").isEqualTo(503);
        // the second step falls due while the database is down, and a scheduler check passes
        Await.past(OffsetDateTime.parse(released.json().at("/release/steps/1/dueAt").asText()).toInstant().plusSeconds(1));
        database.start();

        JsonNode deployment = Await.value(Duration.ofSeconds(60), Duration.ofMillis(200), "the plan completed after the outage", () -> {
            Http.Response found = admin.get(deployments + "/" + id);
            return found.status() == 200 && found.json().at("/release/state").asText().equals("completed") ? found.json() : null;
        });
        assertThat(deployment).as("the plan completed after the outage").isNotNull();
        assertThat(deployment.at("/flags/0/percentage").asDouble()).isEqualTo(100.0);
        assertThat(deployment.get("status").asText()).as("the refused rollback did not happen").isEqualTo("started");
        JsonNode audit = admin.get("/api/v1/projects/default/audit?deployment=" + id).json().get("items");
        long steps = 0;
        for (JsonNode event : audit) {
            steps += event.get("action").asText().equals("deployment.release.step") ? 1 : 0;
        }
        assertThat(steps).as("each step once").isEqualTo(2);
    }

    private static Map<String, Object> flag(String key) {
        return Map.of("key", key, "name", key, "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false)));
    }

}
