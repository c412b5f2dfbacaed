package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.SseStream;
import dev.darklaunch.server.testing.SseStream.Event;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static dev.darklaunch.server.SdkFeedIT.P;
import static dev.darklaunch.server.SdkFeedIT.json;
import static dev.darklaunch.server.SdkFeedIT.keys;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY 14: several instances on one database. A change made through any instance reaches
 * the SDK streams on every other one, and a change whose notification never came (committed
 * without pg_notify, as when a LISTEN connection is down) is repaired by the reconcile loop.
 */
@DarklaunchServerTest(servers = 3, config = "reconcile")
class MultiInstanceIT {

    private static final Duration RECONCILE = Duration.ofSeconds(1);
    @Given
    private static String databaseUrl;
    @Given
    private static TestServer a;
    @Given(server = 1)
    private static TestServer b;
    @Given(server = 2)
    private static TestServer c;
    private static String sdk;

    static Config reconcile(Config config) {
        return config.withFeed(FeedSettings.DEFAULTS.withReconcileInterval(RECONCILE));
    }

    @BeforeAll
    static void start() {
        assertThat(a.admin().post(P + "/flags", SdkFeedIT.flag("shared")).status()).isEqualTo(201);
        sdk = a.token("sdk", "default", "production");
    }

    @Test
    void a_change_made_through_one_instance_reaches_streams_on_the_others() {
        long revision = SdkFeedIT.awaitCurrent(c, sdk);
        SdkFeedIT.awaitRevision(b, sdk, revision);
        try (SseStream onB = SseStream.open(b.base(), sdk, String.valueOf(revision));
             SseStream onC = SseStream.open(c.base(), sdk, String.valueOf(revision))) {
            boolean on = !a.admin().get(P + "/flags/shared/environments/production").json().at("/config/on").asBoolean();
            Http.Response flip = a.admin().post(P + "/flags/shared/environments/production/" + (on ? "on" : "off"), null);
            assertThat(flip.status()).isEqualTo(200);
            for (SseStream stream : List.of(onB, onC)) {
                Event patch = stream.nextEvent(Duration.ofSeconds(5));
                assertThat(patch.name()).isEqualTo("patch");
                JsonNode body = json(patch);
                assertThat(body.get("previous").asLong()).isEqualTo(revision);
                assertThat(keys(body.get("flags"))).containsExactly("shared");
                assertThat(body.at("/flags/0/config/on").asBoolean()).isEqualTo(on);
            }
        }
    }

    @Test
    void a_change_whose_notification_was_lost_is_repaired_by_the_reconcile_loop() throws Exception {
        long revision = SdkFeedIT.awaitCurrent(c, sdk);
        SdkFeedIT.awaitRevision(b, sdk, revision);
        try (SseStream onB = SseStream.open(b.base(), sdk, String.valueOf(revision));
             SseStream onC = SseStream.open(c.base(), sdk, String.valueOf(revision))) {
            // what a write does, minus the pg_notify: nobody is woken
            try (Connection connection = SdkFeedIT.jdbc(databaseUrl); Statement sql = connection.createStatement()) {
                connection.setAutoCommit(false);
                sql.execute("""
                        UPDATE flag_configs SET config = jsonb_set(config, '{offVariation}', '0'::jsonb), version = version + 1
                        WHERE flag_id = (SELECT id FROM flags WHERE key = 'shared')
                          AND environment_id = (SELECT e.id FROM environments e JOIN projects p ON p.id = e.project_id
                                                WHERE p.key = 'default' AND e.key = 'production')""");
                sql.execute("""
                        WITH bumped AS (
                            UPDATE environments SET revision = revision + 1
                            WHERE key = 'production' AND project_id = (SELECT id FROM projects WHERE key = 'default')
                            RETURNING id, revision)
                        INSERT INTO change_log (environment_id, revision, kind, key) SELECT id, revision, 'flag', 'shared' FROM bumped""");
                connection.commit();
            }
            for (SseStream stream : List.of(onB, onC)) {
                Event patch = stream.nextEvent(RECONCILE.multipliedBy(5));
                JsonNode body = json(patch);
                assertThat(body.get("previous").asLong()).isEqualTo(revision);
                assertThat(body.get("revision").asLong()).isEqualTo(revision + 1);
                assertThat(body.at("/flags/0/config/offVariation").asInt()).isEqualTo(0);
            }
        }
    }
}
