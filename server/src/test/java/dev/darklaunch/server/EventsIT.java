package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.SseStream;
import dev.darklaunch.server.testing.SseStream.Event;
import dev.darklaunch.server.testing.TestServer;
import dev.darklaunch.server.testing.TestServer.SignedIn;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live updates for the admin UI: {@code GET /api/v1/projects/{project}/events} delivers every
 * committed audit event of the project, also those made on another instance, in sequence order
 * even when transactions commit out of order, resumes after Last-Event-ID, sends heartbeats, caps
 * streams per caller and ends when the session ends.
 */
@DarklaunchServerTest(servers = 2, adminPassword = true, config = "quickHeartbeat")
class EventsIT {

    private static final String P = "/api/v1/projects/default";
    private static final Duration WAIT = Duration.ofSeconds(10);
    @Given
    private static String databaseUrl;
    @Given
    private static TestServer a;
    @Given(server = 1)
    private static TestServer b;
    @Given
    private static Http admin;

    static Config quickHeartbeat(Config config) {
        return config.withFeed(FeedSettings.DEFAULTS.withHeartbeat(Duration.ofMillis(300)));
    }

    private static SseStream events(TestServer server, SignedIn signedIn, String lastEventId) {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Cookie", "darklaunch_session=" + signedIn.secret(),
                "Accept-Encoding", "gzip, deflate"));
        if (lastEventId != null) {
            headers.put("Last-Event-ID", lastEventId);
        }
        return SseStream.open(server.base() + P + "/events", headers);
    }

    private static Event nextAudit(SseStream stream) {
        Event event = stream.nextEvent(WAIT);
        assertThat(event.name()).isEqualTo("audit");
        return event;
    }

    private static void createFlag(String key) {
        Http.Response created = admin.post(P + "/flags", SdkFeedIT.flag(key));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    @Test
    void a_change_made_on_another_instance_arrives_as_the_audit_event_the_audit_api_shows() throws Exception {
        SignedIn signedIn = b.signIn("admin", TestServer.ADMIN_PASSWORD);
        try (SseStream stream = events(b, signedIn, null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
            assertThat(stream.header("Content-Encoding").orElse("identity")).as("never compressed").isEqualTo("identity");

            createFlag("live-one");
            Event event = nextAudit(stream);
            JsonNode listed = admin.get(P + "/audit?flag=live-one&limit=1").json().at("/items/0");
            assertThat(Http.mapper().readTree(event.data())).isEqualTo(listed);
            assertThat(event.id()).isEqualTo(listed.get("seq").asText());
            assertThat(listed.get("action").asText()).isEqualTo("flag.create");
        }
    }

    @Test
    void a_stream_resumes_after_last_event_id_with_exactly_what_was_committed_since() {
        SignedIn signedIn = a.signIn("admin", TestServer.ADMIN_PASSWORD);
        String last;
        try (SseStream stream = events(a, signedIn, null)) {
            createFlag("resume-one");
            last = nextAudit(stream).id();
        }
        createFlag("resume-two");
        createFlag("resume-three");
        try (SseStream resumed = events(b, signedIn, last)) {
            List<String> keys = new ArrayList<>();
            long previous = Long.parseLong(last);
            for (int i = 0; i < 2; i++) {
                Event event = nextAudit(resumed);
                assertThat(Long.parseLong(event.id())).isGreaterThan(previous);
                previous = Long.parseLong(event.id());
                keys.add(SdkFeedIT.json(event).get("targetKey").asText());
            }
            assertThat(keys).containsExactly("resume-two", "resume-three");
            assertThat(resumed.during(Duration.ofMillis(800))).allMatch(Event::isComment);
        }
        // a first connection names where to start with ?lastEventId= (EventSource cannot set headers)
        try (SseStream fromQuery = SseStream.open(a.base() + P + "/events?lastEventId=" + last,
                Map.of("Cookie", "darklaunch_session=" + signedIn.secret()))) {
            assertThat(SdkFeedIT.json(nextAudit(fromQuery)).get("targetKey").asText()).isEqualTo("resume-two");
        }
        assertThat(signedIn.withoutCsrf().get(P + "/events?lastEventId=soon").status()).isEqualTo(400);
    }

    @Test
    void a_transaction_that_commits_after_a_later_one_is_not_skipped_and_events_stay_in_sequence_order() throws Exception {
        SignedIn signedIn = b.signIn("admin", TestServer.ADMIN_PASSWORD);
        try (SseStream stream = events(b, signedIn, null); Connection slow = connect()) {
            slow.setAutoCommit(false);
            long slowSeq;
            try (Statement statement = slow.createStatement();
                 ResultSet inserted = statement.executeQuery("""
                         INSERT INTO audit_events (actor, action, project, target_kind, target_key)
                         VALUES ('slow writer', 'flag.update', 'default', 'flag', 'slow') RETURNING seq""")) {
                inserted.next();
                slowSeq = inserted.getLong(1);
            }
            createFlag("fast"); // takes a later sequence and commits first
            List<Event> meanwhile = stream.during(Duration.ofMillis(1500));
            assertThat(meanwhile).as("the later event waits for the earlier transaction").allMatch(Event::isComment);

            slow.commit();
            Event first = nextAudit(stream);
            Event second = nextAudit(stream);
            assertThat(first.id()).isEqualTo(String.valueOf(slowSeq));
            assertThat(SdkFeedIT.json(first).get("targetKey").asText()).isEqualTo("slow");
            assertThat(SdkFeedIT.json(second).get("targetKey").asText()).isEqualTo("fast");
        }
    }

    @Test
    void a_rolled_back_transaction_delays_later_events_only_briefly() throws Exception {
        SignedIn signedIn = a.signIn("admin", TestServer.ADMIN_PASSWORD);
        try (SseStream stream = events(a, signedIn, null)) {
            try (Connection failing = connect()) {
                failing.setAutoCommit(false);
                failing.createStatement().execute("""
                        INSERT INTO audit_events (actor, action, project, target_kind, target_key)
                        VALUES ('failing writer', 'flag.update', 'default', 'flag', 'never')""");
                createFlag("after-rollback");
                failing.rollback();
            }
            Event event = stream.nextEvent(Duration.ofSeconds(20));
            assertThat(SdkFeedIT.json(event).get("targetKey").asText()).isEqualTo("after-rollback");
        }
    }

    @Test
    void idle_streams_get_heartbeats() {
        SignedIn signedIn = a.signIn("admin", TestServer.ADMIN_PASSWORD);
        try (SseStream stream = events(a, signedIn, null)) {
            assertThat(stream.during(Duration.ofSeconds(1))).anyMatch(e -> e.isComment() && e.data().equals("heartbeat"));
        }
    }

    @Test
    void signing_out_ends_the_sessions_streams_on_every_instance() {
        SignedIn signedIn = a.signIn("admin", TestServer.ADMIN_PASSWORD);
        try (SseStream onA = events(a, signedIn, null); SseStream onB = events(b, signedIn, null)) {
            assertThat(onB.status()).isEqualTo(200);
            assertThat(signedIn.http().delete("/api/v1/session").status()).isEqualTo(204);
            assertThat(onA.awaitEnd(WAIT)).isTrue();
            assertThat(onB.awaitEnd(WAIT)).isTrue();
        }
    }

    @Test
    void tokens_that_read_the_project_may_stream_it_and_one_caller_holds_a_bounded_number_of_streams() {
        String pipeline = a.token("pipeline", "default", "staging");
        List<SseStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                SseStream stream = SseStream.open(a.base() + P + "/events", Map.of("Authorization", "Bearer " + pipeline));
                open.add(stream);
                assertThat(stream.status()).isEqualTo(200);
            }
            SseStream refused = SseStream.open(a.base() + P + "/events", Map.of("Authorization", "Bearer " + pipeline));
            open.add(refused);
            assertThat(refused.status()).isEqualTo(429);
            // on another instance the same caller still may
            SseStream elsewhere = SseStream.open(b.base() + P + "/events", Map.of("Authorization", "Bearer " + pipeline));
            open.add(elsewhere);
            assertThat(elsewhere.status()).isEqualTo(200);
        } finally {
            open.forEach(SseStream::close);
        }
        String other = a.token("pipeline", "default", "production");
        assertThat(admin.as(other).get("/api/v1/projects/nope/events").status()).isEqualTo(403);
        assertThat(admin.get("/api/v1/projects/nope/events").status()).isEqualTo(404);
    }

    private static Connection connect() throws Exception {
        URI uri = URI.create(databaseUrl);
        String[] user = uri.getUserInfo().split(":", 2);
        return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(), user[0], user[1]);
    }
}
