package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.GuardSamples;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestDatabase;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guarded releases against a real server and PostgreSQL: what SDKs measured is inserted straight
 * into the samples tables (per flag, variation and minute, as SDK reports add up), and the
 * server's own scheduler looks with the guards every second. A/A data lets the plan complete; a
 * treatment failing five times as often is rolled back before its 50 % step, with the evidence in
 * the audit log and the timeline; a +30 % latency pauses; too few samples hold a step back and say
 * so; a person's change pauses a guarded release and the guard leaves it alone; bad definitions
 * are 400s; flags are served guarded only while a guard watches them.
 */
class GuardedReleasesIT {

    private static final String P = "/api/v1/projects/default";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final AtomicInteger SERVICES = new AtomicInteger();

    private static TestServer server;
    private static Http admin;
    private static Fixtures given;
    private static String sdkToken;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.fresh());
        admin = server.admin();
        given = new Fixtures(admin);
        sdkToken = server.token("sdk", "default", "production");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Map<String, Object> errorGuard(String action) {
        return Map.of("metric", Map.of("kind", "rate", "event", "error"), "minSample", 1000, "action", action);
    }

    private static Map<String, Object> plan(List<Map<String, Object>> guards) {
        return Map.of("steps", List.of(Map.of("percentage", 10), Map.of("percentage", 50, "after", "PT1S"),
                Map.of("percentage", 100, "after", "PT1S")), "guards", guards);
    }

    @Test
    void with_equal_error_rates_the_guarded_plan_completes_and_the_flag_is_served_guarded_only_meanwhile() throws Exception {
        String flag = "aa-checkout";
        long id = deploy("production", flag);
        JsonNode started = given.release(id, plan(List.of(errorGuard("rollback"))));
        assertThat(started.at("/release/state").asText()).isEqualTo("running");
        assertThat(started.at("/release/guards/0/name").asText()).as("named after its event by default").isEqualTo("error");
        assertThat(started.at("/release/guards/0/alpha").asDouble()).isEqualTo(0.05);
        assertThat(started.at("/release/guards/0/since").isTextual()).isTrue();
        Await.until(WAIT, "the SDK feed serves " + flag + " guarded", () -> Boolean.TRUE.equals(guarded(flag)));

        // A/A: one per cent errors in both arms, the treatment 10 % of exposures
        samples("production", flag, 2_000, 20, 18_000, 180);

        JsonNode completed = Await.value(WAIT, "the release completes", () -> {
            JsonNode d = deployment(id);
            return d.at("/release/state").asText().equals("completed") ? d : null;
        });
        assertThat(completed.get("status").asText()).isNotEqualTo("rolled_back");
        assertThat(completed.at("/flags/0/percentage").asDouble()).isEqualTo(100.0);
        assertThat(completed.at("/release/guards/0/state/verdict").asText()).isEqualTo("no_regression");
        assertThat(auditActions(id)).doesNotContain("deployment.guard.regression");
        Await.until(WAIT, "the feed no longer marks " + flag + " guarded", () -> Boolean.FALSE.equals(guarded(flag)));
    }

    @Test
    void a_treatment_failing_five_per_cent_against_one_is_rolled_back_before_the_fifty_per_cent_step() throws Exception {
        String flag = "failing-checkout";
        long id = deploy("production", flag);
        given.release(id, plan(List.of(errorGuard("rollback"))));
        Await.until(WAIT, "the SDK feed serves " + flag + " guarded", () -> Boolean.TRUE.equals(guarded(flag)));

        // what SDKs report, a batch at a time: 5 % errors with the release, 1 % without
        long exposures = 0;
        JsonNode now = deployment(id);
        while (!now.get("status").asText().equals("rolled_back")) {
            assertThat(exposures).as("decided within 20 000 exposures").isLessThan(20_000);
            samples("production", flag, 250, 13, 2_250, 22);
            OffsetDateTime inserted = OffsetDateTime.now(); // a look that starts later sees the batch
            exposures += 2_500;
            now = Await.value(WAIT, "a look after the batch", () -> {
                JsonNode d = deployment(id);
                JsonNode checked = d.at("/release/guards/0/checkedAt");
                return d.get("status").asText().equals("rolled_back")
                        || (checked.isTextual() && OffsetDateTime.parse(checked.asText()).isAfter(inserted)) ? d : null;
            });
        }
        System.out.println("guard rolled back a 5 % vs 1 % error rate after " + exposures + " exposures");

        assertThat(now.at("/release/state").asText()).isEqualTo("cancelled");
        assertThat(now.at("/release/steps/1/appliedAt").isMissingNode()).as("the 50 % step never applied").isTrue();
        assertThat(now.at("/flags/0/on").asBoolean()).as("flags off").isFalse();
        assertThat(now.at("/release/guards/0/state/verdict").asText()).isEqualTo("regression");

        JsonNode audit = admin.get(P + "/audit?deployment=" + id).json().get("items");
        JsonNode regression = find(audit, "deployment.guard.regression");
        assertThat(regression.get("actor").asText()).isEqualTo("policy:guard");
        JsonNode evidence = regression.at("/after/evidence");
        assertThat(evidence.get("verdict").asText()).isEqualTo("regression");
        assertThat(evidence.at("/treatment/n").asLong()).isGreaterThanOrEqualTo(1000);
        assertThat(evidence.at("/control/n").asLong()).isGreaterThanOrEqualTo(9000);
        assertThat(evidence.at("/treatment/value").asDouble()).isBetween(0.045, 0.06);
        assertThat(evidence.at("/control/value").asDouble()).isBetween(0.008, 0.012);
        assertThat(evidence.get("lower").asDouble()).as("the interval lies above the tolerance").isGreaterThan(0);
        assertThat(evidence.get("upper").asDouble()).isGreaterThan(evidence.get("lower").asDouble());
        assertThat(evidence.get("statistic").asDouble()).isPositive();
        assertThat(evidence.get("alpha").asDouble()).isEqualTo(0.05);
        assertThat(regression.at("/after/action").asText()).isEqualTo("rollback");
        assertThat(regression.get("comment").asText()).startsWith("guard 'error' found a regression on " + flag);
        assertThat(find(audit, "deployment.rollback").get("actor").asText()).isEqualTo("policy:guard");
        assertThat(find(audit, "flag.off").get("actor").asText()).isEqualTo("policy:guard");

        List<String> timeline = new ArrayList<>();
        admin.get(P + "/environments/production/timeline").json().get("items").forEach(e -> timeline.add(e.get("summary").asText()));
        assertThat(timeline).anySatisfy(summary -> assertThat(summary)
                .contains("guard 'error' found a regression on " + flag).endsWith("rolling back"));
        Await.until(WAIT, "the feed no longer marks " + flag + " guarded", () -> Boolean.FALSE.equals(guarded(flag)));
    }

    @Test
    void with_two_instances_on_one_database_a_regression_is_acted_on_once() throws Exception {
        try (TestServer second = TestServer.start(server.databaseUrl())) {
            String flag = "twice-checkout";
            long id = deploy("production", flag);
            given.release(id, plan(List.of(errorGuard("rollback"))));
            samples("production", flag, 2_000, 100, 18_000, 180);
            Await.until(WAIT, "the guard rolls the deployment back", () -> deployment(id).get("status").asText().equals("rolled_back"));
            Await.past(java.time.Instant.now().plusSeconds(2)); // both instances check again meanwhile; neither may act twice
            List<String> actions = auditActions(id);
            assertThat(actions.stream().filter("deployment.guard.regression"::equals).count()).isEqualTo(1);
            assertThat(actions.stream().filter("deployment.rollback"::equals).count()).isEqualTo(1);
            assertThat(second.admin().get(P + "/deployments/" + id).json().get("status").asText()).isEqualTo("rolled_back");
        }
    }

    @Test
    void a_thirty_per_cent_rise_in_mean_latency_pauses_the_release() throws Exception {
        String flag = "slow-checkout";
        long id = deploy("production", flag);
        given.release(id, plan(List.of(Map.of("name", "latency", "metric", Map.of("kind", "mean", "event", "latency-ms"),
                "tolerance", Map.of("relative", 0.05), "minSample", 500, "action", "pause"))));
        // control: mean 100 ms, sd 20; treatment: mean 130 ms, sd 26 (the control first: a look in between sees too few)
        values("production", flag, false, "latency-ms", 4_500, 100, 20);
        values("production", flag, true, "latency-ms", 500, 130, 26);

        JsonNode paused = Await.value(WAIT, "the guard pauses the release", () -> {
            JsonNode d = deployment(id);
            return d.at("/release/state").asText().equals("paused") ? d : null;
        });
        assertThat(paused.at("/release/pausedBy").asText()).isEqualTo("policy:guard");
        assertThat(paused.at("/release/pauseReason").asText()).startsWith("guard 'latency' found a regression on " + flag)
                .contains("mean latency-ms 130.0 with the release against 100.0 without");
        assertThat(paused.at("/release/guards/0/state/estimate").asDouble()).isCloseTo(30, org.assertj.core.data.Offset.offset(0.01));
        assertThat(paused.get("status").asText()).as("a pause leaves the deployment as it is").isNotEqualTo("rolled_back");
        assertThat(paused.at("/flags/0/percentage").asDouble()).isEqualTo(10.0);
        assertThat(find(admin.get(P + "/audit?deployment=" + id).json().get("items"), "deployment.guard.regression")
                .at("/after/evidence/treatment/value").asDouble()).isCloseTo(130, org.assertj.core.data.Offset.offset(0.01));
        Await.until(WAIT, "a paused release is still guarded", () -> Boolean.TRUE.equals(guarded(flag)));
    }

    @Test
    void with_too_few_samples_a_due_step_waits_and_says_so() throws Exception {
        String flag = "quiet-checkout";
        long id = deploy("production", flag);
        given.release(id, Map.of("steps", List.of(Map.of("percentage", 10), Map.of("percentage", 50, "after", "PT1S")),
                "guards", List.of(errorGuard("rollback"))));
        samples("production", flag, 100, 1, 900, 9);

        String why = "step 2 of 2 (50 %) is due and waits: guard 'error' waits for samples on " + flag
                + ": 100 of 1000 exposures with the release, 900 of 1000 without";
        JsonNode waiting = Await.value(WAIT, "the due step says why it waits, after a look at the samples", () -> {
            JsonNode d = deployment(id);
            return d.at("/release/waiting").asText().equals(why) ? d : null;
        });
        assertThat(waiting.at("/release/guards/0/state/verdict").asText()).isEqualTo("too_few");
        assertThat(waiting.at("/release/steps/1/appliedAt").isMissingNode()).isTrue();
        assertThat(waiting.at("/release/percentage").asDouble()).isEqualTo(10.0);

        // enough healthy samples, and the step goes ahead
        samples("production", flag, 1_000, 10, 9_000, 90);
        JsonNode completed = Await.value(WAIT, "the step applies", () -> {
            JsonNode d = deployment(id);
            return d.at("/release/state").asText().equals("completed") ? d : null;
        });
        assertThat(completed.at("/flags/0/percentage").asDouble()).isEqualTo(50.0);
    }

    @Test
    void a_person_switching_a_guarded_flag_off_pauses_the_release_and_the_guard_leaves_it_to_them() throws Exception {
        String flag = "manual-checkout";
        long id = deploy("production", flag);
        given.release(id, plan(List.of(errorGuard("rollback"))));
        given.toggle(flag, "production", false);
        JsonNode paused = deployment(id);
        assertThat(paused.at("/release/state").asText()).isEqualTo("paused");
        assertThat(paused.at("/release/pausedBy").asText()).isNotEqualTo("policy:guard");
        samples("production", flag, 2_000, 100, 18_000, 180);

        // a witness: another guarded release whose regression the scheduler acts on, after the samples above are in
        String witness = "witness-checkout";
        long witnessId = deploy("production", witness);
        given.release(witnessId, plan(List.of(errorGuard("rollback"))));
        samples("production", witness, 2_000, 100, 18_000, 180);
        Await.until(WAIT, "the witness is rolled back by its guard", () -> deployment(witnessId).get("status").asText().equals("rolled_back"));

        JsonNode after = deployment(id);
        assertThat(after.at("/release/state").asText()).as("still paused by the person").isEqualTo("paused");
        assertThat(after.get("status").asText()).isNotEqualTo("rolled_back");
        assertThat(auditActions(id)).doesNotContain("deployment.guard.regression");
        assertThat(after.at("/flags/0/on").asBoolean()).isFalse();
    }

    @Test
    void an_environments_default_guard_watches_releases_that_name_none() throws Exception {
        Http.Response set = admin.put(P + "/environments/staging",
                Map.of("name", "Staging", "production", false, "defaultGuards", List.of(
                        Map.of("name", "errors must not rise", "metric", Map.of("kind", "ratio", "event", "error", "per", "request"),
                                "action", "rollback"))));
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.json().at("/defaultGuards/0/name").asText()).isEqualTo("errors must not rise");
        assertThat(set.json().at("/defaultGuards/0/minSample").asLong()).as("defaults filled in").isEqualTo(1000);
        Http.Response kept = admin.put(P + "/environments/staging", Map.of("name", "Staging", "production", false));
        assertThat(kept.json().at("/defaultGuards/0/name").asText()).as("a PUT without them keeps them").isEqualTo("errors must not rise");

        long id = deploy("staging", "defaulted-checkout");
        JsonNode started = given.release(id, Map.of("steps", List.of(Map.of("percentage", 10), Map.of("percentage", 100, "after", "PT1H"))));
        assertThat(started.at("/release/guards/0/name").asText()).isEqualTo("errors must not rise");
        assertThat(started.at("/release/guards/0/metric/per").asText()).isEqualTo("request");

        long own = deploy("staging", "own-guard-checkout");
        JsonNode ownGuards = given.release(own, Map.of("steps", List.of(Map.of("percentage", 10), Map.of("percentage", 100, "after", "PT1H")),
                "guards", List.of(errorGuard("pause"))));
        assertThat(ownGuards.at("/release/guards").size()).as("a release naming guards runs with its own only").isEqualTo(1);
        assertThat(ownGuards.at("/release/guards/0/name").asText()).isEqualTo("error");

        Http.Response cleared = admin.put(P + "/environments/staging", Map.of("name", "Staging", "production", false,
                "defaultGuards", List.of()));
        assertThat(cleared.json().has("defaultGuards")).isFalse();
    }

    @Test
    void bad_guard_definitions_are_refused_with_the_field_at_fault_and_nothing_is_written() throws Exception {
        long id = deploy("production", "refused-checkout");
        List<Object[]> cases = List.of(
                new Object[]{Map.of("steps", List.of(Map.of("percentage", 100)), "guards", List.of(errorGuard("pause"))), "guards"},
                new Object[]{plan(List.of(Map.of("action", "pause"))), "guards[0].metric"},
                new Object[]{plan(List.of(Map.of("metric", Map.of("kind", "median", "event", "e"), "action", "pause"))), "guards[0].metric.kind"},
                new Object[]{plan(List.of(Map.of("metric", Map.of("kind", "rate"), "action", "pause"))), "guards[0].metric.event"},
                new Object[]{plan(List.of(Map.of("metric", Map.of("kind", "ratio", "event", "e"), "action", "pause"))), "guards[0].metric.per"},
                new Object[]{plan(List.of(Map.of("metric", Map.of("kind", "rate", "event", "e", "per", "r"), "action", "pause"))), "guards[0].metric.per"},
                new Object[]{plan(List.of(Map.of("metric", Map.of("kind", "rate", "event", "e"), "bad", "sideways", "action", "pause"))), "guards[0].bad"},
                new Object[]{plan(List.of(Map.of("metric", Map.of("kind", "rate", "event", "e"), "tolerance", Map.of("relative", 0.1, "absolute", 1), "action", "pause"))), "guards[0].tolerance"},
                new Object[]{plan(List.of(Map.of("metric", Map.of("kind", "rate", "event", "e"), "tolerance", Map.of("relative", -0.1), "action", "pause"))), "guards[0].tolerance.relative"},
                new Object[]{plan(List.of(Map.of("metric", Map.of("kind", "rate", "event", "e"), "minSample", 0, "action", "pause"))), "guards[0].minSample"},
                new Object[]{plan(List.of(Map.of("metric", Map.of("kind", "rate", "event", "e")))), "guards[0].action"},
                new Object[]{plan(List.of(Map.of("metric", Map.of("kind", "rate", "event", "e"), "action", "explode"))), "guards[0].action"},
                new Object[]{plan(List.of(Map.of("metric", Map.of("kind", "rate", "event", "e"), "action", "pause", "alpha", 0.9))), "guards[0].alpha"},
                new Object[]{Map.of("steps", List.of(Map.of("percentage", 10), Map.of("percentage", 100, "after", "PT1S",
                        "guards", List.of(errorGuard("pause"))))), "steps[1].guards"});
        for (Object[] bad : cases) {
            Http.Response refused = admin.post(P + "/deployments/" + id + "/release", bad[0]);
            assertThat(refused.status()).as(bad[1] + ": " + refused.text()).isEqualTo(400);
            assertThat(refused.json().get("field").asText()).as(refused.text()).isEqualTo(bad[1]);
            assertThat(refused.json().get("message").asText()).isNotBlank();
        }
        for (Object body : List.of(plan(List.of(Map.of("metric", Map.of("kind", "rate", "event", "e"), "action", "pause", "minSample", "lots"))),
                plan(List.of(Map.of("metric", Map.of("kind", "rate", "event", "e"), "action", "pause", "colour", "red"))),
                plan(List.of(Map.of("metric", "errors", "action", "pause"))))) {
            Http.Response refused = admin.post(P + "/deployments/" + id + "/release", body);
            assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        }
        assertThat(deployment(id).has("release")).as("nothing written").isFalse();

        JsonNode environment = admin.get(P + "/environments/development").json();
        Http.Response refused = admin.put(P + "/environments/development", Map.of("name", "Development", "production", false,
                "defaultGuards", List.of(Map.of("metric", Map.of("kind", "rate", "event", "e"), "action", "later"))));
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.json().get("field").asText()).isEqualTo("defaultGuards[0].action");
        assertThat(admin.get(P + "/environments/development").json().get("version").asLong())
                .isEqualTo(environment.get("version").asLong());
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static long deploy(String environment, String flag) {
        JsonNode recorded = given.deployment(Map.of("service", "checkout-" + SERVICES.incrementAndGet(), "version", "1.0." + SERVICES.get(),
                "environment", environment, "flags", List.of(flag), "status", "succeeded"));
        return recorded.get("id").asLong();
    }

    private static JsonNode deployment(long id) {
        return Fixtures.expect(200, admin.get(P + "/deployments/" + id));
    }

    private static List<String> auditActions(long id) {
        List<String> actions = new ArrayList<>();
        admin.get(P + "/audit?deployment=" + id).json().get("items").forEach(e -> actions.add(e.get("action").asText()));
        return actions;
    }

    private static JsonNode find(JsonNode audit, String action) {
        for (JsonNode event : audit) {
            if (event.get("action").asText().equals(action)) {
                return event;
            }
        }
        throw new AssertionError("no " + action + " in " + audit);
    }

    /** Whether the SDK feed (production) serves the flag marked guarded; null while the feed has no such flag yet. */
    private static Boolean guarded(String key) {
        for (JsonNode flag : admin.as(sdkToken).get("/sdk/v1/flags").json().get("flags")) {
            if (flag.at("/flag/key").asText().equals(key)) {
                return flag.path("guarded").asBoolean(false);
            }
        }
        return null;
    }

    /** Exposures of both arms and the error events among them, this minute, in one transaction. */
    private static void samples(String environment, String flag, long treatmentExposures, long treatmentErrors,
                                long controlExposures, long controlErrors) throws Exception {
        new GuardSamples(server).errors(environment, flag, treatmentExposures, treatmentErrors, controlExposures, controlErrors);
    }

    /** Adds {@code n} values of an event to one arm, with the given mean and standard deviation, this minute. */
    private static void values(String environment, String flag, boolean treatment, String event, long n, double mean, double sd)
            throws Exception {
        new GuardSamples(server).values(environment, flag, treatment, event, n, mean, sd);
    }
}
