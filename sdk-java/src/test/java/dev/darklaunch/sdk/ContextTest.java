package dev.darklaunch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Requirement ({@link Context}): attribute values are text, finite numbers, booleans or lists of
 * those — the same for list elements as for single values, because the evaluator compares numbers
 * as numbers (NaN in a list used to satisfy {@code numberGt} and {@code before}).
 */
class ContextTest {

    @Test
    void listsRejectNonFiniteNumbersLikeSingleValues() {
        Context context = Context.of("u");
        assertThatThrownBy(() -> context.with("score", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> context.with("scores", List.of(1.0, Double.NaN))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> context.with("scores", List.of(Double.POSITIVE_INFINITY))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> context.with("scores", List.of(Float.NaN))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listsHoldTextNumbersAndBooleansAndAreCopied() {
        List<Object> values = new ArrayList<>(List.of("a", 1L, 2.5, true));
        Context context = Context.of("u").with("mixed", values);
        values.clear();
        assertThat(context.get("mixed")).isEqualTo(List.of("a", 1L, 2.5, true));
        assertThatThrownBy(() -> context.with("nested", List.of(List.of("x")))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void attributesLookedUpOnDemandComeAfterTheOnesSetAndReachRules() {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.function.Function<String, Object> source = name -> {
            asked.add(name);
            return name.equals("country") ? "NO" : null;
        };
        Context context = Context.of("u", source).with("plan", "pro");
        assertThat(context.get("plan")).isEqualTo("pro");
        assertThat(context.get("key")).isEqualTo("u");
        assertThat(asked).as("set attributes and the key never reach the lookup").isEmpty();
        assertThat(context.get("country")).isEqualTo("NO");
        assertThat(context.get("missing")).isNull();
        assertThat(asked).containsExactly("country", "missing");
        assertThat(context.attributes()).isEqualTo(java.util.Map.of("plan", "pro"));
        assertThat(context).isNotEqualTo(Context.of("u").with("plan", "pro"));

        TestFlags flags = TestFlags.create();
        flags.booleanFlag("nordic").onWhen("country", "NO");
        try (DarklaunchClient client = flags.client()) {
            assertThat(client.isEnabled("nordic", Context.of("u", source))).isTrue();
            assertThat(client.isEnabled("nordic", Context.of("u", name -> null))).isFalse();
        }
    }

    @Test
    void aViewReadsItsKeyAndAttributesFromItsSourceAtEachEvaluation() {
        String[] person = {"user-1", "NO"};
        Context view = Context.view(new Context.Source() {
            @Override
            public String key() {
                return person[0];
            }

            @Override
            public Object get(String attribute) {
                return attribute.equals("country") ? person[1] : null;
            }
        });
        TestFlags flags = TestFlags.create();
        flags.booleanFlag("nordic").onWhen("country", "NO");
        flags.booleanFlag("vip").onFor("user-2");
        try (DarklaunchClient client = flags.client()) {
            assertThat(client.isEnabled("nordic", view)).isTrue();
            assertThat(client.isEnabled("vip", view)).isFalse();
            person[0] = "user-2";
            person[1] = "DE";
            assertThat(view.key()).isEqualTo("user-2");
            assertThat(view.get("key")).isEqualTo("user-2");
            assertThat(client.isEnabled("nordic", view)).isFalse();
            assertThat(client.isEnabled("vip", view)).isTrue();
        }
        assertThat(view.attributes()).isEmpty();
        assertThat(view).isEqualTo(view).isNotEqualTo(Context.of("user-2"));
        assertThat(Context.of("user-2")).isNotEqualTo(view);
        assertThatThrownBy(() -> view.with("plan", "pro")).isInstanceOf(UnsupportedOperationException.class);
    }
}
