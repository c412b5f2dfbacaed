package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.deployments.DeploymentStore;
import dev.darklaunch.server.deployments.Releases;
import dev.darklaunch.server.deployments.StepCondition;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.flags.FlagConfigStore;
import dev.darklaunch.server.flags.FlagStore;
import dev.darklaunch.server.flags.FlagWrites;
import dev.darklaunch.server.flags.ManualChanges;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Automation never overrides a person: a flag switched off (or otherwise changed by hand) while a
 * release plan is raising it stays as the person left it. The plan pauses, audited with who and
 * why, shows it in the deployment, and moves again only when a person resumes it — also when the
 * manual change and a release step commit at the same moment.
 */
@DarklaunchServerTest(config = "quickReconcile")
class KillSwitchIT {

    private static final String P = "/api/v1/projects/default";
    private static final Duration WAIT = Duration.ofSeconds(20);
    @Given
    private static String database;
    @Given
    private static TestServer server;
    @Given
    private static Fixtures given;
    @Given
    private static Http admin;

    static Config quickReconcile(Config config) {
        return config.withFeed(FeedSettings.DEFAULTS.withReconcileInterval(Duration.ofMillis(500)));
    }

    @Test
    void a_flag_switched_off_during_a_release_plan_stays_off_and_the_plan_pauses_until_a_person_resumes_it() {
        long id = deploy("kill-switch");
        Http.Response released = admin.post(P + "/deployments/" + id + "/release", Map.of("steps", List.of(
                Map.of("percentage", 10), Map.of("percentage", 50, "after", "PT3S"))));
        assertThat(released.status()).as(released.text()).isEqualTo(200);
        OffsetDateTime due = OffsetDateTime.parse(released.json().at("/release/steps/1/dueAt").asText());

        Http.Response off = admin.post(P + "/flags/kill-switch/environments/production/off", Map.of("comment", "errors spiking"));
        assertThat(off.status()).as(off.text()).isEqualTo(200);

        String person = audit("flag=kill-switch&environment=production").get(0).get("actor").asText();
        JsonNode paused = admin.get(P + "/deployments/" + id).json();
        assertThat(paused.at("/release/state").asText()).as("the off paused the plan at once").isEqualTo("paused");
        assertThat(paused.at("/release/pausedBy").asText()).isEqualTo(person);
        assertThat(paused.at("/release/pauseReason").asText()).isEqualTo("paused because kill-switch was switched off by " + person);
        assertThat(paused.at("/release/nextStepAt").isMissingNode()).as("no step is coming").isTrue();

        // past the step's due time and a scheduler check more: the flag must still be off
        Await.past(due.toInstant().plusSeconds(2));
        assertThat(config("kill-switch").get("on").asBoolean()).as("a kill switch is never undone by automation").isFalse();
        JsonNode deployment = admin.get(P + "/deployments/" + id).json();
        assertThat(deployment.at("/release/state").asText()).isEqualTo("paused");
        assertThat(deployment.at("/release/steps/1/appliedAt").isMissingNode()).isTrue();

        List<String> actions = actions("flag=kill-switch&environment=production");
        assertThat(actions).as("oldest first").containsExactly("flag.release", "flag.off");
        JsonNode pause = audit("deployment=" + id).get(0);
        assertThat(pause.get("action").asText()).isEqualTo("deployment.release.pause");
        assertThat(pause.get("actor").asText()).isEqualTo(person);
        assertThat(pause.get("comment").asText()).isEqualTo("paused because kill-switch was switched off by " + person);

        Http.Response resumed = admin.post(P + "/deployments/" + id + "/release/resume", Map.of("comment", "fixed"));
        assertThat(resumed.json().at("/release/state").asText()).isEqualTo("running");
        assertThat(resumed.json().at("/release/pauseReason").isMissingNode()).isTrue();
        Await.until(WAIT, "the resumed plan takes its next step",
                () -> admin.get(P + "/deployments/" + id).json().at("/release/state").asText().equals("completed"));
        assertThat(config("kill-switch").get("on").asBoolean()).as("a person resumed it: the plan goes on").isTrue();
    }

    @Test
    void any_manual_change_of_the_flags_configuration_pauses_the_plan() {
        long id = deploy("edited-by-hand");
        given.release(id, Map.of("steps", List.of(
                Map.of("percentage", 10), Map.of("percentage", 50, "after", "PT1H"))));
        JsonNode config = config("edited-by-hand");
        Map<String, Object> edited = Map.of("on", true, "offVariation", 1, "fallthrough", Map.of("variation", 0));
        Http.Response put = admin.send("PUT", P + "/flags/edited-by-hand/environments/production", edited, "application/json");
        assertThat(put.status()).as(put.text() + " over " + config).isEqualTo(200);

        JsonNode release = admin.get(P + "/deployments/" + id).json().get("release");
        assertThat(release.get("state").asText()).isEqualTo("paused");
        assertThat(release.get("pauseReason").asText()).isEqualTo("paused because edited-by-hand was changed by "
                + audit("flag=edited-by-hand&environment=production").get(0).get("actor").asText());
    }

    @Test
    void rolling_back_another_deployment_that_shipped_the_flag_pauses_this_plan() {
        long first = deploy("shared-flag");
        given.release(first, Map.of("steps", List.of(
                Map.of("percentage", 10), Map.of("percentage", 50, "after", "PT1H"))));
        long second = deploy("shared-flag");
        assertThat(admin.post(P + "/deployments/" + second + "/rollback", null).status()).isEqualTo(200);

        JsonNode release = admin.get(P + "/deployments/" + first).json().get("release");
        assertThat(release.get("state").asText()).isEqualTo("paused");
        assertThat(release.get("pauseReason").asText()).startsWith("paused because shared-flag was switched off by "
                + audit("deployment=" + second).get(0).get("actor").asText());
        assertThat(config("shared-flag").get("on").asBoolean()).isFalse();
    }

    /**
     * The deployment once its release has left "running", or as it is after ten seconds. The
     * server's own scheduler may hold the deployment mid-step while the test's step skips it: that
     * step sees the off once it has the flag's locks, pauses the release and commits a moment later.
     */
    private static JsonNode settled(long id) {
        try {
            return Await.value(Duration.ofSeconds(10), "the release leaves running", () -> {
                JsonNode deployment = admin.get(P + "/deployments/" + id).json();
                return deployment.at("/release/state").asText().equals("running") ? null : deployment;
            });
        } catch (AssertionError stillRunning) {
            return admin.get(P + "/deployments/" + id).json();
        }
    }

    /**
     * The step and the off race: the step falls due and is applied (as every instance's scheduler
     * does) at the moment the off arrives, many times with varied timing. Whichever commits first,
     * the flag ends off and the plan paused.
     */
    @Test
    void a_release_step_racing_a_manual_off_never_switches_the_flag_back_on() throws Exception {
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
                .connectingTo(PgConnectOptions.fromUri(database)).using(vertx).build();
        Releases steps = new Releases(pool, new DeploymentStore(),
                new FlagWrites(pool, new FlagStore(pool), new FlagConfigStore(), ManualChanges.NONE), StepCondition.ALWAYS);
        int rounds = 40;
        List<String> failures = new ArrayList<>();
        int stepFirst = 0;
        int offFirst = 0;
        int stepSawTheOff = 0;
        try (Connection sql = SdkFeedIT.jdbc(database); Statement statement = sql.createStatement()) {
            for (int round = 0; round < rounds; round++) {
                String flag = "race-" + round;
                long id = deploy(flag);
                Http.Response released = admin.post(P + "/deployments/" + id + "/release", Map.of("steps", List.of(
                        Map.of("percentage", 10), Map.of("percentage", 50, "after", "PT1H"), Map.of("percentage", 100, "after", "PT1H"))));
                assertThat(released.status()).isEqualTo(200);
                // the second step falls due now: the scheduler and the person race for the flag
                statement.execute("UPDATE release_steps SET due_at = now() WHERE deployment_id = " + id + " AND position = 1");
                long stepDelay = ThreadLocalRandom.current().nextLong(0, 15_000_000);
                long offDelay = ThreadLocalRandom.current().nextLong(0, 15_000_000);
                CountDownLatch go = new CountDownLatch(1);
                AtomicReference<Http.Response> off = new AtomicReference<>();
                Thread person = new Thread(() -> {
                    Await.gate(go);
                    LockSupport.parkNanos(offDelay);
                    off.set(admin.post(P + "/flags/" + flag + "/environments/production/off", null));
                });
                person.start();
                go.countDown();
                LockSupport.parkNanos(stepDelay);
                steps.applyDueSteps().await(30, TimeUnit.SECONDS);
                person.join();

                JsonNode deployment = settled(id);
                boolean on = config(flag).get("on").asBoolean();
                String state = deployment.at("/release/state").asText();
                if (off.get().status() != 200 || on || !state.equals("paused")) {
                    failures.add(flag + ": off answered " + off.get().status() + ", flag on=" + on + ", release " + state);
                }
                // which way the race went: the audit's times are those of each transaction's start
                JsonNode pause = audit("deployment=" + id).get(0);
                JsonNode switchedOff = audit("flag=" + flag + "&environment=production").get(0);
                if (!deployment.at("/release/steps/1/appliedAt").isMissingNode()) {
                    stepFirst++;
                } else if (pause.get("at").asText().equals(switchedOff.get("at").asText())) {
                    offFirst++;
                } else {
                    stepSawTheOff++;
                }
            }
        } finally {
            pool.close().await(10, TimeUnit.SECONDS);
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        System.out.printf("release step vs manual off: %d rounds (the step first: %d; the off first: %d; the step waited"
                + " for the off's locks and found the flag changed: %d), %d ended wrong%n",
                rounds, stepFirst, offFirst, stepSawTheOff, failures.size());
        assertThat(failures).as("every round ends off with the plan paused").isEmpty();
    }

    private static long deploy(String flag) {
        Http.Response response = admin.post(P + "/deployments", Map.of("service", "checkout",
                "version", "2.0." + System.nanoTime() % 100_000, "environment", "production", "flags", List.of(flag)));
        assertThat(response.status()).as(response.text()).isIn(201);
        return response.json().get("id").asLong();
    }

    private static JsonNode config(String flag) {
        return admin.get(P + "/flags/" + flag + "/environments/production").json().get("config");
    }

    /** Audit events matching the query, newest first. */
    private static JsonNode audit(String query) {
        return admin.get(P + "/audit?limit=100&" + query).json().get("items");
    }

    /** The actions of the audit events matching the query, oldest first. */
    private static List<String> actions(String query) {
        List<String> actions = new ArrayList<>();
        audit(query).forEach(event -> actions.add(0, event.get("action").asText()));
        return actions;
    }
}
