package dev.darklaunch.server;

import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.StoppableDatabase;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY 12 (server side): with the database stopped, writes answer 503 quickly with a clear
 * message and nothing half-applied; when it returns, the server recovers by itself.
 * Uses its own PostgreSQL, since it stops it.
 */
class DatabaseOutageIT {

    @TempDir
    Path dataDir;
    private StoppableDatabase database;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void writes_answer_503_while_the_database_is_down_and_work_again_when_it_returns() throws Exception {
        database = new StoppableDatabase(dataDir);
        server = TestServer.start(database.url());
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
        Http.Response recovered = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            recovered = admin.post(flags, flag("after-outage"));
            if (recovered.status() != 503) {
                break;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // poll interval
        }
        assertThat(recovered).isNotNull();
        assertThat(recovered.status()).as(recovered.toString()).isEqualTo(201);
        assertThat(admin.as(null).get("/health/ready").status()).isEqualTo(200);

        assertThat(admin.get(flags + "/before-outage").status()).isEqualTo(200);
        assertThat(admin.get(flags + "/during-outage").status()).as("nothing half-applied").isEqualTo(404);
        assertThat(admin.get(flags + "/before-outage/environments/production").json().at("/config/on").asBoolean())
                .as("the toggle refused with 503 did not happen").isFalse();
    }


    private static Map<String, Object> flag(String key) {
        return Map.of("key", key, "name", key, "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false)));
    }

}
