package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.DarklaunchServerTest.Database;
import dev.darklaunch.server.testing.DarklaunchServerTest.Lifetime;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.SseStream;
import dev.darklaunch.server.testing.SseStream.Event;
import dev.darklaunch.server.testing.StoppableDatabase;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.darklaunch.server.SdkFeedIT.P;
import static dev.darklaunch.server.SdkFeedIT.json;
import static dev.darklaunch.server.SdkFeedIT.keys;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY 12, the feed's side: with the database stopped, open SDK streams stay up with their
 * heartbeats and {@code /sdk/v1/flags} still answers from memory while writes answer 503; once the
 * database is back, a change committed then reaches the stream, and the refused write never appears.
 * Uses its own PostgreSQL, since it stops it.
 */
@DarklaunchServerTest(database = Database.STOPPABLE, lifetime = Lifetime.PER_TEST, config = "quickFeed")
class FeedDuringOutageIT {

    private static final Duration HEARTBEAT = Duration.ofMillis(300);

    @Given
    private StoppableDatabase database;
    @Given
    private TestServer server;

    static Config quickFeed(Config config) {
        return config.withFeed(FeedSettings.DEFAULTS.withHeartbeat(HEARTBEAT).withReconcileInterval(Duration.ofMillis(500)));
    }

    @Test
    void streams_and_snapshots_keep_serving_through_an_outage_and_catch_up_after_it() throws Exception {
        Http admin = server.admin();
        assertThat(admin.post(P + "/flags", SdkFeedIT.flag("steady")).status()).isEqualTo(201);
        String sdk = server.token("sdk", "default", "production");
        long revision = SdkFeedIT.awaitCurrent(server, sdk);

        try (SseStream stream = SseStream.open(server.base(), sdk, null)) {
            assertThat(stream.nextEvent(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");

            database.stop();

            assertThat(admin.post(P + "/flags", SdkFeedIT.flag("uncommitted")).status()).as("writes refused").isEqualTo(503);
            List<Event> during = stream.during(Duration.ofSeconds(3));
            assertThat(during).as("heartbeats continue").filteredOn(Event::isComment).hasSizeGreaterThanOrEqualTo(5);
            assertThat(during).as("and nothing else").allMatch(Event::isComment);
            assertThat(stream.awaitEnd(Duration.ZERO)).as("the stream stays open").isFalse();
            Http.Response flags = admin.as(sdk).get("/sdk/v1/flags");
            assertThat(flags.status()).as("served from memory: %s", flags).isEqualTo(200);
            assertThat(flags.json().get("revision").asLong()).isEqualTo(revision);

            database.start();
            Http.Response flip = Await.value(Duration.ofSeconds(60), Duration.ofMillis(200), "a flip answered other than 503", () -> {
                Http.Response attempt = admin.post(P + "/flags/steady/environments/production/on", null);
                return attempt.status() != 503 ? attempt : null;
            });
            assertThat(flip).isNotNull();
            assertThat(flip.status()).as(flip.toString()).isEqualTo(200);

            Event patch = stream.nextEvent(Duration.ofSeconds(10));
            assertThat(patch.name()).isEqualTo("patch");
            JsonNode body = json(patch);
            assertThat(body.get("previous").asLong()).isEqualTo(revision);
            assertThat(keys(body.get("flags"))).containsExactly("steady");
            assertThat(body.at("/flags/0/config/on").asBoolean()).isTrue();

            List<String> everything = new ArrayList<>(keys(admin.as(sdk).get("/sdk/v1/flags").json().get("flags")));
            assertThat(everything).contains("steady").doesNotContain("uncommitted");
        }
    }


}
