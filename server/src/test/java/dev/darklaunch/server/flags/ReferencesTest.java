package dev.darklaunch.server.flags;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReferencesTest {

    @Test
    void a_prerequisite_cycle_through_the_changed_flag_is_found_with_its_path() {
        Map<String, List<String>> graph = Map.of("a", List.of("b"), "b", List.of("c"), "c", List.of("a"));
        assertThat(References.cycleThrough("a", graph)).containsExactly("a", "b", "c", "a");
    }

    @Test
    void shared_prerequisites_without_a_cycle_are_fine() {
        Map<String, List<String>> graph = Map.of("a", List.of("b", "c"), "b", List.of("d"), "c", List.of("d"), "d", List.of());
        assertThat(References.cycleThrough("a", graph)).isEmpty();
    }

    @Test
    void a_self_reference_is_a_cycle() {
        assertThat(References.cycleThrough("a", Map.of("a", List.of("a")))).containsExactly("a", "a");
    }
}
