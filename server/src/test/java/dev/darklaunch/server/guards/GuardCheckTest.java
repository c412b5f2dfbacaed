package dev.darklaunch.server.guards;

import dev.darklaunch.server.guards.GuardSamples.ArmSamples;
import dev.darklaunch.server.guards.GuardSamples.EventSums;
import dev.darklaunch.server.guards.GuardSamples.Samples;
import dev.darklaunch.server.guards.GuardSpec.Definition;
import dev.darklaunch.server.guards.GuardSpec.MetricDefinition;
import dev.darklaunch.server.guards.SequentialComparison.Arm;
import dev.darklaunch.server.guards.SequentialComparison.Evidence;
import dev.darklaunch.server.guards.SequentialComparison.Verdict;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Which numbers each kind of metric compares, and the verdicts they lead to. */
class GuardCheckTest {

    private static GuardSpec guard(String kind, String event, String per, long minSample) {
        return GuardSpec.of(new Definition(null, new MetricDefinition(kind, event, per), null, null, minSample, "rollback", null));
    }

    private static ArmSamples arm(long exposures, Map<String, EventSums> events) {
        return new ArmSamples(exposures, events);
    }

    @Test
    void a_rate_counts_events_per_exposure() {
        GuardSpec errors = guard("rate", "error", null, 1000);
        ArmSamples samples = arm(2000, Map.of("error", new EventSums(100, 100, 100), "other", new EventSums(7, 7, 7)));
        assertThat(GuardCheck.arm(errors, samples)).isEqualTo(new Arm(2000, 100, 100));
        assertThat(GuardCheck.arm(errors, arm(10, Map.of()))).as("no events reported: none happened").isEqualTo(new Arm(10, 0, 0));
    }

    @Test
    void a_ratio_counts_events_per_denominator_event_and_a_mean_uses_the_values() {
        ArmSamples samples = arm(5000, Map.of("payment-failed", new EventSums(30, 30, 30), "payment", new EventSums(1200, 1200, 1200),
                "latency", new EventSums(400, 40_000, 4_160_000)));
        assertThat(GuardCheck.arm(guard("ratio", "payment-failed", "payment", 100), samples)).isEqualTo(new Arm(1200, 30, 30));
        assertThat(GuardCheck.arm(guard("mean", "latency", null, 100), samples)).isEqualTo(new Arm(400, 40_000, 4_160_000));
    }

    @Test
    void five_per_cent_errors_against_one_is_a_regression_and_equal_rates_are_not() {
        GuardSpec errors = guard("rate", "error", null, 1000);
        Evidence bad = GuardCheck.compare(errors, new Samples(arm(18_000, Map.of("error", new EventSums(180, 180, 180))),
                arm(2_000, Map.of("error", new EventSums(100, 100, 100)))));
        assertThat(bad.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(bad.worsening()).isCloseTo(0.04, within(1e-9));
        assertThat(bad.lower()).isPositive();

        Evidence same = GuardCheck.compare(errors, new Samples(arm(18_000, Map.of("error", new EventSums(180, 180, 180))),
                arm(2_000, Map.of("error", new EventSums(20, 20, 20)))));
        assertThat(same.verdict()).isEqualTo(Verdict.NO_REGRESSION);

        Evidence few = GuardCheck.compare(errors, new Samples(arm(18_000, Map.of()), arm(999, Map.of("error", new EventSums(500, 500, 500)))));
        assertThat(few.verdict()).as("below the minimum sample nothing is decided").isEqualTo(Verdict.TOO_FEW);
    }

    @Test
    void a_thirty_per_cent_rise_in_mean_latency_is_a_regression_beyond_a_five_per_cent_tolerance() {
        GuardSpec latency = GuardSpec.of(new Definition(null, new MetricDefinition("mean", "latency", null), "higher",
                new GuardSpec.ToleranceDefinition(0.05, null), 500L, "pause", null));
        Evidence slower = GuardCheck.compare(latency, new Samples(
                arm(0, Map.of("latency", new EventSums(4500, 4500 * 100.0, 4500 * (400 + 10_000.0)))),
                arm(0, Map.of("latency", new EventSums(500, 500 * 130.0, 500 * (676 + 16_900.0))))));
        assertThat(slower.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(slower.worsening()).isCloseTo(30, within(1e-6));
        assertThat(slower.tolerance()).isCloseTo(5, within(1e-9));
    }
}
