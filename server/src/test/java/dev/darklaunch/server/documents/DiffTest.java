package dev.darklaunch.server.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiffTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> diff(String before, String after) {
        return Diff.between(json(before), json(after)).stream()
                .map(c -> c.path() + ": " + c.before() + " -> " + c.after()).toList();
    }

    @Test
    void equal_trees_have_no_differences() {
        assertThat(diff("{'on': true, 'rules': [{'a': 1}]}", "{'rules': [{'a': 1}], 'on': true}")).isEmpty();
    }

    @Test
    void a_changed_value_is_named_by_its_path() {
        assertThat(diff("{'on': false, 'fallthrough': {'variation': 0}}", "{'on': true, 'fallthrough': {'variation': 1}}"))
                .containsExactly("on: false -> true", "fallthrough.variation: 0 -> 1");
    }

    @Test
    void array_elements_are_compared_by_position_and_added_or_removed_ones_are_from_or_to_null() {
        assertThat(diff("{'targets': [{'values': ['a']}]}", "{'targets': [{'values': ['a', 'b']}, {'values': ['c']}]}"))
                .containsExactly("targets[0].values[1]: null -> \"b\"", "targets[1]: null -> {\"values\":[\"c\"]}");
        assertThat(diff("{'rules': [1, 2]}", "{'rules': [1]}")).containsExactly("rules[1]: 2 -> null");
    }

    @Test
    void a_field_only_on_one_side_is_a_change_from_or_to_null() {
        assertThat(diff("{'name': 'A'}", "{'name': 'A', 'description': 'new'}")).containsExactly("description: null -> \"new\"");
        assertThat(diff("{'name': 'A', 'owner': 'ops'}", "{'name': 'A'}")).containsExactly("owner: \"ops\" -> null");
    }

    @Test
    void a_value_that_changes_shape_is_one_change() {
        assertThat(diff("{'serve': {'variation': 0}}", "{'serve': 3}")).containsExactly("serve: {\"variation\":0} -> 3");
        assertThat(diff("{'values': [1]}", "{'values': {'a': 1}}")).containsExactly("values: [1] -> {\"a\":1}");
    }
}
