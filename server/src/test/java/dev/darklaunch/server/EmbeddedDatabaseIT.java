package dev.darklaunch.server;

import dev.darklaunch.server.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** With no DARKLAUNCH_DATABASE_URL the server runs its own PostgreSQL, and data survives a restart. */
class EmbeddedDatabaseIT {

    @TempDir
    Path dataDir;

    @Test
    void the_embedded_database_keeps_flags_and_tokens_across_restarts() throws Exception {
        Config config = new Config(0, Optional.empty(), dataDir, Optional.empty(), Optional.empty());

        DarklaunchServer first = DarklaunchServer.start(config).await(2, TimeUnit.MINUTES);
        String token = first.generatedAdminToken().orElseThrow();
        assertThat(token).startsWith("dl_admin_");
        Http api = new Http("http://localhost:" + first.port(), token);
        assertThat(api.post("/api/v1/projects/default/flags", Map.of("key", "durable", "name", "Durable", "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false)))).status()).isEqualTo(201);
        first.close().await(1, TimeUnit.MINUTES);

        DarklaunchServer second = DarklaunchServer.start(config).await(2, TimeUnit.MINUTES);
        try {
            assertThat(second.generatedAdminToken()).as("the admin token is generated once").isEmpty();
            Http again = new Http("http://localhost:" + second.port(), token);
            assertThat(again.get("/api/v1/projects/default/flags/durable").status()).isEqualTo(200);
            assertThat(again.get("/api/v1/projects").json().get("items")).hasSize(1);
        } finally {
            second.close().await(1, TimeUnit.MINUTES);
        }
    }
}
