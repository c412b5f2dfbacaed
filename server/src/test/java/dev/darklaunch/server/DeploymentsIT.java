package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.SdkTestTimings;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestDatabase;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deployments end to end, against real servers, PostgreSQL and the real SDK: ship dark, release
 * along a plan (across restarts and instances), roll back as one change, the failure policy, the
 * pipeline token's limits, bad input and the timeline.
 */
class DeploymentsIT {

    private static final String P = "/api/v1/projects/default";
    private static final FeedSettings FAST_FEED = FeedSettings.DEFAULTS.withHeartbeat(Duration.ofSeconds(1))
            .withReconcileInterval(Duration.ofMillis(500));
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void the_full_loop_ship_dark_release_to_ten_percent_roll_back_as_the_sdk_sees_it() throws Exception {
        TestServer server = keep(TestServer.start(TestDatabase.fresh(), FAST_FEED));
        Http pipeline = server.admin().as(server.token("pipeline", "default", "production"));
        DarklaunchClient sdk = keep(client(server, "production"));

        Http.Response recorded = pipeline.post(P + "/deployments", Map.of("service", "checkout", "version", "1.4.2",
                "environment", "production", "commit", "9f1c2ab", "url", "https://ci.example.com/runs/812",
                "flags", List.of("new-checkout")));
        assertThat(recorded.status()).as(recorded.text()).isEqualTo(201);
        long id = recorded.json().get("id").asLong();
        assertThat(recorded.header("Location")).hasValue(P + "/deployments/" + id);
        assertThat(recorded.json().get("status").asText()).isEqualTo("started");
        assertThat(recorded.json().at("/flags/0/key").asText()).isEqualTo("new-checkout");
        assertThat(recorded.json().at("/flags/0/created").asBoolean()).as("created by the deployment").isTrue();
        assertThat(recorded.json().at("/flags/0/on").asBoolean()).as("shipped dark").isFalse();
        Await.until(WAIT, "the condition", () -> sdk.allFlags(Context.of("u")).containsKey("new-checkout"));
        assertThat(enabledShare(sdk, "new-checkout")).isZero();

        assertThat(pipeline.send("PATCH", P + "/deployments/" + id, Map.of("status", "succeeded"), "application/json")
                .json().get("status").asText()).isEqualTo("succeeded");

        Http.Response released = pipeline.post(P + "/deployments/" + id + "/release",
                Map.of("steps", List.of(Map.of("percentage", 10)), "comment", "first users"));
        assertThat(released.status()).as(released.text()).isEqualTo(200);
        assertThat(released.json().at("/release/state").asText()).isEqualTo("completed");
        assertThat(released.json().at("/flags/0/percentage").asDouble()).isEqualTo(10.0);
        Await.until(WAIT, "the condition", () -> enabledShare(sdk, "new-checkout") > 0);
        assertThat(enabledShare(sdk, "new-checkout")).as("about 10 % of 2 000 users").isBetween(0.08, 0.12);

        Http.Response rolledBack = pipeline.post(P + "/deployments/" + id + "/rollback", Map.of("comment", "errors up"));
        assertThat(rolledBack.status()).as(rolledBack.text()).isEqualTo(200);
        assertThat(rolledBack.json().get("status").asText()).isEqualTo("rolled_back");
        assertThat(rolledBack.json().at("/flags/0/on").asBoolean()).isFalse();
        Await.until(WAIT, "the condition", () -> enabledShare(sdk, "new-checkout") == 0);

        JsonNode audit = pipeline.get(P + "/audit?deployment=" + id).json().get("items");
        assertThat(audit).extracting(e -> e.get("action").asText()).containsExactly("flag.off", "deployment.rollback",
                "deployment.release.step", "flag.release", "deployment.release", "deployment.status", "deployment.create",
                "flag.create");
        assertThat(audit).allSatisfy(e -> assertThat(e.get("deploymentId").asLong()).isEqualTo(id));

        JsonNode timeline = pipeline.get(P + "/environments/production/timeline").json().get("items");
        List<String> summaries = new ArrayList<>();
        timeline.forEach(e -> summaries.add(e.get("summary").asText()));
        assertThat(summaries).contains("checkout 1.4.2 deployed to production, shipping new-checkout dark",
                "release of checkout 1.4.2 started: 10 %", "checkout 1.4.2 released to 10 %", "checkout 1.4.2 rolled back",
                "new-checkout switched off (checkout 1.4.2)");
        assertThat(summaries.indexOf("checkout 1.4.2 rolled back")).as("newest first")
                .isLessThan(summaries.indexOf("checkout 1.4.2 released to 10 %"));
    }

    @Test
    void a_rollback_of_several_flags_reaches_the_sdk_as_one_change() throws Exception {
        TestServer server = keep(TestServer.start(TestDatabase.fresh(), FAST_FEED));
        Http admin = server.admin();
        Fixtures given = new Fixtures(admin);
        long id = deploy(admin, "production", "a", "b", "c");
        given.release(id, null);
        DarklaunchClient sdk = keep(client(server, "production"));
        Await.until(WAIT, "the condition", () -> states(sdk).equals("true/true/true"));

        List<String> mixed = new CopyOnWriteArrayList<>();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                String seen = states(sdk);
                if (!seen.equals("true/true/true") && !seen.equals("false/false/false")) {
                    mixed.add(seen);
                }
            }
        });
        BlockingQueue<Set<String>> changes = new LinkedBlockingQueue<>();
        sdk.addFlagChangeListener(changes::add);
        long revision = admin.get(P + "/environments/production").json().get("revision").asLong();
        watcher.start();
        assertThat(admin.post(P + "/deployments/" + id + "/rollback", null).status()).isEqualTo(200);
        assertThat(changes.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("one change naming all three")
                .containsExactlyInAnyOrder("a", "b", "c");
        Await.until(WAIT, "the condition", () -> states(sdk).equals("false/false/false"));
        watcher.interrupt();
        watcher.join();

        assertThat(mixed).as("no moment with some flags off and others on").isEmpty();
        assertThat(admin.get(P + "/environments/production").json().get("revision").asLong()).as("one revision")
                .isEqualTo(revision + 1);
    }

    @Test
    void release_and_rollback_are_idempotent_and_report_the_same_state_again() {
        TestServer server = keep(TestServer.start(TestDatabase.fresh(), FAST_FEED));
        Http admin = server.admin();
        long id = deploy(admin, "staging", "feature-x");
        Map<String, Object> plan = Map.of("steps", List.of(Map.of("percentage", 25), Map.of("percentage", 50, "after", "PT1H")));
        assertThat(admin.post(P + "/deployments/" + id + "/release", plan).status()).isEqualTo(200);
        int events = admin.auditEvents();
        Http.Response again = admin.post(P + "/deployments/" + id + "/release", plan);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().at("/flags/0/percentage").asDouble()).isEqualTo(25.0);
        assertThat(admin.auditEvents()).as("the same plan again writes nothing").isEqualTo(events);

        Http.Response other = admin.post(P + "/deployments/" + id + "/release", Map.of("steps", List.of(Map.of("percentage", 50))));
        assertThat(other.status()).as("another plan while one runs").isEqualTo(409);
        assertThat(other.json().get("message").asText()).contains("already has a release");

        assertThat(admin.post(P + "/deployments/" + id + "/rollback", null).status()).isEqualTo(200);
        events = admin.auditEvents();
        Http.Response rollbackAgain = admin.post(P + "/deployments/" + id + "/rollback", null);
        assertThat(rollbackAgain.status()).isEqualTo(200);
        assertThat(rollbackAgain.json().get("status").asText()).isEqualTo("rolled_back");
        assertThat(admin.auditEvents()).as("rolling back twice writes nothing the second time").isEqualTo(events);
        assertThat(admin.post(P + "/deployments/" + id + "/release", plan).status()).as("no release after a rollback").isEqualTo(409);
    }

    @Test
    void a_completed_release_continues_along_a_new_plan_that_starts_above_the_share_it_reached() {
        TestServer server = keep(TestServer.start(TestDatabase.fresh(), FAST_FEED));
        Http admin = server.admin();
        long id = deploy(admin, "production", "continued");
        String release = P + "/deployments/" + id + "/release";
        JsonNode at10 = Fixtures.succeeded(admin.post(release, Map.of("steps", List.of(Map.of("percentage", 10)))));
        assertThat(at10.at("/release/state").asText()).isEqualTo("completed");

        JsonNode at25 = Fixtures.succeeded(admin.post(release, Map.of("steps", List.of(Map.of("percentage", 25)))));
        assertThat(at25.at("/release/state").asText()).isEqualTo("completed");
        assertThat(at25.at("/release/percentage").asDouble()).isEqualTo(25.0);
        assertThat(at25.at("/flags/0/percentage").asDouble()).isEqualTo(25.0);
        assertThat(at25.at("/release/steps").size()).as("the history of the release is kept").isEqualTo(2);
        assertThat(admin.get(P + "/audit?deployment=" + id).json().get("items").findValuesAsText("action"))
                .filteredOn("deployment.release"::equals).hasSize(2);
        assertThat(admin.get(P + "/environments/production/timeline").json().get("items").findValuesAsText("summary"))
                .anyMatch(summary -> summary.matches("release of checkout 2\\.0\\.\\d+ continued: 25 %"))
                .anyMatch(summary -> summary.matches("release of checkout 2\\.0\\.\\d+ started: 10 %"));

        int events = admin.auditEvents();
        assertThat(admin.post(release, Map.of("steps", List.of(Map.of("percentage", 25)))).status())
                .as("the continuation sent again").isEqualTo(200);
        assertThat(admin.auditEvents()).as("a repeated continuation writes nothing").isEqualTo(events);

        Http.Response lower = admin.post(release, Map.of("steps", List.of(Map.of("percentage", 20))));
        assertThat(lower.status()).isEqualTo(409);
        assertThat(lower.json().get("message").asText()).contains("completed at 25 %").contains("start above");

        JsonNode onTheWay = Fixtures.succeeded(admin.post(release, Map.of("steps", List.of(
                Map.of("percentage", 50), Map.of("percentage", 100, "after", "PT1H")))));
        assertThat(onTheWay.at("/release/state").asText()).isEqualTo("running");
        assertThat(onTheWay.at("/release/percentage").asDouble()).isEqualTo(50.0);
        assertThat(onTheWay.at("/release/nextStepAt").isTextual()).isTrue();
        Http.Response whileRunning = admin.post(release, Map.of("steps", List.of(Map.of("percentage", 100))));
        assertThat(whileRunning.status()).as("another plan while the continuation runs").isEqualTo(409);
    }

    @Test
    void concurrent_release_and_rollback_end_rolled_back_with_every_flag_off_and_a_consistent_audit() throws Exception {
        TestServer server = keep(TestServer.start(TestDatabase.fresh(), FAST_FEED));
        Http admin = server.admin();
        for (int round = 0; round < 5; round++) {
            long id = deploy(admin, "production", "race-" + round + "-a", "race-" + round + "-b");
            CountDownLatch go = new CountDownLatch(1);
            List<Integer> statuses = new CopyOnWriteArrayList<>();
            Thread release = new Thread(() -> {
                Await.gate(go);
                statuses.add(admin.post(P + "/deployments/" + id + "/release", null).status());
            });
            Thread rollback = new Thread(() -> {
                Await.gate(go);
                statuses.add(admin.post(P + "/deployments/" + id + "/rollback", null).status());
            });
            release.start();
            rollback.start();
            go.countDown();
            release.join();
            rollback.join();

            JsonNode deployment = admin.get(P + "/deployments/" + id).json();
            assertThat(deployment.get("status").asText()).isEqualTo("rolled_back");
            deployment.get("flags").forEach(flag -> assertThat(flag.get("on").asBoolean()).as(flag.toString()).isFalse());
            // either the release came first (then it was rolled back) or it was refused after the rollback
            assertThat(statuses).containsAnyOf(200).allMatch(s -> s == 200 || s == 409);
            JsonNode audit = admin.get(P + "/audit?deployment=" + id).json().get("items");
            List<String> actions = new ArrayList<>();
            audit.forEach(e -> actions.add(e.get("action").asText()));
            if (actions.contains("deployment.release")) {
                assertThat(actions.indexOf("deployment.rollback")).as("rollback recorded after the release (newest first)")
                        .isLessThan(actions.indexOf("deployment.release"));
                assertThat(actions.stream().filter("flag.off"::equals).count()).isEqualTo(2);
            } else {
                assertThat(actions).doesNotContain("flag.release", "flag.off");
            }
        }
    }

    @Test
    void a_release_plan_survives_a_restart_with_two_instances_and_applies_each_step_exactly_once() throws Exception {
        String database = TestDatabase.fresh();
        TestServer a = TestServer.start(database, FAST_FEED);
        TestServer b = keep(TestServer.start(database, FAST_FEED));
        Http admin = b.admin();
        long id = deploy(admin, "production", "gradual");
        Map<String, Object> plan = Map.of("steps", List.of(Map.of("percentage", 1), Map.of("percentage", 10, "after", "PT1S"),
                Map.of("percentage", 50, "after", "PT1S"), Map.of("percentage", 100, "after", "PT1S")));
        assertThat(admin.post(P + "/deployments/" + id + "/release", plan).json().at("/release/percentage").asDouble()).isEqualTo(1.0);

        a.close(); // one instance goes away mid-plan and comes back
        TestServer restarted = keep(TestServer.start(database, FAST_FEED));
        Await.until(WAIT, "the condition", () -> admin.get(P + "/deployments/" + id).json().at("/release/state").asText().equals("completed"));

        JsonNode deployment = restarted.admin().get(P + "/deployments/" + id).json();
        assertThat(deployment.at("/flags/0/percentage").asDouble()).isEqualTo(100.0);
        deployment.at("/release/steps").forEach(step -> assertThat(step.has("appliedAt")).as(step.toString()).isTrue());
        JsonNode audit = admin.get(P + "/audit?deployment=" + id + "&limit=500").json().get("items");
        Map<String, Long> steps = new HashMap<>();
        audit.forEach(e -> {
            if (e.get("action").asText().equals("deployment.release.step")) {
                steps.merge(e.at("/after/step").asText(), 1L, Long::sum);
            }
        });
        assertThat(steps).as("each step once").isEqualTo(Map.of("1", 1L, "2", 1L, "3", 1L, "4", 1L));
        long flagChanges = IntStream.range(0, audit.size()).filter(i -> audit.get(i).get("action").asText().equals("flag.release")).count();
        assertThat(flagChanges).isEqualTo(4);
    }

    @Test
    void a_paused_release_waits_and_resumes_where_it_stopped() throws Exception {
        TestServer server = keep(TestServer.start(TestDatabase.fresh(), FAST_FEED));
        Http admin = server.admin();
        long id = deploy(admin, "staging", "careful");
        JsonNode released = new Fixtures(admin).release(id, Map.of("steps", List.of(Map.of("percentage", 5),
                Map.of("percentage", 100, "after", "PT2S"))));
        Http.Response paused = admin.post(P + "/deployments/" + id + "/release/pause", Map.of("comment", "watching"));
        assertThat(paused.json().at("/release/state").asText()).isEqualTo("paused");
        assertThat(admin.post(P + "/deployments/" + id + "/release/pause", null).status()).as("pausing twice is fine").isEqualTo(200);

        // past the moment the second step was due, and one scheduler check more: a paused plan must not have moved
        Await.past(OffsetDateTime.parse(released.at("/release/steps/1/dueAt").asText()).toInstant().plusSeconds(2));
        assertThat(admin.get(P + "/deployments/" + id).json().at("/flags/0/percentage").asDouble()).isEqualTo(5.0);

        Http.Response resumed = admin.post(P + "/deployments/" + id + "/release/resume", null);
        assertThat(resumed.json().at("/release/state").asText()).isEqualTo("running");
        assertThat(resumed.json().at("/flags/0/percentage").asDouble()).as("the paused time does not count").isEqualTo(5.0);
        Await.until(WAIT, "the condition", () -> admin.get(P + "/deployments/" + id).json().at("/flags/0/percentage").asDouble() == 100.0);
        assertThat(admin.post(P + "/deployments/" + id + "/release/resume", null).status())
                .as("a completed release cannot be resumed").isEqualTo(409);
    }

    @Test
    void a_failed_deployment_switches_its_flags_off_in_production_by_policy_and_not_in_staging_by_default() {
        TestServer server = keep(TestServer.start(TestDatabase.fresh(), FAST_FEED));
        Http admin = server.admin();
        Fixtures given = new Fixtures(admin);
        long production = deploy(admin, "production", "prod-feature");
        long staging = deploy(admin, "staging", "staging-feature");
        given.release(production, null);
        given.release(staging, null);

        Http.Response failed = admin.send("PATCH", P + "/deployments/" + production, Map.of("status", "failed"), "application/json");
        assertThat(failed.json().get("status").asText()).isEqualTo("failed");
        assertThat(failed.json().at("/flags/0/on").asBoolean()).as("switched off by policy").isFalse();
        JsonNode off = admin.get(P + "/audit?deployment=" + production).json().at("/items/0");
        assertThat(off.get("action").asText()).isEqualTo("flag.off");
        assertThat(off.get("actor").asText()).isEqualTo("policy:rollback-on-failure");

        Http.Response stagingFailed = admin.send("PATCH", P + "/deployments/" + staging, Map.of("status", "failed"), "application/json");
        assertThat(stagingFailed.json().at("/flags/0/on").asBoolean()).as("staging keeps its flags by default").isTrue();

        Http.Response policy = admin.put(P + "/environments/staging", Map.of("name", "Staging", "production", false,
                "rollbackOnFailure", true));
        assertThat(policy.json().get("rollbackOnFailure").asBoolean()).isTrue();
        long next = deploy(admin, "staging", "staging-feature-2");
        given.release(next, null);
        assertThat(admin.send("PATCH", P + "/deployments/" + next, Map.of("status", "failed"), "application/json")
                .json().at("/flags/0/on").asBoolean()).isFalse();
    }

    @Test
    void a_retried_recording_with_the_same_idempotency_key_records_the_deployment_once() throws Exception {
        TestServer server = keep(TestServer.start(TestDatabase.fresh(), FAST_FEED));
        Http pipeline = server.admin().as(server.token("pipeline", "default", "production")).with("Idempotency-Key", "run-812");
        Map<String, Object> body = Map.of("service", "checkout", "version", "1.4.3", "environment", "production",
                "flags", List.of("retried-a", "retried-b"));
        Http.Response first = pipeline.post(P + "/deployments", body);
        assertThat(first.status()).as(first.text()).isEqualTo(201);
        int events = server.admin().auditEvents();

        Http.Response retried = pipeline.post(P + "/deployments", body);
        assertThat(retried.status()).as("a repeat answers what was recorded").isEqualTo(200);
        assertThat(retried.json().get("id").asLong()).isEqualTo(first.json().get("id").asLong());
        assertThat(retried.header("Location")).isEqualTo(first.header("Location"));
        assertThat(server.admin().auditEvents()).as("nothing written again").isEqualTo(events);

        Map<String, Object> other = new HashMap<>(body);
        other.put("version", "1.4.4");
        Http.Response reused = pipeline.post(P + "/deployments", other);
        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.json().get("field").asText()).isEqualTo("Idempotency-Key");

        // five retries racing with a new key: one deployment
        Http racing = pipeline.with("Idempotency-Key", "run-813");
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        List<Long> ids = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Thread thread = new Thread(() -> {
                Await.gate(go);
                Http.Response response = racing.post(P + "/deployments", Map.of("service", "checkout", "version", "1.5.0",
                        "environment", "production", "flags", List.of("raced")));
                statuses.add(response.status());
                ids.add(response.json().get("id").asLong());
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(statuses).containsOnly(200, 201).filteredOn(s -> s == 201).hasSize(1);
        assertThat(Set.copyOf(ids)).hasSize(1);
        assertThat(pipeline.with("Idempotency-Key", "x".repeat(201)).post(P + "/deployments", body).status()).isEqualTo(400);
    }

    @Test
    void status_reports_follow_the_lifecycle() {
        TestServer server = keep(TestServer.start(TestDatabase.fresh(), FAST_FEED));
        Http admin = server.admin();
        long id = deploy(admin, "development");
        String path = P + "/deployments/" + id;
        assertThat(admin.send("PATCH", path, Map.of("status", "succeeded"), "application/json").status()).isEqualTo(200);
        assertThat(admin.send("PATCH", path, Map.of("status", "succeeded"), "application/json").status()).as("again: no-op").isEqualTo(200);
        Http.Response back = admin.send("PATCH", path, Map.of("status", "started"), "application/json");
        assertThat(back.status()).isEqualTo(409);
        assertThat(back.json().get("message").asText()).contains("cannot become started");
        assertThat(admin.send("PATCH", path, Map.of("status", "rolled_back"), "application/json").json().get("status").asText())
                .isEqualTo("rolled_back");
        assertThat(admin.send("PATCH", path, Map.of("status", "succeeded"), "application/json").status()).isEqualTo(409);
        JsonNode found = admin.get(P + "/deployments?status=rolled_back&environment=development").json().get("items");
        assertThat(found).extracting(d -> d.get("id").asLong()).containsExactly(id);
        assertThat(admin.get(P + "/deployments?service=nothing-like-it").json().get("items")).isEmpty();
        assertThat(admin.get(P + "/deployments/999999").status()).isEqualTo(404);
        assertThat(admin.get(P + "/deployments/abc").status()).isEqualTo(404);
    }

    @Test
    void a_pipeline_token_works_only_on_deployments_in_its_own_environments() {
        TestServer server = keep(TestServer.start(TestDatabase.fresh(), FAST_FEED));
        Http admin = server.admin();
        Fixtures given = new Fixtures(admin);
        given.project("other", "Other");
        Http pipeline = admin.as(server.token("pipeline", "default", "production"));
        long staging = deploy(admin, "staging", "staging-only");
        given.flag(Map.of("key", "unrelated", "name", "Unrelated", "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false))));
        int events = admin.auditEvents();

        assertThat(pipeline.post(P + "/deployments", deployment("staging", "x")).status()).isEqualTo(403);
        assertThat(pipeline.post("/api/v1/projects/other/deployments", deployment("production", "x")).status()).isEqualTo(403);
        assertThat(pipeline.post(P + "/deployments/" + staging + "/release", null).status()).isEqualTo(403);
        assertThat(pipeline.post(P + "/deployments/" + staging + "/rollback", null).status()).isEqualTo(403);
        assertThat(pipeline.send("PATCH", P + "/deployments/" + staging, Map.of("status", "failed"), "application/json").status())
                .isEqualTo(403);
        assertThat(pipeline.put(P + "/flags/unrelated/environments/production", Map.of("on", true, "offVariation", 1,
                "fallthrough", Map.of("variation", 0))).status()).as("no configuration changes").isEqualTo(403);
        assertThat(pipeline.post(P + "/flags", Map.of("key", "sneaky", "name", "s", "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false)))).status()).as("no flags outside a deployment")
                .isEqualTo(403);
        assertThat(admin.auditEvents()).as("nothing written").isEqualTo(events);

        long own = deploy(pipeline, "production", "prod-only");
        assertThat(pipeline.post(P + "/deployments/" + own + "/release", null).status()).isEqualTo(200);
        assertThat(admin.get(P + "/flags/unrelated").json().at("/environments/production/on").asBoolean())
                .as("a release touches the deployment's flags only").isFalse();
    }

    static Stream<Object[]> badDeployments() {
        return Stream.of(
                new Object[]{Map.of("version", "1.0", "environment", "production"), "service"},
                new Object[]{Map.of("service", "s", "environment", "production"), "version"},
                new Object[]{Map.of("service", "s", "version", "1.0 beta", "environment", "production"), "version"},
                new Object[]{Map.of("service", "s", "version", "", "environment", "production"), "version"},
                new Object[]{Map.of("service", "s", "version", "1", "environment", "production", "flags", List.of("ok", "ok")), "flags[1]"},
                new Object[]{Map.of("service", "s", "version", "1", "environment", "production", "flags", List.of("no spaces")), "flags[0]"},
                new Object[]{Map.of("service", "s", "version", "1", "environment", "production", "flags", List.of("colour")), "flags[0]"},
                new Object[]{Map.of("service", "s", "version", "1", "environment", "production", "url", "javascript:alert(1)"), "url"},
                new Object[]{Map.of("service", "s", "version", "1", "environment", "production", "status", "failed"), "status"},
                new Object[]{Map.of("service", "s", "version", "1", "environment", "production", "extra", 1), "extra"},
                new Object[]{Map.of("service", "s", "version", "1"), "environment"});
    }

    @ParameterizedTest
    @MethodSource("badDeployments")
    void bad_deployments_are_refused_with_400_naming_the_field_and_nothing_is_written(Map<String, Object> body, String field) {
        Http admin = shared().admin();
        if (admin.get(P + "/flags/colour").status() == 404) { // the shared server keeps it from the case before
            new Fixtures(admin).flag(Map.of("key", "colour", "name", "Colour", "kind", "string",
                    "variations", List.of(Map.of("value", "red"), Map.of("value", "blue"))));
        }
        int events = admin.auditEvents();
        int deployments = admin.get(P + "/deployments?limit=500").json().get("items").size();
        Http.Response response = admin.post(P + "/deployments", body);
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().get("field").asText()).isEqualTo(field);
        assertThat(admin.auditEvents()).isEqualTo(events);
        assertThat(admin.get(P + "/deployments?limit=500").json().get("items").size()).isEqualTo(deployments);
    }

    static Stream<Object[]> badPlans() {
        return Stream.of(
                new Object[]{List.of(Map.of("percentage", 0)), "steps[0].percentage"},
                new Object[]{List.of(Map.of("percentage", 101)), "steps[0].percentage"},
                new Object[]{List.of(Map.of("percentage", -5)), "steps[0].percentage"},
                new Object[]{List.of(Map.of("percentage", 0.0001)), "steps[0].percentage"},
                new Object[]{List.of(Map.of("after", "PT1M")), "steps[0].percentage"},
                new Object[]{List.of(Map.of("percentage", 10), Map.of("percentage", 10, "after", "PT1M")), "steps[1].percentage"},
                new Object[]{List.of(Map.of("percentage", 50), Map.of("percentage", 10, "after", "PT1M")), "steps[1].percentage"},
                new Object[]{List.of(Map.of("percentage", 10), Map.of("percentage", 50)), "steps[1]"},
                new Object[]{List.of(Map.of("percentage", 10), Map.of("percentage", 50, "after", "soon")), "steps[1].after"},
                new Object[]{List.of(Map.of("percentage", 10), Map.of("percentage", 50, "after", "PT0.1S")), "steps[1].after"},
                new Object[]{List.of(Map.of("percentage", 10, "at", "2030-01-01T00:00:00Z"),
                        Map.of("percentage", 50, "at", "2029-01-01T00:00:00Z")), "steps[1].at"},
                new Object[]{List.of(Map.of("percentage", 10), Map.of("percentage", 50, "at", "2030-01-01T00:00:00Z",
                        "after", "PT1M")), "steps[1]"},
                new Object[]{List.of(Map.of("percentage", 10, "at", "tomorrow")), "steps[0].at"});
    }

    @ParameterizedTest
    @MethodSource("badPlans")
    void bad_release_plans_are_refused_with_400_naming_the_step_and_nothing_is_written(List<Map<String, Object>> steps, String field) {
        Http admin = shared().admin();
        long id = deploy(admin, "development", "planned-" + Math.abs(steps.hashCode()));
        int events = admin.auditEvents();
        Http.Response response = admin.post(P + "/deployments/" + id + "/release", Map.of("steps", steps));
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().get("field").asText()).isEqualTo(field);
        assertThat(admin.auditEvents()).isEqualTo(events);
        assertThat(admin.get(P + "/deployments/" + id).json().has("release")).isFalse();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static TestServer shared;

    private static synchronized TestServer shared() {
        if (shared == null) {
            shared = TestServer.start(TestDatabase.fresh(), FAST_FEED);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    private static Map<String, Object> deployment(String environment, String... flags) {
        return Map.of("service", "checkout", "version", "2.0." + System.nanoTime() % 1000, "environment", environment,
                "flags", List.of(flags));
    }

    private static long deploy(Http http, String environment, String... flags) {
        Http.Response response = http.post(P + "/deployments", deployment(environment, flags));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json().get("id").asLong();
    }

    private static double enabledShare(DarklaunchClient sdk, String flag) {
        long on = IntStream.range(0, 2_000).filter(i -> sdk.isEnabled(flag, Context.of("user-" + i))).count();
        return on / 2_000.0;
    }

    private static String states(DarklaunchClient client) {
        Map<String, JsonNode> all = client.allFlags(Context.of("user-1"));
        return Stream.of("a", "b", "c").map(key -> String.valueOf(all.get(key) != null && all.get(key).asBoolean()))
                .collect(Collectors.joining("/"));
    }

    private DarklaunchClient client(TestServer server, String environment) {
        return keep(DarklaunchClient.create(SdkTestTimings.fast(DarklaunchConfig.builder()
                        .baseUri(URI.create(server.base()))
                        .sdkToken(server.token("sdk", "default", environment))
                        .initTimeout(Duration.ofSeconds(10)))
                .build()));
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        closeables.add(closeable);
        return closeable;
    }
}
