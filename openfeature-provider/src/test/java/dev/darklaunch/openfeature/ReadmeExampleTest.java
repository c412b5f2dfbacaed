package dev.darklaunch.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The README's "OpenFeature in Java" example: run here, and the README must quote it exactly. */
class ReadmeExampleTest {

    private static final Logger log = LoggerFactory.getLogger(ReadmeExampleTest.class);
    private static final Path SOURCE = Path.of("src/test/java/dev/darklaunch/openfeature/ReadmeExampleTest.java");

    private static final String FLAG_DATA = """
            {"revision": 1, "flags": [
              {"flag": {"key": "new-checkout", "name": "New checkout", "kind": "boolean",
                        "variations": [{"value": true}, {"value": false}]},
               "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 1},
                          "rules": [{"clauses": [{"attribute": "country", "op": "in", "values": ["NO"]}], "serve": {"variation": 0}}]}},
              {"flag": {"key": "theme", "name": "Theme", "kind": "string",
                        "variations": [{"value": "light", "name": "classic"}, {"value": "dark", "name": "night"}]},
               "config": {"on": true, "offVariation": 0, "fallthrough": {"variation": 1}, "metadata": {"ticket": "UX-12"}}}]}""";

    @Test
    void theExampleWorksAsShown() throws Exception {
        DarklaunchClient darklaunch = DarklaunchClient.create(DarklaunchConfig.builder().offline().bootstrap(FLAG_DATA).build());
        // readme:start
        OpenFeatureAPI.getInstance().setProviderAndWait(new DarklaunchProvider(darklaunch));
        Client flags = OpenFeatureAPI.getInstance().getClient();
        flags.onProviderStale(event -> log.warn("serving the last good flags: {}", event.getMessage()));

        EvaluationContext user = new ImmutableContext("user-42", Map.of("country", new Value("NO")));
        boolean newCheckout = flags.getBooleanValue("new-checkout", false, user);
        FlagEvaluationDetails<String> theme = flags.getStringDetails("theme", "light", user);
        // theme.getValue() "dark", getVariant() "night" (the variation's name, else its index),
        // getReason() "STATIC", getFlagMetadata().getString("ticket") "UX-12"
        // readme:end
        try {
            assertThat(newCheckout).isTrue();
            assertThat(theme.getValue()).isEqualTo("dark");
            assertThat(theme.getVariant()).isEqualTo("night");
            assertThat(theme.getReason()).isEqualTo("STATIC");
            assertThat(theme.getFlagMetadata().getString("ticket")).isEqualTo("UX-12");
        } finally {
            darklaunch.close();
        }
    }

    @Test
    void theReadmeQuotesTheExample() throws Exception {
        String source = Files.readString(SOURCE, StandardCharsets.UTF_8);
        String snippet = source.substring(source.indexOf("// readme:start\n") + "// readme:start\n".length(),
                source.indexOf("        // readme:end"));
        String unindented = snippet.lines().map(line -> line.replaceFirst("^ {8}", "")).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains(unindented);
    }
}
