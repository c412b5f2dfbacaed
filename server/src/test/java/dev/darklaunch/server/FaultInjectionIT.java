package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.SdkTestTimings;
import dev.darklaunch.sdk.Status;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DatabaseProxy;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.ServerProcess;
import dev.darklaunch.server.testing.TestDatabase;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault-injection suite: what Darklaunch must survive, all at once (RELIABILITY 11, 12, 14, 15).
 *
 * <p>Three server instances, each a JVM of its own, on one PostgreSQL reached through a proxy; 30
 * real SDK clients spread over them (streaming and polling; on a small environment and on
 * environments of about 0.5 MB and 3 MB); a steady stream of writes with If-Match through every
 * instance; and faults: an instance killed without a graceful stop (SIGKILL) and started again,
 * the database stalled (the proxy stops forwarding: nothing answers, nothing closes), its
 * connections reset (a crash as the servers see it), and every instance killed at once, with a
 * change made while they are down and another while they start.
 *
 * <p>At the end, every SDK's answer for every flag is checked against the database, and every
 * write against the audit log: each acknowledged write recorded exactly once, each refused one
 * never (writes whose outcome the server could not know — no answer, or a commit the database
 * did not confirm — at most once). The counts are printed.
 */
class FaultInjectionIT {

    private static final String P = "/api/v1/projects/default";
    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Longest a write attempt (a read, then a write) may take while the database stalls: twice the
     * timeout, and slack for a loaded machine; well below the stall's length.
     */
    private static final Duration STALLED_ATTEMPT_BOUND = DATABASE_TIMEOUT.multipliedBy(2).plusSeconds(3);
    private static final Duration STALL = DATABASE_TIMEOUT.multipliedBy(5);
    private static final Duration START = Duration.ofSeconds(120);
    private static final Context CHECKER = Context.of("checker");
    private static final List<String> ENVIRONMENTS = List.of("production", "staging", "development");
    private static final int FLAGS = 24;
    /** Flags only the faults change, never the writers: changes that must reach every SDK. */
    private static final String CHANGED_WHILE_DOWN = "changed-while-all-down";
    private static final String CHANGED_WHILE_STARTING = "changed-while-starting";

    private final List<ServerProcess> instances = new ArrayList<>();
    private final List<Sdk> sdks = new CopyOnWriteArrayList<>();
    private final List<Write> writes = new CopyOnWriteArrayList<>();
    /** The version (ETag) and state each writer last saw of a flag, for writing when the database cannot be read. */
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final AtomicLong writeIds = new AtomicLong();
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private volatile String phase = "start";
    private ExecutorService threads;
    private DatabaseProxy proxy;
    private String database;

    private record Known(String version, boolean on) {
    }

    /** One SDK client, the environment it reads and the instance it is connected to. */
    private record Sdk(String name, String environment, ServerProcess instance, DarklaunchClient client) {
    }

    /**
     * One write attempt: status 0 means no answer came (the instance was down or died meanwhile).
     * {@code id} is also its audit comment ("w-" + id); {@code phase} is the one it began in, and
     * {@code millis} what it took in all (reading the version, then writing).
     */
    private record Write(long id, String environment, String flag, boolean on, String instance, String phase, int status,
                         String message, long millis) {
        boolean acknowledged() {
            return status == 200;
        }

        /** The server could not know whether it was committed. */
        boolean inDoubt() {
            return status == 0 || (status == 503 && message.contains("may or may not"));
        }
    }

    @AfterEach
    void stop() {
        writing.set(false);
        for (Sdk sdk : sdks) {
            sdk.client().close();
        }
        instances.forEach(ServerProcess::close);
        if (threads != null) {
            threads.shutdownNow();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void every_sdk_ends_with_the_databases_state_and_every_acknowledged_write_is_recorded_exactly_once() throws Exception {
        long began = System.nanoTime();
        database = TestDatabase.fresh();
        proxy = new DatabaseProxy(database);
        threads = Executors.newCachedThreadPool();
        Map<String, String> environment = Map.of(
                "DARKLAUNCH_DATABASE_URL", DatabaseProxy.url(database, proxy),
                "DARKLAUNCH_ADMIN_TOKEN", TestServer.ADMIN_TOKEN,
                "DARKLAUNCH_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD,
                "DARKLAUNCH_DATABASE_TIMEOUT", DATABASE_TIMEOUT.toMillis() + "ms",
                "DARKLAUNCH_SDK_HEARTBEAT", "1s",
                "DARKLAUNCH_SDK_STREAM_LIFETIME", "30s",
                "DARKLAUNCH_FEED_RECONCILE_INTERVAL", "1s",
                "DARKLAUNCH_ACCESS_LOG", "OFF");
        Path logs = Path.of("target", "fault-injection");
        for (String name : List.of("a", "b", "c")) {
            instances.add(new ServerProcess("instance-" + name, environment, logs));
        }
        startAll();
        Http admin = new Http(instances.get(0).base(), TestServer.ADMIN_TOKEN);
        Map<String, String> tokens = seed(admin);
        connectSdks(tokens);
        awaitSdksAgree("the SDKs start with the database's state", Duration.ofSeconds(60));
        System.out.printf("fault injection: 3 instances and %d SDKs started in %d s%n", sdks.size(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));

        List<Future<?>> writers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            writers.add(threads.submit((Runnable) this::writeUntilStopped));
        }
        steady("warm-up", Duration.ofSeconds(4));

        phase = "one instance killed";
        ServerProcess b = instances.get(1);
        b.kill();
        steady(phase, Duration.ofSeconds(2));
        b.start().awaitReady(START);
        steady("after the restart", Duration.ofSeconds(3));

        phase = "database stalled";
        proxy.stall();
        Instant stallEnds = Instant.now().plus(STALL);
        Await.past(Instant.now().plus(DATABASE_TIMEOUT).plusMillis(500));
        List<Integer> readiness = instances.stream().map(i -> new Http(i.base(), null).get("/health/ready").status()).toList();
        Await.past(stallEnds);
        proxy.resume();
        steady("after the stall", Duration.ofSeconds(3));

        phase = "database connections reset";
        for (int i = 0; i < 3; i++) {
            proxy.cut();
            Await.past(Instant.now().plusMillis(700));
        }
        steady("after the resets", Duration.ofSeconds(3));

        phase = "every instance killed";
        instances.forEach(ServerProcess::kill);
        // a change while none runs: through an instance that comes and goes (another deployment, say)
        try (TestServer passing = TestServer.start(DatabaseProxy.url(database, proxy))) {
            switchOn(new Http(passing.base(), TestServer.ADMIN_TOKEN), "passing", "production", CHANGED_WHILE_DOWN);
            switchOn(new Http(passing.base(), TestServer.ADMIN_TOKEN), "passing", "development", CHANGED_WHILE_DOWN);
        }
        phase = "every instance starting";
        instances.forEach(ServerProcess::start);
        ServerProcess first = awaitFirstReady();
        switchOn(new Http(first.base(), TestServer.ADMIN_TOKEN), first.name(), "production", CHANGED_WHILE_STARTING);
        switchOn(new Http(first.base(), TestServer.ADMIN_TOKEN), first.name(), "staging", CHANGED_WHILE_STARTING);
        for (ServerProcess instance : instances) {
            instance.awaitReady(START);
        }
        steady("after restarting every instance", Duration.ofSeconds(3));

        writing.set(false);
        for (Future<?> writer : writers) {
            writer.get(60, TimeUnit.SECONDS);
        }
        phase = "end";

        // ---- the verdict ------------------------------------------------------------------------
        Map<String, Map<String, Boolean>> state = databaseState();
        assertThat(state.get("production")).containsEntry(CHANGED_WHILE_DOWN, true).containsEntry(CHANGED_WHILE_STARTING, true);
        long convergeStart = System.nanoTime();
        boolean converged = awaitAgreement(state, Duration.ofSeconds(60));
        long convergedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - convergeStart);
        List<WrongAnswer> wrong = wrongAnswers(state);
        Map<String, Long> recorded = auditedWrites();
        AuditVerdict audit = judge(recorded);
        List<String> notReady = sdks.stream().filter(sdk -> sdk.client().status().state() != Status.State.READY)
                .map(sdk -> sdk.name() + " " + sdk.client().status()).toList();
        List<String> stateVsAudit = stateMatchesAudit(state);
        List<Write> unexpected = writes.stream().filter(w -> w.status() != 0 && w.status() != 200 && w.status() != 412
                && w.status() != 503).toList();
        List<Write> duringStall = writes.stream().filter(w -> w.phase().equals("database stalled")).toList();
        List<Write> slowDuringStall = duringStall.stream()
                .filter(w -> Duration.ofMillis(w.millis()).compareTo(STALLED_ATTEMPT_BOUND) > 0).toList();
        long answers = sdks.stream().mapToLong(sdk -> state.get(sdk.environment()).size()).sum();

        System.out.printf("""
                        fault injection: %d s in all
                          writes: %d attempted, %d acknowledged, %d refused (%d with 412, %d with 503), %d without an answer, \
                        %d other answers
                          audit: %d acknowledged writes lost, %d recorded twice or more, %d refused writes recorded, \
                        %d in doubt of which %d were committed
                          while the database stalled: %d writes answered, the slowest (read and write) in %d ms; readiness %s
                          SDKs: %d checked (%d flags each, %d answers), %d wrong answers after %d ms, %d not ready
                        %n""",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began),
                writes.size(), count(Write::acknowledged), count(w -> w.status() == 412 || w.status() == 503),
                count(w -> w.status() == 412), count(w -> w.status() == 503), count(w -> w.status() == 0), unexpected.size(),
                audit.lost().size(), audit.duplicated().size(), audit.refusedButRecorded().size(), audit.inDoubt(),
                audit.inDoubtCommitted(),
                duringStall.size(), duringStall.stream().mapToLong(Write::millis).max().orElse(0), readiness,
                sdks.size(), FLAGS, answers, wrong.size(), convergedMillis, notReady.size());

        assertThat(unexpected).as("every write answered 200, 412 or 503 (never 500)").isEmpty();
        assertThat(audit.lost()).as("acknowledged writes missing from the audit log").isEmpty();
        assertThat(audit.duplicated()).as("writes recorded more than once").isEmpty();
        assertThat(audit.refusedButRecorded()).as("refused writes that happened anyway").isEmpty();
        assertThat(stateVsAudit).as("the database's state is what its audit log says last").isEmpty();
        assertThat(count(Write::acknowledged)).as("writes went through between the faults").isGreaterThan(50);
        assertThat(readiness).as("readiness while the database stalled").containsOnly(503);
        assertThat(duringStall).as("writes were tried while the database stalled").isNotEmpty();
        assertThat(slowDuringStall).as("no write (a read and a write) waited on the stalled database beyond its timeout").isEmpty();
        assertThat(converged).as("every SDK agreed with the database within a minute; %s\n%s", summary(wrong), logTails()).isTrue();
        assertThat(wrong).isEmpty();
        assertThat(notReady).as("every SDK ends ready").isEmpty();
    }

    // ---- set-up ---------------------------------------------------------------------------------

    private void startAll() {
        instances.forEach(ServerProcess::start);
        for (ServerProcess instance : instances) {
            instance.awaitReady(START);
        }
    }

    private ServerProcess awaitFirstReady() {
        return Await.value(START, Duration.ofMillis(50), () -> "no instance came back:\n" + logTails(),
                () -> instances.stream().filter(ServerProcess::ready).findFirst().orElse(null));
    }

    /**
     * Flags in every environment, all served {@code true} when on and {@code false} when off to the
     * checking context; in staging and development each also lists thousands of targeted keys, so
     * their snapshots are large (about 0.5 MB and 3 MB). Returns an SDK token per environment.
     */
    private Map<String, String> seed(Http admin) {
        List<String> keys = new ArrayList<>(flagKeys());
        keys.add(CHANGED_WHILE_DOWN);
        keys.add(CHANGED_WHILE_STARTING);
        for (String key : keys) {
            Http.Response created = retried(() -> admin.post(P + "/flags", SdkFeedIT.flag(key)));
            assertThat(created.status()).as(created.toString()).isIn(201, 409);
        }
        Map<String, Integer> targetedKeys = Map.of("production", 0, "staging", 600, "development", 5_000);
        ExecutorService seeding = Executors.newFixedThreadPool(4); // more at once would wait past the database timeout
        List<Future<?>> puts = new ArrayList<>();
        for (String environment : ENVIRONMENTS) {
            for (String key : keys) {
                int targeted = key.startsWith("f-") ? targetedKeys.get(environment) : 0;
                puts.add(seeding.submit(() -> {
                    Http.Response put = retried(() -> admin.put(P + "/flags/" + key + "/environments/" + environment,
                            config(key, targeted)));
                    assertThat(put.status()).as(put.toString()).isEqualTo(200);
                }));
            }
        }
        puts.forEach(FaultInjectionIT::join);
        seeding.shutdown();
        Map<String, String> tokens = new HashMap<>();
        for (String environment : ENVIRONMENTS) {
            Http.Response token = retried(() -> admin.post("/api/v1/tokens", Map.of("name", "sdk " + environment, "kind", "sdk",
                    "project", "default", "environments", List.of(environment))));
            assertThat(token.status()).as(token.toString()).isEqualTo(201);
            tokens.put(environment, token.json().get("secret").asText());
        }
        return tokens;
    }

    /**
     * A set-up request, tried again while it answers 503: on a loaded machine the database may
     * take longer than the short timeout these instances have. (A repeated flag creation answers 409.)
     */
    private static Http.Response retried(java.util.function.Supplier<Http.Response> request) {
        Http.Response response = request.get();
        for (int attempt = 1; attempt < 10 && response.status() == 503; attempt++) {
            response = request.get();
        }
        return response;
    }

    private static Map<String, Object> config(String key, int targeted) {
        List<String> blocked = IntStream.range(0, targeted).mapToObj(i -> "blocked-" + key + "-user-" + (100_000 + i)).toList();
        return Map.of("on", false, "offVariation", 1, "fallthrough", Map.of("variation", 0),
                "targets", targeted == 0 ? List.of() : List.of(Map.of("variation", 1, "values", blocked)));
    }

    /** 18 SDKs on production (three of them polling), six each on the large environments. */
    private void connectSdks(Map<String, String> tokens) {
        List<Future<?>> created = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>(Map.of("production", 18, "staging", 6, "development", 6));
        for (var entry : counts.entrySet()) {
            for (int i = 0; i < entry.getValue(); i++) {
                String name = entry.getKey() + "-" + i;
                ServerProcess instance = instances.get(i % instances.size());
                boolean polling = entry.getKey().equals("production") && i < 3;
                String token = tokens.get(entry.getKey());
                String environment = entry.getKey();
                created.add(threads.submit(() -> {
                    DarklaunchConfig.Builder config = SdkTestTimings.fast(DarklaunchConfig.builder())
                            .baseUri(URI.create(instance.base()))
                            .sdkToken(token)
                            .initTimeout(Duration.ofSeconds(20));
                    if (polling) {
                        config.streaming(false).pollInterval(Duration.ofSeconds(1));
                    }
                    sdks.add(new Sdk(name, environment, instance, DarklaunchClient.create(config.build())));
                }));
            }
        }
        created.forEach(FaultInjectionIT::join);
    }

    private static List<String> flagKeys() {
        return IntStream.range(0, FLAGS - 2).mapToObj(i -> String.format("f-%02d", i)).toList();
    }

    // ---- the writers ----------------------------------------------------------------------------

    /** One writer: switches random flags in random environments through random instances, with If-Match. */
    private void writeUntilStopped() {
        List<String> keys = flagKeys();
        while (writing.get()) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            ServerProcess instance = instances.get(random.nextInt(instances.size()));
            String environment = ENVIRONMENTS.get(random.nextInt(ENVIRONMENTS.size()));
            String flag = keys.get(random.nextInt(keys.size()));
            write(new Http(instance.base(), TestServer.ADMIN_TOKEN), instance.name(), environment, flag, null);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // pacing: some 30 writes a second in all
        }
    }

    /** A change the faults make and every SDK must see: tried until the flag is on. */
    private void switchOn(Http http, String instance, String environment, String flag) {
        for (int attempt = 0; attempt < 10; attempt++) {
            write(http, instance, environment, flag, true);
            Http.Response now = http.get(P + "/flags/" + flag + "/environments/" + environment);
            if (now.status() == 200 && now.json().at("/config/on").asBoolean()) {
                return;
            }
        }
        throw new AssertionError(flag + " could not be switched on in " + environment + " through " + instance + ":\n" + logTails());
    }

    /**
     * Reads the flag's version, then switches it ({@code on} null: to the other state) with If-Match;
     * when the read fails (the database stalls), tries with the version it knew.
     */
    private void write(Http http, String instance, String environment, String flag, Boolean on) {
        String path = P + "/flags/" + flag + "/environments/" + environment;
        Known last = known.get(environment + "/" + flag);
        String writePhase = phase;
        long start = System.nanoTime();
        try {
            Http.Response read = http.get(path);
            if (read.status() == 200) {
                last = new Known(read.header("ETag").orElseThrow(), read.json().at("/config/on").asBoolean());
            }
        } catch (AssertionError noAnswer) {
            return; // the instance is down: nothing was sent
        }
        if (last == null) {
            return;
        }
        // a real change, or 412: switching a flag to the state it has answers 200 and records nothing
        boolean switchOn = on != null ? on : !last.on();
        String version = last.version();
        long id = writeIds.incrementAndGet();
        int status;
        String message;
        try {
            Http.Response response = http.with("If-Match", version).post(path + (switchOn ? "/on" : "/off"), Map.of("comment", "w-" + id));
            status = response.status();
            message = response.text();
            if (status == 200 && response.header("ETag").isPresent()) {
                known.put(environment + "/" + flag, new Known(response.header("ETag").get(), switchOn));
            }
        } catch (AssertionError noAnswer) {
            status = 0;
            message = noAnswer.getMessage();
        }
        writes.add(new Write(id, environment, flag, switchOn, instance, writePhase, status, message,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    }

    /** Lets the writers and SDKs run through a phase for a while. */
    private void steady(String name, Duration duration) {
        phase = name;
        Await.past(Instant.now().plus(duration));
    }

    // ---- the verdict ----------------------------------------------------------------------------

    /** Whether every flag is on, per environment, as the database has it. */
    private Map<String, Map<String, Boolean>> databaseState() throws Exception {
        Map<String, Map<String, Boolean>> state = new HashMap<>();
        try (Connection sql = SdkFeedIT.jdbc(database); Statement statement = sql.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT e.key AS environment, f.key AS flag, (c.config ->> 'on')::boolean AS on
                     FROM flag_configs c JOIN flags f ON f.id = c.flag_id JOIN environments e ON e.id = c.environment_id""")) {
            while (rows.next()) {
                state.computeIfAbsent(rows.getString("environment"), e -> new HashMap<>())
                        .put(rows.getString("flag"), rows.getBoolean("on"));
            }
        }
        return state;
    }

    private void awaitSdksAgree(String what, Duration timeout) throws Exception {
        Map<String, Map<String, Boolean>> state = databaseState();
        if (!awaitAgreement(state, timeout)) {
            throw new AssertionError(what + ": not within " + timeout + "; " + summary(wrongAnswers(state)) + "\n" + logTails());
        }
    }

    private boolean awaitAgreement(Map<String, Map<String, Boolean>> state, Duration timeout) {
        try {
            Await.until(timeout, "every SDK agrees with the database", () -> wrongAnswers(state).isEmpty());
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    /** A wrong answer: the SDK answered otherwise than the database says, or did not know the flag. */
    private record WrongAnswer(Sdk sdk, String flag) {
    }

    /** Every (SDK, flag) whose answer differs from the database, or that the SDK does not know. */
    private List<WrongAnswer> wrongAnswers(Map<String, Map<String, Boolean>> state) {
        List<WrongAnswer> wrong = new ArrayList<>();
        for (Sdk sdk : sdks) {
            Map<String, JsonNode> known = sdk.client().allFlags(CHECKER);
            state.get(sdk.environment()).forEach((flag, on) -> {
                if (!known.containsKey(flag) || sdk.client().isEnabled(flag, CHECKER) != on) {
                    wrong.add(new WrongAnswer(sdk, flag));
                }
            });
        }
        return wrong;
    }

    /** Which SDKs answered wrongly, how often, and their status. */
    private static String summary(List<WrongAnswer> wrong) {
        Map<Sdk, List<String>> bySdk = wrong.stream().collect(Collectors.groupingBy(WrongAnswer::sdk, LinkedHashMap::new,
                Collectors.mapping(WrongAnswer::flag, Collectors.toList())));
        return wrong.size() + " wrong answers from " + bySdk.size() + " SDKs:" + bySdk.entrySet().stream()
                .map(e -> "\n  " + e.getKey().name() + " on " + e.getKey().instance().name() + ": " + e.getValue().size()
                        + " flags " + e.getValue().subList(0, Math.min(3, e.getValue().size())) + "…, " + e.getKey().client().status())
                .collect(Collectors.joining());
    }

    /** How many audit events carry each write's comment. */
    private Map<String, Long> auditedWrites() throws Exception {
        Map<String, Long> recorded = new HashMap<>();
        try (Connection sql = SdkFeedIT.jdbc(database); Statement statement = sql.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT comment, count(*) AS n FROM audit_events WHERE comment LIKE 'w-%' GROUP BY comment")) {
            while (rows.next()) {
                recorded.put(rows.getString("comment"), rows.getLong("n"));
            }
        }
        return recorded;
    }

    private record AuditVerdict(List<Write> lost, List<Write> duplicated, List<Write> refusedButRecorded, long inDoubt,
                                long inDoubtCommitted) {
    }

    private AuditVerdict judge(Map<String, Long> recorded) {
        List<Write> lost = new ArrayList<>();
        List<Write> duplicated = new ArrayList<>();
        List<Write> refusedButRecorded = new ArrayList<>();
        long inDoubt = 0;
        long inDoubtCommitted = 0;
        for (Write write : writes) {
            long times = recorded.getOrDefault("w-" + write.id(), 0L);
            if (times > 1) {
                duplicated.add(write);
            } else if (write.acknowledged() && times == 0) {
                lost.add(write);
            } else if (write.inDoubt()) {
                inDoubt++;
                inDoubtCommitted += times;
            } else if (!write.acknowledged() && times > 0) {
                refusedButRecorded.add(write);
            }
        }
        return new AuditVerdict(lost, duplicated, refusedButRecorded, inDoubt, inDoubtCommitted);
    }

    /** Flags whose state differs from the last change the audit log records for them. */
    private List<String> stateMatchesAudit(Map<String, Map<String, Boolean>> state) throws Exception {
        List<String> differing = new ArrayList<>();
        try (Connection sql = SdkFeedIT.jdbc(database); Statement statement = sql.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT DISTINCT ON (environment, target_key) environment, target_key, (after ->> 'on')::boolean AS on
                     FROM audit_events WHERE target_kind = 'flag' AND environment IS NOT NULL
                     ORDER BY environment, target_key, seq DESC""")) {
            while (rows.next()) {
                Boolean now = state.get(rows.getString("environment")).get(rows.getString("target_key"));
                if (now == null || now != rows.getBoolean("on")) {
                    differing.add(rows.getString("environment") + "/" + rows.getString("target_key"));
                }
            }
        }
        return differing;
    }

    private long count(java.util.function.Predicate<Write> which) {
        return writes.stream().filter(which).count();
    }

    private String logTails() {
        return instances.stream().map(i -> "---- " + i.name() + "\n" + i.logTail()).collect(Collectors.joining("\n"));
    }

    private static void join(Future<?> future) {
        try {
            future.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
