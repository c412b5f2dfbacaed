package dev.darklaunch.server.deployments;

import dev.darklaunch.server.failures.Failure;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What makes two deliveries of an alert the same signal, and how a signal reads. */
class SignalTest {

    private static Signal.AlertBody alert(String status, Map<String, String> labels, String fingerprint, String startsAt) {
        return new Signal.AlertBody(status, labels, Map.of(), startsAt, null, null, fingerprint);
    }

    @Test
    void without_a_fingerprint_the_labels_make_one_whatever_their_order() {
        Map<String, String> one = new LinkedHashMap<>();
        one.put("alertname", "HighErrorRate");
        one.put("service", "checkout");
        Map<String, String> other = new LinkedHashMap<>();
        other.put("service", "checkout");
        other.put("alertname", "HighErrorRate");
        Signal a = Signal.of("", alert("firing", one, null, null));
        Signal b = Signal.of("", alert("firing", other, null, null));
        assertThat(a.key()).isEqualTo(b.key());
        assertThat(Signal.of("", alert("firing", Map.of("alertname", "HighErrorRate", "service", "search"), null, null)).key())
                .isNotEqualTo(a.key());
    }

    @Test
    void the_same_alert_resolved_or_started_again_is_another_signal() {
        Signal firing = Signal.of("", alert("firing", Map.of("alertname", "A"), "f1", "2026-12-08T02:00:00Z"));
        assertThat(Signal.of("", alert("firing", Map.of("alertname", "A"), "f1", "2026-12-08T02:00:00.000+00:00")).key())
                .as("the same instant written differently").isEqualTo(firing.key());
        assertThat(Signal.of("", alert("resolved", Map.of("alertname", "A"), "f1", "2026-12-08T02:00:00Z")).key()).isNotEqualTo(firing.key());
        assertThat(Signal.of("", alert("firing", Map.of("alertname", "A"), "f1", "2026-12-08T03:00:00Z")).key()).isNotEqualTo(firing.key());
    }

    @Test
    void a_signal_reads_as_its_name_status_and_sorted_labels() {
        Signal signal = Signal.of("", alert("firing", Map.of("severity", "page", "alertname", "HighErrorRate", "service", "checkout"),
                null, null));
        assertThat(signal.name()).isEqualTo("HighErrorRate");
        assertThat(signal.describe()).isEqualTo("alert HighErrorRate firing (service=checkout, severity=page)");
        assertThat(Signal.of("", alert("resolved", Map.of(), null, null)).describe()).isEqualTo("alert unnamed resolved");
    }

    @Test
    void a_bad_alert_names_its_field() {
        assertThatThrownBy(() -> Signal.of("alerts[2]", alert("burning", Map.of(), null, null)))
                .isInstanceOfSatisfying(Failure.Invalid.class, e -> assertThat(e.field()).isEqualTo("alerts[2].status"));
        assertThatThrownBy(() -> Signal.of("", alert("firing", Map.of(), " ", null)))
                .isInstanceOfSatisfying(Failure.Invalid.class, e -> assertThat(e.field()).isEqualTo("fingerprint"));
    }
}
