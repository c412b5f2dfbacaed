package dev.darklaunch.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requirement (security: one bad flag never takes down an SDK): data that never passed the
 * server's validation — a bootstrap or backup file, an older or buggier server — with a regular
 * expression compile bomb (in a flag rule and in a segment), a prerequisite cycle, a prerequisite
 * graph with too many paths, or variation values that do not fit the flag's kind. The client starts
 * at once, every other flag evaluates normally, and each bad flag answers the caller's default with
 * MALFORMED_FLAG. (Before, the bomb alone took seconds and most of a gigabyte to compile, and the
 * client served defaults for every flag when the heap ran out.)
 */
class UnsafeBootstrapTest {

    private static final String BOMB = "((a{1000}){1000}){1000}";
    private static DarklaunchClient client;
    private static Duration startup;

    @BeforeAll
    static void start() {
        List<String> flags = new ArrayList<>();
        flags.add(flag("good", "\"fallthrough\": {\"variation\": 0}"));
        flags.add(flag("bomb", "\"fallthrough\": {\"variation\": 1}, \"rules\": [{\"serve\": {\"variation\": 0}, \"clauses\": ["
                + "{\"attribute\": \"email\", \"op\": \"matches\", \"values\": [\"" + BOMB + "\"]}]}]"));
        flags.add(flag("ten-bombs", "\"fallthrough\": {\"variation\": 1}, \"rules\": [{\"serve\": {\"variation\": 0}, \"clauses\": ["
                + "{\"attribute\": \"email\", \"op\": \"matches\", \"values\": [" + "\"(a{1000}){1000}\",".repeat(9) + "\"(a{1000}){1000}\"]}]}]"));
        flags.add(flag("bomb-segment-user", "\"fallthrough\": {\"variation\": 1}, \"rules\": [{\"serve\": {\"variation\": 0}, \"clauses\": ["
                + "{\"attribute\": \"key\", \"op\": \"segmentMatch\", \"values\": [\"bombed\"]}]}]"));
        flags.add(flag("sane-regex", "\"fallthrough\": {\"variation\": 1}, \"rules\": [{\"serve\": {\"variation\": 0}, \"clauses\": ["
                + "{\"attribute\": \"email\", \"op\": \"matches\", \"values\": [\"^[a-z0-9._%+-]{1,64}@example\\\\.com$\"]}]}]"));
        flags.add(flag("cycle-a", "\"fallthrough\": {\"variation\": 0}, \"prerequisites\": [{\"flag\": \"cycle-b\", \"variation\": 0}]"));
        flags.add(flag("cycle-b", "\"fallthrough\": {\"variation\": 0}, \"prerequisites\": [{\"flag\": \"cycle-a\", \"variation\": 0}]"));
        // 60 flags, each requiring the three of the next layer: 3^19 paths from the top
        for (int layer = 0; layer < 20; layer++) {
            StringBuilder prerequisites = new StringBuilder();
            for (int k = 0; layer < 19 && k < 3; k++) {
                prerequisites.append(k == 0 ? "" : ", ").append("{\"flag\": \"fan-").append(layer + 1).append('-').append(k)
                        .append("\", \"variation\": 0}");
            }
            for (int k = 0; k < 3; k++) {
                flags.add(flag("fan-" + layer + "-" + k, "\"fallthrough\": {\"variation\": 0}, \"prerequisites\": [" + prerequisites + "]"));
            }
        }
        // a chain 30 deep: acyclic and within the bound, so it evaluates (the SDK used to stop at 20)
        for (int i = 0; i < 30; i++) {
            flags.add(flag("chain-" + i, "\"fallthrough\": {\"variation\": 0}, \"prerequisites\": [{\"flag\": \"chain-" + (i + 1)
                    + "\", \"variation\": 0}]"));
        }
        flags.add(flag("chain-30", "\"fallthrough\": {\"variation\": 0}"));
        flags.add("{\"flag\": {\"key\": \"wrong-kind\", \"name\": \"n\", \"kind\": \"boolean\", \"variations\": [{\"value\": \"yes\"}, "
                + "{\"value\": false}]}, \"config\": {\"on\": true, \"offVariation\": 1, \"fallthrough\": {\"variation\": 0}}}");
        flags.add("{\"flag\": {\"key\": \"number-as-text\", \"name\": \"n\", \"kind\": \"number\", \"variations\": [{\"value\": \"5\"}]},"
                + " \"config\": {\"on\": true, \"offVariation\": 0, \"fallthrough\": {\"variation\": 0}}}");
        String bootstrap = "{\"revision\": 1, \"flags\": [" + String.join(",\n", flags) + "], \"segments\": [{\"key\": \"bombed\", "
                + "\"config\": {\"rules\": [{\"clauses\": [{\"attribute\": \"email\", \"op\": \"matches\", \"values\": [\"" + BOMB + "\"]}]}]}}]}";
        // a first client loads the SDK's classes, so the time below is the bootstrap's alone
        DarklaunchClient.create(DarklaunchConfig.builder().bootstrap("{\"revision\": 1, \"flags\": [" + flags.get(0) + "]}").build()).close();
        long started = System.nanoTime();
        client = DarklaunchClient.create(DarklaunchConfig.builder().bootstrap(bootstrap).build());
        startup = Duration.ofNanos(System.nanoTime() - started);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static String flag(String key, String config) {
        return "{\"flag\": {\"key\": \"" + key + "\", \"name\": \"" + key + "\", \"kind\": \"boolean\", \"variations\": [{\"value\": true}, "
                + "{\"value\": false}]}, \"config\": {\"on\": true, \"offVariation\": 1, " + config + "}}";
    }

    @Test
    void theClientStartsAtOnce() {
        assertThat(client.isReady()).isTrue();
        // generous for a loaded machine (it takes milliseconds): compiling the bomb alone took seconds and a gigabyte
        assertThat(startup).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void otherFlagsEvaluateNormally() {
        Context context = Context.of("u-1").with("email", "ada@example.com");
        assertThat(client.boolVariationDetail("good", context, false).reason()).isEqualTo(Reason.fallthrough(false));
        assertThat(client.isEnabled("good", context)).isTrue();
        assertThat(client.isEnabled("sane-regex", context)).isTrue();
        assertThat(client.isEnabled("sane-regex", Context.of("u-2").with("email", "ada@example.org"))).isFalse();
        assertThat(client.boolVariationDetail("chain-0", context, false).reason()).isEqualTo(Reason.fallthrough(false));
        assertThat(client.isEnabled("chain-0", context)).isTrue();
        assertThat(client.isEnabled("fan-5-0", context)).as("14 layers below: 3 + 9 + … + 3^14 paths is too many").isFalse();
        assertThat(client.isEnabled("fan-15-0", context)).as("4 layers below: 120 paths").isTrue();
    }

    @Test
    void eachBadFlagIsMalformedAndServesTheDefault() {
        Context context = Context.of("u-1").with("email", "a".repeat(10));
        for (String key : List.of("bomb", "ten-bombs", "bomb-segment-user", "cycle-a", "cycle-b", "fan-0-0", "wrong-kind")) {
            EvaluationDetail<Boolean> detail = client.boolVariationDetail(key, context, true);
            assertThat(detail.reason()).as(key).isEqualTo(Reason.error(Reason.ErrorKind.MALFORMED_FLAG));
            assertThat(detail.value()).as(key).isTrue();
        }
        assertThat(client.doubleVariationDetail("number-as-text", context, 7.0).reason())
                .isEqualTo(Reason.error(Reason.ErrorKind.MALFORMED_FLAG));
        assertThat(client.doubleVariation("number-as-text", context, 7.0)).isEqualTo(7.0);
    }
}
