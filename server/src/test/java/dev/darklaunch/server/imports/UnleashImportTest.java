package dev.darklaunch.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.internal.evaluation.Evaluator;
import dev.darklaunch.sdk.internal.evaluation.Snapshot;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Unleash importer beyond the client specification: the cases the specification does not cover. */
class UnleashImportTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            same group, gated strategies with constraints | g1:default:30:web, g1:default:70:, g1:default:50:ios
            different group ids                           | g1:default:30:, g2:default:40:web, g3:default:20:
            different stickiness                          | g1:userId:50:, g1:default:50:, g1:sessionId:30:web
            rollouts and plain strategies                 | g1:default:10:, :::ios, g2:userId:60:web
            """)
    void a_feature_is_enabled_exactly_when_one_of_its_strategies_alone_would_enable_it(String title, String strategies) {
        ObjectNode payload = MAPPER.createObjectNode();
        ArrayNode features = payload.putArray("features");
        ArrayNode all = feature(features, "all");
        String[] specs = strategies.split(",\\s*");
        for (int i = 0; i < specs.length; i++) {
            all.add(strategy(specs[i]));
            feature(features, "only-" + i).add(strategy(specs[i]));
        }
        UnleashImport.Result result = UnleashImport.convert(payload);
        Snapshot snapshot = Snapshot.compile(result.environmentData());
        int enabled = 0;
        for (int n = 0; n < 3000; n++) {
            ObjectNode context = MAPPER.createObjectNode();
            if (n % 5 != 0) {
                context.put("userId", "user-" + n);
            }
            if (n % 3 != 0) {
                context.put("sessionId", "session-" + n * 7);
            }
            context.put("appName", n % 2 == 0 ? "web" : "ios");
            boolean any = false;
            for (int i = 0; i < specs.length; i++) {
                any |= enabled(snapshot, "only-" + i, context);
            }
            assertThat(enabled(snapshot, "all", context)).as("%s", context).isEqualTo(any);
            enabled += any ? 1 : 0;
        }
        assertThat(enabled).as("the rollouts enable some contexts and not others").isBetween(300, 2700);
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void names_that_are_not_keys_become_a_readable_slug_with_a_hash() {
        assertThat(UnleashNames.flagKey("checkout.new-flow_2")).isEqualTo("checkout.new-flow_2");
        assertThat(UnleashNames.flagKey("Feature.UTF-8.Hellø_Wørld")).matches("Feature\\.UTF-8\\.Hell-_W-rld-[0-9a-f]{8}");
        assertThat(UnleashNames.flagKey("ops/kill switch")).isNotEqualTo(UnleashNames.flagKey("ops kill/switch"));
        assertThat(UnleashNames.flagKey("_internal")).matches("internal-[0-9a-f]{8}");
        assertThat(UnleashNames.flagKey("😊")).matches("[0-9a-f]{8}");
        assertThat(UnleashNames.flagKey("x".repeat(150))).hasSize(100);
        assertThat(UnleashNames.attribute("customField")).isEqualTo("customField");
        assertThat(UnleashNames.attribute("key")).matches("key-[0-9a-f]{8}");
        assertThat(UnleashNames.attribute("2fa enabled")).matches("_2fa-enabled-[0-9a-f]{8}");
    }

    @Test
    void a_dependency_on_a_disabled_parent_follows_the_parent() {
        for (boolean parentEnabled : List.of(true, false)) {
            UnleashImport.Result result = UnleashImport.convert(json("""
                    {"features": [
                      {"name": "parent", "enabled": %s, "strategies": [{"name": "userWithId", "parameters": {"userIds": "ann"}}]},
                      {"name": "child", "enabled": true, "dependencies": [{"feature": "parent", "enabled": false}]}
                    ]}""".formatted(parentEnabled)));
            Snapshot snapshot = Snapshot.compile(result.environmentData());
            assertThat(enabled(snapshot, "child", json("{\"userId\": \"ann\"}"))).isEqualTo(!parentEnabled);
            assertThat(enabled(snapshot, "child", json("{\"userId\": \"bob\"}"))).isTrue();
        }
    }

    @Test
    void a_dependency_on_several_variants_holds_for_any_of_them() {
        UnleashImport.Result result = UnleashImport.convert(json("""
                {"features": [
                  {"name": "parent", "enabled": true, "strategies": [], "variants": [
                    {"name": "a", "weight": 30}, {"name": "b", "weight": 40}, {"name": "c", "weight": 30}]},
                  {"name": "child", "enabled": true, "strategies": [],
                   "dependencies": [{"feature": "parent", "variants": ["a", "c", "not-there"]}]}
                ]}"""));
        Snapshot snapshot = Snapshot.compile(result.environmentData());
        int a = 0;
        for (int n = 0; n < 1000; n++) {
            JsonNode context = json("{\"userId\": \"u" + n + "\"}");
            String variant = Evaluator.evaluate(snapshot, snapshot.flag("parent.variants"), UnleashContexts.toContext(context, NOW))
                    .jsonDetail().value().get("name").asText();
            assertThat(enabled(snapshot, "child", context)).as(variant).isEqualTo(!variant.equals("b"));
            a += variant.equals("a") ? 1 : 0;
        }
        assertThat(a).isBetween(200, 400);
    }

    @Test
    void what_unleash_sdks_cannot_evaluate_never_matches_and_is_reported() {
        UnleashImport.Result result = UnleashImport.convert(json("""
                {"features": [{"name": "f", "enabled": true, "strategies": [
                  {"name": "partner-api", "parameters": {}},
                  {"name": "default", "constraints": [{"contextName": "a", "operator": "LIKE", "values": ["x"], "inverted": true}]},
                  {"name": "default", "constraints": [{"contextName": "v", "operator": "SEMVER_EQ", "value": "v1.0.0", "inverted": true}]}
                ]}]}"""));
        Snapshot snapshot = Snapshot.compile(result.environmentData());
        assertThat(enabled(snapshot, "f", json("{}"))).as("an inverted unusable semver is always true").isTrue();
        assertThat(result.warnings()).extracting(UnleashImport.Warning::message)
                .anySatisfy(m -> assertThat(m).contains("custom strategy 'partner-api'"))
                .anySatisfy(m -> assertThat(m).contains("unknown operator"))
                .anySatisfy(m -> assertThat(m).contains("'v1.0.0' is not a semantic version"));
    }

    @Test
    void variant_choice_after_a_partial_rollout_is_reported_as_approximate() {
        UnleashImport.Result result = UnleashImport.convert(json("""
                {"features": [{"name": "f", "enabled": true, "strategies": [
                  {"name": "flexibleRollout", "parameters": {"rollout": "50", "stickiness": "default", "groupId": "f"},
                   "variants": [{"name": "blue", "weight": 1}]},
                  {"name": "default", "variants": [{"name": "red", "weight": 1}]}
                ]}]}"""));
        assertThat(result.warnings()).singleElement().extracting(UnleashImport.Warning::message).asString()
                .contains("get this strategy's variants");
    }

    @Test
    void a_delta_payload_imports_the_state_it_describes() {
        UnleashImport.Result result = UnleashImport.convert(json("""
                {"events": [
                  {"type": "hydration", "features": [{"name": "gone", "enabled": true}, {"name": "kept", "enabled": true}], "segments": []},
                  {"type": "feature-removed", "featureName": "gone"},
                  {"type": "segment-updated", "segment": {"id": 3, "constraints": []}}
                ]}"""));
        assertThat(result.features()).extracting(UnleashImport.ImportedFeature::name).containsExactly("kept");
        assertThat(result.segments()).extracting(s -> s.segment().key()).containsExactly("unleash-segment-3");
    }

    @ParameterizedTest(name = "[{index}] field {1}")
    @CsvSource(delimiter = '|', textBlock = """
            []                                                                               | ''
            {"version": 1}                                                                   | features
            {"features": [{"enabled": true}]}                                                | features[0].name
            {"features": [{"name": "a"}, {"name": "a"}]}                                     | features[1].name
            {"features": [{"name": "a", "enabled": "yes"}]}                                  | features[0].enabled
            {"features": [{"name": "a", "strategies": {}}]}                                  | features[0].strategies
            {"features": [{"name": "a", "strategies": [{"name": "default", "constraints": [{"contextName": "x"}]}]}]} | features[0].strategies[0].constraints[0].operator
            {"features": [{"name": "a", "variants": [{"name": "v", "weight": 1.5}]}]}         | features[0].variants[0].weight
            {"features": [], "segments": [{"id": 1}, {"id": 1}]}                             | segments[1].id
            {"events": [{"type": "feature-renamed"}]}                                        | events[0].type
            """)
    void malformed_payloads_name_the_offending_input(String payload, String field) {
        assertThatThrownBy(() -> UnleashImport.convert(json(payload)))
                .isInstanceOfSatisfying(InvalidModelException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    private static ArrayNode feature(ArrayNode features, String name) {
        ObjectNode feature = features.addObject().put("name", name).put("enabled", true);
        return feature.putArray("strategies");
    }

    /** {@code groupId:stickiness:percent:appName}; an empty group id is a plain strategy. */
    private static ObjectNode strategy(String spec) {
        String[] parts = spec.split(":", -1);
        ObjectNode strategy = MAPPER.createObjectNode();
        if (parts[0].isEmpty()) {
            strategy.put("name", "default");
        } else {
            strategy.put("name", "flexibleRollout").putObject("parameters")
                    .put("groupId", parts[0]).put("stickiness", parts[1]).put("rollout", parts[2]);
        }
        if (!parts[3].isEmpty()) {
            strategy.putArray("constraints").addObject().put("contextName", "appName").put("operator", "IN")
                    .putArray("values").add(parts[3]);
        }
        return strategy;
    }

    private static boolean enabled(Snapshot snapshot, String key, JsonNode unleashContext) {
        Context context = UnleashContexts.toContext(unleashContext, NOW);
        return Evaluator.isTrue(snapshot, snapshot.flag(key), context);
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
