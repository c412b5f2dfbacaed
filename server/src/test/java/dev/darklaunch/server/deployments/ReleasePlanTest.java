package dev.darklaunch.server.deployments;

import dev.darklaunch.server.failures.Failure;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleasePlanTest {

    private static ReleasePlan.StepRequest step(String percentage, String at, String after) {
        return new ReleasePlan.StepRequest(new BigDecimal(percentage), at, after);
    }

    @Test
    void no_steps_means_everyone_at_once() {
        assertThat(ReleasePlan.of(null).steps()).containsExactly(new ReleasePlan.Step(100_000, null, null));
        assertThat(ReleasePlan.of(new ReleasePlan.Request(List.of())).steps()).hasSize(1);
    }

    @Test
    void a_gradual_plan_keeps_its_shares_in_thousandths_of_a_percent() {
        ReleasePlan plan = ReleasePlan.of(new ReleasePlan.Request(List.of(step("0.5", null, null), step("10", null, "PT30M"),
                step("100", null, "P1D"))));
        assertThat(plan.steps()).extracting(ReleasePlan.Step::weight).containsExactly(500, 10_000, 100_000);
        assertThat(plan.steps().get(1).after()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void times_are_compared_as_instants_whatever_their_offset() {
        ReleasePlan a = ReleasePlan.of(new ReleasePlan.Request(List.of(step("10", "2030-01-01T01:00:00+01:00", null))));
        ReleasePlan b = ReleasePlan.of(new ReleasePlan.Request(List.of(step("10", "2030-01-01T00:00:00Z", null))));
        assertThat(a).isEqualTo(b);
        assertThat(a.steps().get(0).at()).isEqualTo(OffsetDateTime.parse("2030-01-01T00:00:00Z"));
    }

    @Test
    void refuses_more_than_twenty_steps() {
        List<ReleasePlan.StepRequest> many = Collections.nCopies(21, step("1", null, "PT1M"));
        assertThatThrownBy(() -> ReleasePlan.of(new ReleasePlan.Request(many))).isInstanceOf(Failure.class)
                .hasMessageContaining("at most 20 steps");
    }

    @Test
    void refuses_a_fixed_time_after_an_interval_since_their_order_is_unknown() {
        assertThatThrownBy(() -> ReleasePlan.of(new ReleasePlan.Request(List.of(step("1", null, null),
                step("10", null, "PT1H"), step("50", "2030-01-01T00:00:00Z", null)))))
                .isInstanceOf(Failure.class).hasMessageContaining("cannot follow a step that waits an interval");
    }

    @Test
    void formats_shares_without_trailing_zeros() {
        assertThat(ReleasePlan.format(10_000)).isEqualTo("10");
        assertThat(ReleasePlan.format(500)).isEqualTo("0.5");
        assertThat(ReleasePlan.format(1)).isEqualTo("0.001");
    }
}
