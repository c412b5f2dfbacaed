package dev.darklaunch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import dev.darklaunch.sdk.internal.model.ModelJson;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.sdk.internal.model.Serve;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requirements (OpenFeature's "disabled" flags and flag metadata, {@link FlagConfig}): a flag
 * without an off variation ({@code "offVariation": null}) serves each caller's default while off
 * or when a prerequisite fails, with the reason still saying why; an absent {@code offVariation}
 * is still refused; metadata holds text, numbers and booleans, survives JSON and is validated.
 */
class OffVariationAndMetadataTest {

    private static final String DATA = """
            {"revision": 1, "flags": [
              {"flag": {"key": "dark", "name": "Dark", "kind": "string",
                        "variations": [{"value": "a"}, {"value": "b"}]},
               "config": {"on": false, "offVariation": null, "fallthrough": {"variation": 0}}},
              {"flag": {"key": "gated", "name": "Gated", "kind": "string",
                        "variations": [{"value": "a"}, {"value": "b"}]},
               "config": {"on": true, "offVariation": null, "fallthrough": {"variation": 1},
                          "prerequisites": [{"flag": "dark", "variation": 0}],
                          "metadata": {"version": "1.0.2", "ticket": 42, "ratio": 0.1, "reviewed": true}}}
            ]}""";

    @Test
    void aFlagWithoutOffVariationServesTheCallersDefaultWhileOff() {
        try (DarklaunchClient client = DarklaunchClient.create(DarklaunchConfig.builder().offline().bootstrap(DATA).build())) {
            assertThat(client.stringVariationDetail("dark", Context.of("u"), "mine"))
                    .isEqualTo(new EvaluationDetail<>("mine", -1, Reason.off()));
            assertThat(client.stringVariationDetail("gated", Context.of("u"), "mine"))
                    .isEqualTo(new EvaluationDetail<>("mine", -1, Reason.prerequisiteFailed("dark")));
            assertThat(client.jsonVariationDetail("dark", Context.of("u"), TextNode.valueOf("x")).value()).isEqualTo(TextNode.valueOf("x"));
            assertThat(client.allFlags(Context.of("u"))).isEmpty();
        }
    }

    @Test
    void offVariationNullIsWrittenAndReadBackButAbsentIsRefused() throws Exception {
        FlagConfig config = new FlagConfig(false, null, List.of(), List.of(), Serve.ofVariation(0), List.of());
        String json = ModelJson.mapper().writeValueAsString(config);
        assertThat(json).contains("\"offVariation\":null").doesNotContain("metadata");
        assertThat(ModelJson.mapper().readValue(json, FlagConfig.class)).isEqualTo(config);
        assertThatThrownBy(() -> ModelJson.mapper().readValue("{\"fallthrough\": {\"variation\": 0}}", FlagConfig.class))
                .hasMessageContaining("offVariation");
    }

    @Test
    void metadataSurvivesJsonAndIsValidated() throws Exception {
        Flag flag = Flag.ofBoolean("f", "F");
        FlagConfig config = new FlagConfig(true, 1, List.of(), List.of(), Serve.ofVariation(0), List.of(),
                Map.of("ticket", IntNode.valueOf(42)));
        ModelValidator.validateConfig(flag, config);
        assertThat(ModelJson.mapper().readValue(ModelJson.mapper().writeValueAsString(config), FlagConfig.class)).isEqualTo(config);

        FlagConfig nested = new FlagConfig(true, 1, List.of(), List.of(), Serve.ofVariation(0), List.of(),
                Map.of("owner", ModelJson.mapper().createObjectNode().put("team", "x")));
        assertThatThrownBy(() -> ModelValidator.validateConfig(flag, nested)).isInstanceOfSatisfying(InvalidModelException.class,
                e -> assertThat(e.field()).isEqualTo("metadata.owner")).hasMessageContaining("text, a number or a boolean");
        FlagConfig blank = new FlagConfig(true, 1, List.of(), List.of(), Serve.ofVariation(0), List.of(), Map.of(" ", IntNode.valueOf(1)));
        assertThatThrownBy(() -> ModelValidator.validateConfig(flag, blank)).isInstanceOf(InvalidModelException.class);
    }

    @Test
    void anOfflineClientWithoutDataIsPermanentlyInError() {
        try (DarklaunchClient client = DarklaunchClient.create(DarklaunchConfig.builder().offline().build())) {
            assertThat(client.status().state()).isEqualTo(Status.State.ERROR);
            assertThat(client.status().permanent()).isTrue();
        }
        TestFlags flags = TestFlags.create();
        try (DarklaunchClient client = flags.client()) {
            flags.refuseToken();
            assertThat(client.status().state()).isEqualTo(Status.State.ERROR);
            assertThat(client.status().permanent()).isFalse();
        }
    }
}
