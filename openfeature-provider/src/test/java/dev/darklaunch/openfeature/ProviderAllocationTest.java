package dev.darklaunch.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The provider adds no allocation of its own to an evaluation: after warm-up, its
 * {@code getBooleanEvaluation} allocates no more than reading, through OpenFeature's own API, the
 * parts of the context the flag needs (OpenFeature's contexts copy a value on every read: the
 * targeting key for a rollout by key, the attribute for a rule; nothing for an on/off flag). The
 * OpenFeature context is read through this thread's reusable view, and answers are reused per
 * served variation. Measured with the JVM's per-thread allocation counter: a correctness check,
 * not a timing test.
 *
 * <p>The reads are measured with their copies kept: whether the JIT elides a copy inside the
 * provider's path varies from one JVM run to the next (16 B some runs, 0 B others), so the bound is
 * what the copies cost. JMH measures the exact figure (BENCHMARKS.md).
 */
class ProviderAllocationTest {

    private static final int WARM_UP_CALLS = 200_000;
    private static final int MEASURED_CALLS = 100_000;
    private static final int ROUNDS = 5;
    private static final String FLAGS = """
            {"revision": 1, "flags": [
              {"flag": {"key": "on-off", "name": "On/off", "kind": "boolean", "variations": [{"value": true}, {"value": false}]},
               "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 0}}},
              {"flag": {"key": "half", "name": "Half", "kind": "boolean", "variations": [{"value": true}, {"value": false}]},
               "config": {"on": true, "offVariation": 1,
                          "fallthrough": {"rollout": {"variations": [{"variation": 0, "weight": 50000}, {"variation": 1, "weight": 50000}]}}}},
              {"flag": {"key": "nordic", "name": "Nordic", "kind": "boolean", "variations": [{"value": true}, {"value": false}]},
               "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 1},
                          "rules": [{"serve": {"variation": 0}, "clauses": [{"attribute": "country", "op": "in", "values": ["NO", "SE"]}]}]}}
            ]}
            """;

    @ParameterizedTest
    @ValueSource(strings = {"on-off", "half", "nordic"})
    void anEvaluationThroughTheProviderAllocatesNothingBeyondReadingTheContext(String flag) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "this JVM has no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        String[] countries = {"NO", "SE", "US", "FI"};
        List<EvaluationContext> contexts = new ArrayList<>();
        for (int i = 0; i < 1_024; i++) {
            contexts.add(new ImmutableContext("user-" + i, Map.of("country", new Value(countries[i % countries.length]))));
        }
        try (DarklaunchClient client = DarklaunchClient.create(DarklaunchConfig.builder().offline().bootstrap(FLAGS).build())) {
            DarklaunchProvider provider = new DarklaunchProvider(client);
            int served = 0;
            for (int i = 0; i < WARM_UP_CALLS; i++) {
                served += provider.getBooleanEvaluation(flag, false, contexts.get(i & 1023)).getValue() ? 1 : 0;
            }
            long allocated = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < MEASURED_CALLS; i++) {
                    served += provider.getBooleanEvaluation(flag, false, contexts.get(i & 1023)).getValue() ? 1 : 0;
                }
                allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
            }
            // what reading the context costs through OpenFeature's API, the same number of times
            int read = 0;
            for (int i = 0; i < WARM_UP_CALLS; i++) {
                read += reads(flag, contexts.get(i & 1023));
            }
            long reading = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                long beforeReading = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < MEASURED_CALLS; i++) {
                    read += reads(flag, contexts.get(i & 1023));
                }
                reading = Math.min(reading, threads.getCurrentThreadAllocatedBytes() - beforeReading);
            }
            assertThat(served).isPositive();
            assertThat(read).isPositive();
            assertThat((double) allocated / MEASURED_CALLS)
                    .as("bytes allocated per evaluation of %s (%d in all; reading the context allocates %d)", flag, allocated, reading)
                    .isLessThan(reading / (double) MEASURED_CALLS + 1.0);
        }
    }

    /** Where the reads' copies go, so the JIT cannot elide them. */
    private static volatile Value kept;

    /** Reads what the flag needs of the context through OpenFeature's API, keeping the copies. */
    private static int reads(String flag, EvaluationContext context) {
        Value read = switch (flag) {
            case "half" -> context.getValue(EvaluationContext.TARGETING_KEY);
            case "nordic" -> context.getValue("country");
            default -> null;
        };
        kept = read;
        return read == null ? 1 : read.asString().length();
    }
}
