package dev.darklaunch.server.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.darklaunch.server.failures.Failure;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading the {@code guards} of an SDK's report: merging, saturation, and sums that cannot come from real values. */
class GuardSampleTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static GuardSample.Reported entry(String flag, int variation, long exposures, GuardSample.ReportedEvent... events) {
        return new GuardSample.Reported(flag, JSON.numberNode(variation), JSON.numberNode(exposures), List.of(events));
    }

    private static GuardSample.ReportedEvent event(String name, long count, double sum, double squares) {
        return new GuardSample.ReportedEvent(name, JSON.numberNode(count), JSON.numberNode(sum), JSON.numberNode(squares));
    }

    @Test
    void entriesOfOneFlagAndVariationAndNamesWithinThemAreAddedUp() {
        List<GuardSample> samples = GuardSample.parse(List.of(
                entry("a", 0, 10, event("error", 1, 0, 0)),
                entry("a", 1, 20),
                entry("a", 0, 5, event("error", 2, 0, 0), event("latency", 2, 30, 500)),
                entry("b", 0, 1)));
        assertThat(samples).containsExactly(
                new GuardSample("a", 0, 15, List.of(new GuardSample.EventSums("error", 3, 0, 0),
                        new GuardSample.EventSums("latency", 2, 30, 500))),
                new GuardSample("a", 1, 20, List.of()),
                new GuardSample("b", 0, 1, List.of()));
    }

    @Test
    void countsSaturateWhenAddedUpInOneReport() {
        List<GuardSample> samples = GuardSample.parse(List.of(entry("a", 0, Long.MAX_VALUE), entry("a", 0, Long.MAX_VALUE)));
        assertThat(samples.get(0).exposures()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aSumOfSquaresBelowWhatTheCountAndSumImplyIsRefusedButRoundingIsNot() {
        // three values of mean 10: their squares add up to at least 300
        assertThat(GuardSample.parse(List.of(entry("a", 0, 3, event("latency", 3, 30, 300)))).get(0).events()).hasSize(1);
        assertThat(GuardSample.parse(List.of(entry("a", 0, 3, event("latency", 3, 0.1 + 0.1 + 0.1, 0.1 * 0.1 + 0.1 * 0.1 + 0.1 * 0.1))))).hasSize(1);
        assertThatThrownBy(() -> GuardSample.parse(List.of(entry("a", 0, 3, event("latency", 3, 30, 299)))))
                .isInstanceOfSatisfying(Failure.Invalid.class,
                        invalid -> assertThat(invalid.field()).isEqualTo("guards[0].events[0].sumOfSquares"));
        assertThatThrownBy(() -> GuardSample.parse(List.of(entry("a", 0, 3, event("latency", 1, 1e300, 1e300)))))
                .isInstanceOf(Failure.Invalid.class);
    }

    @Test
    void noEntriesWhenTheReportHasNone() {
        assertThat(GuardSample.parse(null)).isEmpty();
        JsonNode none = JSON.nullNode();
        assertThat(GuardSample.parse(List.of(new GuardSample.Reported("a", JSON.numberNode(0), none, null))))
                .containsExactly(new GuardSample("a", 0, 0, List.of()));
    }
}
