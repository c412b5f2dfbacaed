package dev.darklaunch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requirement ({@code Evaluator}, {@code Outcome}, STYLE.md "the hot path avoids iterators, lambdas
 * and allocation"): after warm-up, {@link DarklaunchClient#isEnabled} allocates nothing — for an
 * on/off flag, a 50 % rollout, a five-clause rule, case-insensitive clauses (Unicode case
 * folding), prerequisites, a rollout by an attribute the contexts lack, and a flag a guarded
 * release watches (each evaluation is also an exposure; each {@code track} call also counts
 * towards the variation every guarded flag serves the context). Measured with the
 * JVM's per-thread allocation counter, so this is a correctness check of the hot path, not a timing
 * test: it does not depend on the machine's speed.
 */
class HotPathAllocationTest {

    private static final int WARM_UP_CALLS = 200_000;
    private static final int MEASURED_CALLS = 100_000;

    private static final String BOOTSTRAP = """
            {"revision": 1, "flags": [
              {"flag": {"key": "on-off", "name": "On/off", "kind": "boolean", "variations": [{"value": true}, {"value": false}]},
               "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 0}}},
              {"flag": {"key": "half", "name": "Half", "kind": "boolean", "variations": [{"value": true}, {"value": false}]},
               "config": {"on": true, "offVariation": 1,
                          "fallthrough": {"rollout": {"variations": [{"variation": 0, "weight": 50000}, {"variation": 1, "weight": 50000}]}}}},
              {"flag": {"key": "five-clauses", "name": "Five clauses", "kind": "boolean", "variations": [{"value": true}, {"value": false}]},
               "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 1},
                          "rules": [{"id": "nordic-pro-staff", "serve": {"variation": 0}, "clauses": [
                            {"attribute": "country", "op": "in", "values": ["NO", "SE", "DK", "FI", "IS"]},
                            {"attribute": "plan", "op": "in", "values": ["pro"]},
                            {"attribute": "email", "op": "endsWith", "values": ["@example.com"]},
                            {"attribute": "version", "op": "semverGte", "values": ["2.3.0"]},
                            {"attribute": "beta", "op": "in", "values": [true]}]}]}},
              {"flag": {"key": "ignoring-case", "name": "Ignoring case", "kind": "boolean", "variations": [{"value": true}, {"value": false}]},
               "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 1},
                          "rules": [{"serve": {"variation": 0}, "clauses": [
                            {"attribute": "country", "op": "in", "values": ["no", "se", "dk"], "caseInsensitive": true},
                            {"attribute": "email", "op": "endsWith", "values": ["@EXAMPLE.COM"], "caseInsensitive": true},
                            {"attribute": "email", "op": "contains", "values": ["@Ex"], "caseInsensitive": true}]}]}},
              {"flag": {"key": "with-prerequisites", "name": "With prerequisites", "kind": "boolean", "variations": [{"value": true}, {"value": false}]},
               "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 0},
                          "prerequisites": [{"flag": "ignoring-case", "variation": 1}, {"flag": "on-off", "variation": 0}]}},
              {"flag": {"key": "unbucketed", "name": "Unbucketed", "kind": "boolean", "variations": [{"value": true}, {"value": false}]},
               "config": {"on": true, "offVariation": 1,
                          "fallthrough": {"rollout": {"bucketBy": "org", "variations": [{"variation": 0, "weight": 50000}, {"variation": 1, "weight": 50000}]}}}},
              {"flag": {"key": "guarded-half", "name": "Guarded half", "kind": "boolean", "variations": [{"value": true}, {"value": false}]},
               "config": {"on": true, "offVariation": 1,
                          "fallthrough": {"rollout": {"variations": [{"variation": 0, "weight": 50000}, {"variation": 1, "weight": 50000}]}}},
               "guarded": true},
              {"flag": {"key": "guarded-rule", "name": "Guarded rule", "kind": "boolean", "variations": [{"value": true}, {"value": false}]},
               "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 1},
                          "rules": [{"serve": {"variation": 0}, "clauses": [{"attribute": "plan", "op": "in", "values": ["pro"]}]}]},
               "guarded": true}
            ]}
            """;

    private static DarklaunchClient client;
    /** The same flags with evaluation counting on (a connected client whose server is down). */
    private static DarklaunchClient countingClient;
    private static List<Context> contexts;

    @BeforeAll
    static void createClientAndContexts() {
        client = DarklaunchClient.create(DarklaunchConfig.builder().bootstrap(BOOTSTRAP).build());
        countingClient = DarklaunchClient.create(DarklaunchConfig.builder().bootstrap(BOOTSTRAP)
                .sdkToken("sdk-test").baseUri(java.net.URI.create("http://127.0.0.1:9")).initTimeout(java.time.Duration.ZERO)
                .evaluationCounts(true).build());
        String[] countries = {"NO", "SE", "US", "FI"};
        String[] plans = {"pro", "pro", "free"};
        String[] emails = {"a@example.com", "b@example.com", "c@example.org"};
        String[] versions = {"2.3.0", "2.10.1", "2.2.9", "3.0.0-rc.1"};
        contexts = new ArrayList<>();
        for (int i = 0; i < 1_024; i++) {
            contexts.add(Context.of("user-" + i)
                    .with("country", countries[i % countries.length])
                    .with("plan", plans[i % plans.length])
                    .with("email", emails[i % emails.length])
                    .with("version", versions[i % versions.length])
                    .with("beta", i % 5 != 0));
        }
    }

    @AfterAll
    static void closeClient() {
        client.close();
        countingClient.close();
    }

    @ParameterizedTest(name = "isEnabled({0}) allocates nothing (counting evaluations: {3})")
    @CsvSource({"on-off, 1.0, 1.0, false", "half, 0.45, 0.55, false", "five-clauses, 0.2, 0.6, false",
            "on-off, 1.0, 1.0, true", "half, 0.45, 0.55, true", "five-clauses, 0.2, 0.6, true",
            "ignoring-case, 0.2, 0.5, false", "with-prerequisites, 0.5, 0.8, false", "unbucketed, 0.0, 0.0, false",
            "guarded-half, 0.45, 0.55, true", "guarded-rule, 0.6, 0.7, true", "guarded-half, 0.45, 0.55, false"})
    void isEnabledAllocatesNothingAfterWarmUp(String flagKey, double minShareOn, double maxShareOn, boolean counting) {
        DarklaunchClient client = counting ? countingClient : HotPathAllocationTest.client;
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "this JVM has no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting is off");

        int warmUpTrue = run(client, flagKey, WARM_UP_CALLS);
        long before = threads.getCurrentThreadAllocatedBytes();
        int measuredTrue = run(client, flagKey, MEASURED_CALLS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat((double) warmUpTrue / WARM_UP_CALLS).as("share served true").isBetween(minShareOn, maxShareOn);
        assertThat((double) measuredTrue / MEASURED_CALLS).as("share served true").isBetween(minShareOn, maxShareOn);
        assertThat((double) allocated / MEASURED_CALLS).as("bytes allocated per isEnabled call (%d in all)", allocated).isLessThan(1.0);
    }

    @org.junit.jupiter.api.Test
    void theCountingClientWatchesTheGuardedFlags() {
        assertThat(countingClient.snapshot().guardedFlags()).extracting(f -> f.key())
                .containsExactlyInAnyOrder("guarded-half", "guarded-rule");
        assertThat(client.snapshot().guardedFlags()).as("a client that sends nothing counts nothing").isEmpty();
    }

    @org.junit.jupiter.api.Test
    void trackAllocatesNothingOnceItsNamesAreKnown() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "this JVM has no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting is off");
        String[] names = {"checkout-completed", "page-viewed", "search", "error"};

        track(names, WARM_UP_CALLS);
        long before = threads.getCurrentThreadAllocatedBytes();
        track(names, MEASURED_CALLS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // a minute boundary within the run allocates the new minute's few objects: far below 1 byte a call
        assertThat((double) allocated / MEASURED_CALLS).as("bytes allocated per track call (%d in all)", allocated).isLessThan(1.0);
    }

    private static void track(String[] names, int calls) {
        int size = contexts.size();
        for (int i = 0; i < calls; i++) {
            countingClient.track(names[i & 3], contexts.get(i & (size - 1)), i & 7);
        }
    }

    /** Calls isEnabled {@code calls} times over the contexts; returns how often it was true. */
    private static int run(DarklaunchClient client, String flagKey, int calls) {
        int enabled = 0;
        int size = contexts.size();
        for (int i = 0; i < calls; i++) {
            if (client.isEnabled(flagKey, contexts.get(i & (size - 1)))) {
                enabled++;
            }
        }
        return enabled;
    }
}
