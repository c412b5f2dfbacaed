package dev.darklaunch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requirements ({@link TestFlags}; STYLE.md: test support runs the real evaluator, rollouts
 * included): boolean flags on/off, per-key targets, rules and sticky percentages; string, number
 * and JSON flags; removal; changes reach every client at once; a closed client stops following.
 */
class TestFlagsTest {

    private final TestFlags flags = TestFlags.create();
    private final DarklaunchClient client = flags.client();

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void aNewBooleanFlagIsOffUntilTurnedOn() {
        flags.booleanFlag("checkout");
        assertThat(client.boolVariationDetail("checkout", Context.of("u"), true)).isEqualTo(new EvaluationDetail<>(false, 1, Reason.off()));

        flags.booleanFlag("checkout").on();
        assertThat(client.boolVariationDetail("checkout", Context.of("u"), false)).isEqualTo(new EvaluationDetail<>(true, 0, Reason.fallthrough(false)));

        flags.booleanFlag("checkout").off();
        assertThat(client.isEnabled("checkout", Context.of("u"))).isFalse();
    }

    @Test
    void onForAndOffForTargetContextKeys() {
        flags.booleanFlag("checkout").onFor("alice", "bob");
        assertThat(client.isEnabled("checkout", Context.of("alice"))).isTrue();
        assertThat(client.isEnabled("checkout", Context.of("bob"))).isTrue();
        assertThat(client.boolVariationDetail("checkout", Context.of("carol"), true).reason()).isEqualTo(Reason.fallthrough(false));
        assertThat(client.isEnabled("checkout", Context.of("carol"))).as("everyone else stays off").isFalse();

        flags.booleanFlag("checkout").on().offFor("bob");
        assertThat(client.isEnabled("checkout", Context.of("carol"))).isTrue();
        assertThat(client.boolVariationDetail("checkout", Context.of("bob"), true)).isEqualTo(new EvaluationDetail<>(false, 1, Reason.targetMatch()));
        assertThat(client.isEnabled("checkout", Context.of("alice"))).isTrue();
    }

    @Test
    void onWhenAddsRules() {
        flags.booleanFlag("banner").onWhen("country", "NO", "SE").onWhen("beta", true);
        assertThat(client.boolVariationDetail("banner", Context.of("u").with("country", "SE"), false))
                .isEqualTo(new EvaluationDetail<>(true, 0, Reason.ruleMatch(0, "rule-1", false)));
        assertThat(client.boolVariationDetail("banner", Context.of("u").with("beta", true), false))
                .isEqualTo(new EvaluationDetail<>(true, 0, Reason.ruleMatch(1, "rule-2", false)));
        assertThat(client.isEnabled("banner", Context.of("u").with("country", "DK"))).isFalse();
    }

    @Test
    void aPercentageIsStickyAndServesAboutThatShare() {
        flags.booleanFlag("slow").percentage(25);
        List<Context> users = IntStream.range(0, 20_000).mapToObj(i -> Context.of("user-" + i)).toList();
        List<Boolean> first = users.stream().map(user -> client.isEnabled("slow", user)).toList();

        long on = first.stream().filter(b -> b).count();
        assertThat(on).isBetween(4_700L, 5_300L); // 25 % ± 1.5 points, > 4 standard deviations
        assertThat(client.boolVariationDetail("slow", users.get(0), false).reason()).isEqualTo(Reason.fallthrough(true));

        flags.booleanFlag("other").on(); // an unrelated change: a new snapshot
        assertThat(users.stream().map(user -> client.isEnabled("slow", user)).toList()).isEqualTo(first);

        flags.booleanFlag("slow").percentage(50);
        for (int i = 0; i < users.size(); i++) {
            if (first.get(i)) {
                assertThat(client.isEnabled("slow", users.get(i))).as("growing the percentage keeps %s on", users.get(i)).isTrue();
            }
        }
        flags.booleanFlag("slow").percentage(0);
        assertThat(users.stream().noneMatch(user -> client.isEnabled("slow", user))).isTrue();
        flags.booleanFlag("slow").percentage(100);
        assertThat(users.stream().allMatch(user -> client.isEnabled("slow", user))).isTrue();
    }

    @Test
    void aPercentageOutsideZeroToHundredIsRejected() {
        assertThatThrownBy(() -> flags.booleanFlag("slow").percentage(100.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> flags.booleanFlag("slow").percentage(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stringFlagsServeServeToServeWhenAndOff() {
        TestFlags.ValueFlag theme = flags.stringFlag("theme", "light", "dark", "contrast");
        Context user = Context.of("u");
        assertThat(client.stringVariationDetail("theme", user, "?")).isEqualTo(new EvaluationDetail<>("light", 0, Reason.fallthrough(false)));

        theme.serve("dark");
        assertThat(client.stringVariation("theme", user, "?")).isEqualTo("dark");

        theme.serveTo("contrast", "low-vision-user");
        assertThat(client.stringVariationDetail("theme", Context.of("low-vision-user"), "?"))
                .isEqualTo(new EvaluationDetail<>("contrast", 2, Reason.targetMatch()));

        theme.serveWhen("light", "os", "windows-95");
        assertThat(client.stringVariationDetail("theme", Context.of("u").with("os", "windows-95"), "?"))
                .isEqualTo(new EvaluationDetail<>("light", 0, Reason.ruleMatch(0, "rule-1", false)));
        assertThat(client.stringVariation("theme", user, "?")).isEqualTo("dark");

        theme.off();
        assertThat(client.stringVariationDetail("theme", Context.of("low-vision-user"), "?"))
                .isEqualTo(new EvaluationDetail<>("light", 0, Reason.off()));
    }

    @Test
    void numberFlagsMatchValuesNumerically() {
        TestFlags.ValueFlag limit = flags.numberFlag("limit", 10, 2.5, 100L);
        assertThat(client.intVariation("limit", Context.of("u"), -1)).isEqualTo(10);

        limit.serve(100).serveTo(2.5, "tester").serveWhen(10.0, "plan", "free");
        assertThat(client.intVariation("limit", Context.of("u"), -1)).isEqualTo(100);
        assertThat(client.doubleVariation("limit", Context.of("tester"), -1)).isEqualTo(2.5);
        assertThat(client.intVariation("limit", Context.of("u").with("plan", "free"), -1)).isEqualTo(10);
        assertThatThrownBy(() -> limit.serve(7)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no variation");
    }

    @Test
    void jsonFlagsServeStructuredValues() {
        TestFlags.ValueFlag limits = flags.jsonFlag("limits", Map.of("max", 10L, "burst", 2.5), List.of("a", "b"));
        ObjectMapper json = new ObjectMapper();
        assertThat(client.jsonVariation("limits", Context.of("u"), null)).isEqualTo(json.valueToTree(Map.of("max", 10, "burst", 2.5)));

        limits.serve(List.of("a", "b"));
        assertThat(client.jsonVariation("limits", Context.of("u"), null)).isEqualTo(json.valueToTree(List.of("a", "b")));

        limits.serveTo(Map.of("max", 10L, "burst", 2.5), "vip");
        assertThat(client.jsonVariationDetail("limits", Context.of("vip"), null).variationIndex()).isEqualTo(0);
    }

    @Test
    void removingAFlagMakesItNotFound() {
        flags.booleanFlag("gone").on();
        flags.stringFlag("gone-too", "x");
        flags.remove("gone");
        flags.remove("gone-too");
        assertThat(client.boolVariationDetail("gone", Context.of("u"), true))
                .isEqualTo(new EvaluationDetail<>(true, -1, Reason.error(Reason.ErrorKind.FLAG_NOT_FOUND)));
        assertThat(client.stringVariationDetail("gone-too", Context.of("u"), "d").reason())
                .isEqualTo(Reason.error(Reason.ErrorKind.FLAG_NOT_FOUND));
    }

    @Test
    void everyClientSeesEveryChangeAtOnce() {
        try (DarklaunchClient second = flags.client()) {
            flags.booleanFlag("shared").on();
            assertThat(client.isEnabled("shared", Context.of("u"))).isTrue();
            assertThat(second.isEnabled("shared", Context.of("u"))).isTrue();

            flags.booleanFlag("shared").off();
            assertThat(client.isEnabled("shared", Context.of("u"))).isFalse();
            assertThat(second.isEnabled("shared", Context.of("u"))).isFalse();
        }
    }

    @Test
    void aClientCreatedLaterStartsWithTheCurrentFlags() {
        flags.booleanFlag("early").on();
        flags.stringFlag("color", "red", "green").serve("green");
        try (DarklaunchClient later = flags.client()) {
            assertThat(later.isReady()).isTrue();
            assertThat(later.isEnabled("early", Context.of("u"))).isTrue();
            assertThat(later.stringVariation("color", Context.of("u"), "?")).isEqualTo("green");
        }
    }

    @Test
    void aClosedClientNoLongerFollowsChanges() {
        DarklaunchClient closed = flags.client();
        flags.booleanFlag("feature").on();
        closed.close();

        flags.booleanFlag("feature").off();
        flags.booleanFlag("added-after-close").on();

        assertThat(client.isEnabled("feature", Context.of("u"))).isFalse();
        assertThat(closed.isEnabled("feature", Context.of("u"))).as("keeps its last data").isTrue();
        assertThat(closed.boolVariationDetail("added-after-close", Context.of("u"), false).reason())
                .isEqualTo(Reason.error(Reason.ErrorKind.FLAG_NOT_FOUND));
    }

    @Test
    void aFlagKeyHasOneKind() {
        flags.stringFlag("theme", "light");
        assertThatThrownBy(() -> flags.booleanFlag("theme")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectionTroubleIsSimulatedWithTheRealStatesAndListeners() {
        List<Status.State> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        client.addStatusListener(status -> heard.add(status.state()));
        flags.booleanFlag("feature").on();

        flags.disconnect("network down");
        assertThat(client.status().state()).isEqualTo(Status.State.STALE);
        assertThat(client.status().lastError()).isEqualTo("network down");
        assertThat(client.isEnabled("feature", Context.of("u"))).as("keeps serving").isTrue();

        flags.refuseToken();
        assertThat(client.status().state()).isEqualTo(Status.State.ERROR);
        flags.reconnect();
        assertThat(client.status().state()).isEqualTo(Status.State.READY);
        assertThat(heard).containsExactly(Status.State.STALE, Status.State.ERROR, Status.State.READY);
    }
}
