package dev.darklaunch.sdk;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's Java examples, compiled and run here; the test also checks the README still shows them. */
class ReadmeExamplesTest {

    private static final String FLAG_DATA = """
            {"revision": 7,
             "flags": [
               {"flag": {"key": "new-checkout", "name": "New checkout", "kind": "boolean",
                         "variations": [{"value": true}, {"value": false}]},
                "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 1},
                           "rules": [{"id": "norway", "clauses": [{"attribute": "country", "op": "in", "values": ["NO"]}],
                                      "serve": {"variation": 0}}]}},
               {"flag": {"key": "theme", "name": "Theme", "kind": "string",
                         "variations": [{"value": "light"}, {"value": "dark"}]},
                "config": {"on": true, "offVariation": 0, "fallthrough": {"variation": 1}}}],
             "segments": []}""";

    @Test
    void the_client_example_works_as_shown() {
        String flagData = FLAG_DATA;
        DarklaunchClient client = DarklaunchClient.create(DarklaunchConfig.builder()
                .bootstrap(flagData)            // the SDK feed's snapshot format: {"revision", "flags", "segments"}
                .build());

        Context user = Context.of("user-42").with("country", "NO").with("plan", "pro").with("beta", true);
        boolean newPath = false;
        if (client.isEnabled("new-checkout", user)) {
            newPath = true;
        }
        EvaluationDetail<String> theme = client.stringVariationDetail("theme", user, "light");

        assertThat(newPath).isTrue();
        assertThat(theme.value()).isEqualTo("dark");
        assertThat(theme.reason().kind()).isEqualTo(Reason.Kind.FALLTHROUGH);
    }

    @Test
    void the_test_flags_example_works_as_shown() {
        TestFlags flags = TestFlags.create();
        flags.booleanFlag("new-checkout").onFor("user-1").onWhen("country", "NO");
        flags.booleanFlag("slow-rollout").percentage(25);
        flags.stringFlag("theme", "light", "dark").serve("dark");
        DarklaunchClient client = flags.client();

        assertThat(client.isEnabled("new-checkout", Context.of("user-1"))).isTrue();
        assertThat(client.isEnabled("new-checkout", Context.of("user-2").with("country", "NO"))).isTrue();
        assertThat(client.isEnabled("new-checkout", Context.of("user-2").with("country", "SE"))).isFalse();
        assertThat(client.stringVariation("theme", Context.of("anyone"), "light")).isEqualTo("dark");
    }

    @Test
    void the_readme_shows_these_examples() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling("README.md"),
                StandardCharsets.UTF_8);
        assertThat(readme).contains(
                "Context user = Context.of(\"user-42\").with(\"country\", \"NO\").with(\"plan\", \"pro\").with(\"beta\", true);",
                "if (client.isEnabled(\"new-checkout\", user)) {",
                "EvaluationDetail<String> theme = client.stringVariationDetail(\"theme\", user, \"light\");",
                "flags.booleanFlag(\"new-checkout\").onFor(\"user-1\").onWhen(\"country\", \"NO\");",
                "flags.booleanFlag(\"slow-rollout\").percentage(25);",
                "flags.stringFlag(\"theme\", \"light\", \"dark\").serve(\"dark\");",
                "DarklaunchClient client = flags.client();");
    }
}
