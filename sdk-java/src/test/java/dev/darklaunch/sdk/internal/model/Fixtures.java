package dev.darklaunch.sdk.internal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Small builders and assertions shared by the model tests. */
final class Fixtures {
    private Fixtures() {}

    /** JSON values from Java values: strings, numbers, booleans, lists and maps. */
    static List<JsonNode> values(Object... values) {
        List<JsonNode> nodes = new ArrayList<>();
        for (Object value : values) {
            nodes.add(ModelJson.mapper().valueToTree(value));
        }
        return nodes;
    }

    static JsonNode json(String text) {
        try {
            return ModelJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(String text, Class<T> type) throws JsonProcessingException {
        return ModelJson.mapper().readValue(text, type);
    }

    /** A valid boolean flag: variation 0 is true, 1 is false. */
    static Flag booleanFlag() {
        return Flag.ofBoolean("new-checkout", "New checkout");
    }

    /** A valid string flag with the given values. */
    static Flag stringFlag(String... values) {
        List<Variation> variations = new ArrayList<>();
        for (JsonNode value : values((Object[]) values)) {
            variations.add(Variation.of(value));
        }
        return new Flag("banner", "Banner text", null, FlagKind.STRING, variations, List.of(), null, null, false);
    }

    /** A valid configuration of {@link #booleanFlag()}: on, serving true to whoever matches {@code rules}. */
    static FlagConfig withRules(Rule... rules) {
        return new FlagConfig(true, 1, List.of(), List.of(rules), Serve.ofVariation(1), List.of());
    }

    /** A configuration of {@link #booleanFlag()} with one rule made of {@code clause}. */
    static FlagConfig withClause(Clause clause) {
        return withRules(new Rule(null, null, List.of(clause), Serve.ofVariation(0)));
    }

    static FlagConfig withFallthrough(Serve fallthrough) {
        return new FlagConfig(true, 1, List.of(), List.of(), fallthrough, List.of());
    }

    static Rollout rollout(int... variationWeightPairs) {
        List<WeightedVariation> weighted = new ArrayList<>();
        for (int i = 0; i < variationWeightPairs.length; i += 2) {
            weighted.add(new WeightedVariation(variationWeightPairs[i], variationWeightPairs[i + 1]));
        }
        return new Rollout(weighted, null, null);
    }

    /** Asserts that {@code call} reports {@code field} with a message containing {@code message}. */
    static void assertInvalid(ThrowingCallable call, String field, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(InvalidModelException.class, e -> {
                    assertThat(e.field()).as("field of: %s", e).isEqualTo(field);
                    assertThat(e.getMessage()).as("message of: %s", e).contains(message);
                });
    }
}
