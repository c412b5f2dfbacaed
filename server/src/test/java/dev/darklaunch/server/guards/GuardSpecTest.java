package dev.darklaunch.server.guards;

import dev.darklaunch.server.guards.GuardSpec.Definition;
import dev.darklaunch.server.guards.GuardSpec.MetricDefinition;
import dev.darklaunch.server.guards.GuardSpec.ToleranceDefinition;
import dev.darklaunch.server.guards.SequentialComparison.Bad;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Guard definitions: defaults filled in, a round trip through the stored form, and each mistake named by its field. */
class GuardSpecTest {

    private static Definition guard(MetricDefinition metric, String bad, ToleranceDefinition tolerance, Long minSample, String action,
                                    Double alpha) {
        return new Definition(null, metric, bad, tolerance, minSample, action, alpha);
    }

    private static final MetricDefinition ERRORS = new MetricDefinition("rate", "error", null);

    @Test
    void a_guard_naming_only_its_metric_and_action_gets_the_defaults() {
        GuardSpec spec = GuardSpec.of(guard(ERRORS, null, null, null, "rollback", null));
        assertThat(spec.name()).isEqualTo("error");
        assertThat(spec.kind()).isEqualTo(GuardSpec.Kind.RATE);
        assertThat(spec.bad()).isEqualTo(Bad.HIGHER);
        assertThat(spec.tolerance()).isEqualTo(SequentialComparison.Tolerance.relative(0));
        assertThat(spec.minSample()).isEqualTo(GuardSpec.DEFAULT_MIN_SAMPLE);
        assertThat(spec.action()).isEqualTo(GuardSpec.Action.ROLLBACK);
        assertThat(spec.alpha()).isEqualTo(0.05);
        assertThat(GuardSpec.of(spec.definition())).as("the stored form reads back the same").isEqualTo(spec);
        assertThat(spec.definition().tolerance()).isEqualTo(new ToleranceDefinition(0.0, null));
    }

    @Test
    void a_ratio_names_its_denominator_and_reads_as_a_sentence() {
        GuardSpec spec = GuardSpec.of(new Definition("payments", new MetricDefinition("ratio", "payment-failed", "payment"), "higher",
                new ToleranceDefinition(null, 0.002), 5000L, "pause", 0.01));
        assertThat(spec.per()).isEqualTo("payment");
        assertThat(spec.tolerance()).isEqualTo(SequentialComparison.Tolerance.absolute(0.002));
        assertThat(spec.describeMetric()).isEqualTo("payment-failed per payment");
        assertThat(GuardSpec.of(spec.definition())).isEqualTo(spec);
        assertThat(GuardSpec.of(guard(new MetricDefinition("mean", "latency", null), "lower", null, null, "pause", null))
                .describeMetric()).isEqualTo("mean latency");
    }

    @Test
    void each_mistake_is_named_by_its_field() {
        assertField(null, "");
        assertField(guard(null, null, null, null, "pause", null), "metric");
        assertField(guard(new MetricDefinition(null, "e", null), null, null, null, "pause", null), "metric.kind");
        assertField(guard(new MetricDefinition("median", "e", null), null, null, null, "pause", null), "metric.kind");
        assertField(guard(new MetricDefinition("rate", " ", null), null, null, null, "pause", null), "metric.event");
        assertField(guard(new MetricDefinition("rate", "a\nb", null), null, null, null, "pause", null), "metric.event");
        assertField(guard(new MetricDefinition("ratio", "e", null), null, null, null, "pause", null), "metric.per");
        assertField(guard(new MetricDefinition("ratio", "e", "e"), null, null, null, "pause", null), "metric.per");
        assertField(guard(new MetricDefinition("mean", "e", "r"), null, null, null, "pause", null), "metric.per");
        assertField(guard(ERRORS, "worse", null, null, "pause", null), "bad");
        assertField(guard(ERRORS, null, new ToleranceDefinition(null, null), null, "pause", null), "tolerance");
        assertField(guard(ERRORS, null, new ToleranceDefinition(0.1, 0.1), null, "pause", null), "tolerance");
        assertField(guard(ERRORS, null, new ToleranceDefinition(Double.NaN, null), null, "pause", null), "tolerance.relative");
        assertField(guard(ERRORS, null, new ToleranceDefinition(null, -1.0), null, "pause", null), "tolerance.absolute");
        assertField(guard(ERRORS, null, null, 1L, "pause", null), "minSample");
        assertField(guard(ERRORS, null, null, Long.MAX_VALUE, "pause", null), "minSample");
        assertField(guard(ERRORS, null, null, null, null, null), "action");
        assertField(guard(ERRORS, null, null, null, "ROLLBACK", null), "action");
        assertField(guard(ERRORS, null, null, null, "pause", 0.0), "alpha");
        assertField(guard(ERRORS, null, null, null, "pause", 0.5), "alpha");
        assertField(new Definition(" ", ERRORS, null, null, null, "pause", null), "name");
    }

    private static void assertField(Definition definition, String field) {
        assertThatThrownBy(() -> GuardSpec.of(definition)).isInstanceOfSatisfying(InvalidGuard.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).isNotBlank();
        });
    }
}
