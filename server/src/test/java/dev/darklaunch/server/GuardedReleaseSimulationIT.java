package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.SdkTestTimings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A guarded release from end to end, nothing simulated but the application: a service using the
 * real SDK serves thousands of contexts while its release climbs 10 % → 50 % → 100 %, and tracks an
 * error on a share of requests that depends on the variation it was served. The SDK learns from
 * the feed that the flag is guarded, counts exposures and attributes errors per variation, and
 * reports them; the server's guard compares the arms every second. A treatment failing 5 % of
 * requests against the control's 1 % is rolled back before the 50 % step; with equal rates the
 * release completes. Each run prints the exposures and seconds it took.
 */
@DarklaunchServerTest
class GuardedReleaseSimulationIT {

    private static final String P = "/api/v1/projects/default";
    /** Requests the service serves per round; a round is about a tenth of a second. */
    private static final int REQUESTS_PER_ROUND = 400;

    @Given
    private static TestServer server;
    @Given
    private static Http admin;
    @Given
    private static Fixtures given;

    @Test
    void a_release_whose_treatment_fails_five_per_cent_of_requests_against_one_is_rolled_back_before_fifty_per_cent() throws Exception {
        Outcome outcome = run("sim-failing", 0.05, 0.01, 7);
        System.out.printf("simulation 5 %% vs 1 %% errors: %s after %d exposures (%d with the release) in %.1f s%n",
                outcome.deployment().get("status").asText(), outcome.exposures(), outcome.treated(), outcome.seconds());

        JsonNode d = outcome.deployment();
        assertThat(d.get("status").asText()).isEqualTo("rolled_back");
        assertThat(d.at("/release/steps/1/appliedAt").isMissingNode()).as("the 50 % step never applied").isTrue();
        assertThat(d.at("/flags/0/on").asBoolean()).as("the flag is off").isFalse();
        JsonNode evidence = regression(d.get("id").asLong()).at("/after/evidence");
        assertThat(evidence.at("/treatment/value").asDouble()).as("the treatment's measured error rate").isBetween(0.02, 0.12);
        assertThat(evidence.at("/control/value").asDouble()).as("the control's measured error rate").isBetween(0.003, 0.02);
    }

    @Test
    void with_equal_error_rates_the_release_completes() throws Exception {
        Outcome outcome = run("sim-equal", 0.01, 0.01, 11);
        System.out.printf("simulation 1 %% vs 1 %% errors: release %s after %d exposures (%d with the release) in %.1f s%n",
                outcome.deployment().at("/release/state").asText(), outcome.exposures(), outcome.treated(), outcome.seconds());

        JsonNode d = outcome.deployment();
        assertThat(d.at("/release/state").asText()).isEqualTo("completed");
        assertThat(d.get("status").asText()).isNotEqualTo("rolled_back");
        assertThat(d.at("/flags/0/percentage").asDouble()).isEqualTo(100.0);
    }

    record Outcome(JsonNode deployment, long exposures, long treated, double seconds) {
    }

    /**
     * Deploys {@code flag} dark, releases it along 10 % → 50 % → 100 % (a step every 2 s at the
     * earliest) under an error guard with a minimum of 2 000 exposures per arm, and serves requests
     * with the real SDK until the release is decided: rolled back, or completed.
     */
    private static Outcome run(String flag, double treatmentErrors, double controlErrors, long seed) throws Exception {
        JsonNode recorded = given.deployment(Map.of("service", flag, "version", "1.0.0", "environment", "production",
                "flags", List.of(flag), "status", "succeeded"));
        long id = recorded.get("id").asLong();
        String token = server.token("sdk", "default", "production");
        SplittableRandom random = new SplittableRandom(seed);
        long exposures = 0;
        long treated = 0;
        long started = System.nanoTime();
        try (DarklaunchClient client = DarklaunchClient.create(SdkTestTimings.fast(DarklaunchConfig.builder()
                .baseUri(URI.create(server.base())).sdkToken(token)).initTimeout(Duration.ofSeconds(10)).build())) {
            given.release(id, Map.of(
                    "steps", List.of(Map.of("percentage", 10), Map.of("percentage", 50, "after", "PT2S"),
                            Map.of("percentage", 100, "after", "PT2S")),
                    "guards", List.of(Map.of("metric", Map.of("kind", "rate", "event", "error"), "minSample", 2000,
                            "action", "rollback"))));
            Await.until(Duration.ofSeconds(30), "the SDK serving " + flag + " at 10 %", () -> servedShare(client, flag) > 0.05);

            JsonNode deployment = deployment(id);
            while (!decided(deployment)) {
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("decided within two minutes").isLessThan(Duration.ofMinutes(2));
                for (int i = 0; i < REQUESTS_PER_ROUND; i++) {
                    Context user = Context.of("user-" + random.nextInt(50_000));
                    boolean released = client.isEnabled(flag, user);
                    exposures++;
                    treated += released ? 1 : 0;
                    if (random.nextDouble() < (released ? treatmentErrors : controlErrors)) {
                        client.track("error", user);
                    }
                }
                Thread.sleep(100); // the service's pace (about 4 000 requests a second), not a wait for a condition
                deployment = deployment(id);
            }
            return new Outcome(deployment, exposures, treated, (System.nanoTime() - started) / 1e9);
        }
    }

    private static boolean decided(JsonNode deployment) {
        return deployment.get("status").asText().equals("rolled_back") || deployment.at("/release/state").asText().equals("completed");
    }

    /** The share of 1 000 fixed contexts the client serves the release to (the SDK counts these as exposures too, error-free, in both arms alike). */
    private static double servedShare(DarklaunchClient client, String flag) {
        int on = 0;
        for (int i = 0; i < 1_000; i++) {
            on += client.isEnabled(flag, Context.of("probe-" + i)) ? 1 : 0;
        }
        return on / 1_000.0;
    }

    private static JsonNode deployment(long id) {
        return Fixtures.expect(200, admin.get(P + "/deployments/" + id));
    }

    private static JsonNode regression(long id) {
        for (JsonNode event : admin.get(P + "/audit?deployment=" + id).json().get("items")) {
            if (event.get("action").asText().equals("deployment.guard.regression")) {
                return event;
            }
        }
        throw new AssertionError("no deployment.guard.regression event for deployment " + id);
    }
}
