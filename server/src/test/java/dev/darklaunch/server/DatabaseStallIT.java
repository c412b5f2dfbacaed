package dev.darklaunch.server;

import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.store.DatabaseSettings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.DarklaunchServerTest.Database;
import dev.darklaunch.server.testing.DarklaunchServerTest.Lifetime;
import dev.darklaunch.server.testing.DatabaseProxy;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.SseStream;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static dev.darklaunch.server.SdkFeedIT.P;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that stalls — it accepts connections and never answers, like a stopped process or a
 * network path that drops everything — must not hang the server: writes answer 503 within the
 * database timeout, readiness says so, SDKs keep being served from memory with the tokens already
 * known (also once the token cache is due for a refresh), a token not seen before is refused
 * within a short bound, and everything works again once the database answers. Also: connections
 * reset mid-write answer 503, never 500. The stall comes from a TCP proxy that stops forwarding.
 */
@DarklaunchServerTest(database = Database.PROXIED, lifetime = Lifetime.PER_TEST, config = "timeouts")
class DatabaseStallIT {

    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(2);
    /** What a request may take during a stall: the database timeout, and slack for a loaded machine. */
    private static final Duration BOUND = DATABASE_TIMEOUT.plusSeconds(2);
    private static final Duration TOKEN_CACHE_TTL = Duration.ofSeconds(10);

    private final ExecutorService requests = Executors.newCachedThreadPool();
    @Given
    private String database;
    @Given
    private DatabaseProxy proxy;
    @Given
    private TestServer server;

    /** Short feed timings, and a database timeout short enough to wait out in a test. */
    static Config timeouts(Config config) {
        return config
                .withFeed(FeedSettings.DEFAULTS.withHeartbeat(Duration.ofMillis(500)).withReconcileInterval(Duration.ofMillis(500)))
                .withDatabase(new DatabaseSettings(DATABASE_TIMEOUT));
    }

    @AfterEach
    void stop() {
        requests.shutdownNow();
    }

    @Test
    void a_stalled_database_costs_each_request_at_most_the_timeout_and_sdks_keep_being_served() throws Exception {
        Http admin = server.admin();
        assertThat(admin.post(P + "/flags", SdkFeedIT.flag("steady")).status()).isEqualTo(201);
        String sdk = server.token("sdk", "default", "production");
        String newcomer = server.token("sdk", "default", "production"); // not used before the stall
        SdkFeedIT.awaitCurrent(server, sdk);
        Instant tokenKnownAt = Instant.now();

        proxy.stall();

        // more writes at once than the pool has connections: each answers 503 within the bound
        List<CompletableFuture<Timed>> writes = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String key = "during-stall-" + i;
            writes.add(timed(() -> admin.post(P + "/flags", SdkFeedIT.flag(key))));
        }
        for (CompletableFuture<Timed> write : writes) {
            Timed answered = answered(write, "a write during the stall");
            assertThat(answered.response().status()).as(answered.toString()).isEqualTo(503);
            assertThat(answered.response().json().get("message").asText()).contains("database");
            assertThat(answered.took()).as("answered within the database timeout").isLessThan(BOUND);
        }
        Timed toggle = answered(timed(() -> admin.post(P + "/flags/steady/environments/production/on", null)), "a toggle");
        assertThat(toggle.response().status()).as(toggle.toString()).isEqualTo(503);
        Timed ready = answered(timed(() -> admin.as(null).get("/health/ready")), "readiness");
        assertThat(ready.response().status()).as("readiness reflects the stall").isEqualTo(503);

        // the token cache is due for a refresh now: a known token is still judged at once
        Await.past(tokenKnownAt.plus(TOKEN_CACHE_TTL).plusSeconds(1));
        Duration slowestPoll = Duration.ZERO;
        for (int i = 0; i < 3; i++) {
            Timed flags = answered(timed(() -> admin.as(sdk).get("/sdk/v1/flags")), "an SDK poll");
            assertThat(flags.response().status()).as(flags.toString()).isEqualTo(200);
            assertThat(flags.took()).as("a known token never waits on the database").isLessThan(Duration.ofMillis(900));
            slowestPoll = flags.took().compareTo(slowestPoll) > 0 ? flags.took() : slowestPoll;
        }
        try (SseStream stream = SseStream.open(server.base(), sdk, null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.nextEvent(BOUND).name()).as("a new stream gets its snapshot").isEqualTo("snapshot");
        }
        Timed unknown = answered(timed(() -> admin.as(newcomer).get("/sdk/v1/flags")), "a token this instance never saw");
        assertThat(unknown.response().status()).as(unknown.toString()).isEqualTo(503);
        assertThat(unknown.took()).as("the token check waits a short bound, not the stall").isLessThan(Duration.ofMillis(1500));

        proxy.resume();
        Await.until(Duration.ofSeconds(30), "writes work again", () -> admin.post(P + "/flags/steady/environments/production/on",
                null).status() == 200);
        assertThat(admin.as(null).get("/health/ready").status()).isEqualTo(200);
        assertThat(admin.as(newcomer).get("/sdk/v1/flags").status()).isEqualTo(200);
        assertThat(admin.get(P + "/flags/during-stall-0").status()).as("a refused write did not happen").isEqualTo(404);
        System.out.printf("database stall: %d writes refused with 503, the slowest in %d ms; SDK polls with a known token"
                        + " after the cache's refresh time, the slowest in %d ms; an unknown token refused in %d ms%n", writes.size(),
                writes.stream().map(CompletableFuture::join).mapToLong(t -> t.took().toMillis()).max().orElse(0),
                slowestPoll.toMillis(), unknown.took().toMillis());
    }

    @Test
    void a_commit_whose_answer_is_lost_answers_503_saying_the_change_may_have_been_made() throws Exception {
        Http admin = server.admin();
        assertThat(admin.post(P + "/flags", SdkFeedIT.flag("in-doubt")).status()).isEqualTo(201);

        proxy.loseCommitAnswer("lost answer"); // the comment, stored with the change
        Http.Response switched = admin.post(P + "/flags/in-doubt/environments/production/on", Map.of("comment", "lost answer"));

        assertThat(switched.status()).as(switched.toString()).isEqualTo(503);
        assertThat(switched.json().get("message").asText()).contains("may or may not have been made", "read it back")
                .doesNotContain("nothing was changed");
        Http.Response now = admin.get(P + "/flags/in-doubt/environments/production");
        assertThat(now.json().at("/config/on").asBoolean()).as("the commit reached the database").isTrue();
        try (java.sql.Connection sql = SdkFeedIT.jdbc(database); java.sql.Statement statement = sql.createStatement();
             java.sql.ResultSet rows = statement.executeQuery("SELECT count(*) FROM audit_events WHERE comment = 'lost answer'")) {
            rows.next();
            assertThat(rows.getLong(1)).as("recorded once").isEqualTo(1);
        }
    }

    @Test
    void connections_reset_while_writes_run_answer_503_and_never_500() throws Exception {
        Http admin = server.admin();
        assertThat(admin.post(P + "/flags", SdkFeedIT.flag("flapping")).status()).isEqualTo(201);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
        Instant end = Instant.now().plusSeconds(6);
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            int writer = w;
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; Instant.now().isBefore(end); i++) {
                    Http.Response response = i % 2 == 0
                            ? admin.post(P + "/flags/flapping/environments/production/" + (i % 4 == 0 ? "on" : "off"), null)
                            : admin.post(P + "/flags", SdkFeedIT.flag("reset-" + writer + "-" + i));
                    switch (response.status()) {
                        case 200, 201 -> ok.incrementAndGet();
                        case 503 -> refused.incrementAndGet();
                        default -> wrong.add(response.toString());
                    }
                }
            }, requests));
        }
        while (Instant.now().isBefore(end)) {
            Await.past(Instant.now().plusMillis(300));
            proxy.cut(); // the database crashes, as seen from the server: every connection reset
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        System.out.printf("connections reset under writes: %d written, %d refused with 503, %d other answers%n",
                ok.get(), refused.get(), wrong.size());
        assertThat(wrong).as("only 2xx and 503").isEmpty();
        assertThat(refused.get()).as("the resets did hit writes").isPositive();
        assertThat(ok.get()).isPositive();
    }

    private record Timed(Http.Response response, Duration took) {
    }

    private CompletableFuture<Timed> timed(Supplier<Http.Response> request) {
        return CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            Http.Response response = request.get();
            return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
        }, requests);
    }

    /** The answer, which must come while the database still stalls (it would come when the stall ends). */
    private static Timed answered(CompletableFuture<Timed> request, String what) throws InterruptedException, ExecutionException {
        try {
            return request.get(BOUND.toSeconds() * 3, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " hung while the database stalled");
        }
    }
}
