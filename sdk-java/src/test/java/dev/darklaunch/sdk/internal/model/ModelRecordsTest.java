package dev.darklaunch.sdk.internal.model;

import static dev.darklaunch.sdk.internal.model.Fixtures.booleanFlag;
import static dev.darklaunch.sdk.internal.model.Fixtures.json;
import static dev.darklaunch.sdk.internal.model.Fixtures.stringFlag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records are immutable values whose equality follows their JSON text. */
class ModelRecordsTest {

    @Test
    void listsAreCopiedAndUnmodifiable() {
        List<String> tags = new ArrayList<>(List.of("a"));
        Flag flag = new Flag("f", "F", null, FlagKind.BOOLEAN, null, tags, null, null, false);
        tags.add("b");
        assertThat(flag.tags()).containsExactly("a");
        assertThat(flag.variations()).isEmpty();
        assertThatThrownBy(() -> flag.tags().add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new Target(0, java.util.Arrays.asList("a", null)))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void jsonValuesAreDeepCopies() {
        ObjectNode value = (ObjectNode) json("{\"color\": \"red\"}");
        Variation variation = Variation.of(value);
        value.put("color", "blue");
        assertThat(variation.value()).isEqualTo(json("{\"color\": \"red\"}"));
        assertThat(Variation.of(null).value()).isEqualTo(NullNode.getInstance());
    }

    @Test
    void numbersAreStoredAsReadingTheirJsonTextWouldStoreThem() {
        assertThat(Variation.of(LongNode.valueOf(5))).isEqualTo(Variation.of(json("5")));
        assertThat(Variation.of(FloatNode.valueOf(0.1f))).isEqualTo(Variation.of(json("0.1")));
        assertThat(Variation.of(DecimalNode.valueOf(new BigDecimal("2.50")))).isEqualTo(Variation.of(json("2.5")));
        assertThat(Variation.of(json("[{\"n\": 1}]")).value().at("/0/n").isInt()).isTrue();
        assertThat(Variation.of(json("12345678901")).value().isLong()).isTrue();
        assertThat(Variation.of(json("123456789012345678901234567890")).value().isBigInteger()).isTrue();
    }

    @Test
    void operatorNamesRoundTripAndAnythingElseIsUnknown() {
        for (Operator op : Operator.values()) {
            assertThat(Operator.fromJsonName(op.jsonName())).isEqualTo(op);
        }
        assertThat(Operator.fromJsonName("IN")).isEqualTo(Operator.UNKNOWN);
        assertThat(Operator.fromJsonName(null)).isEqualTo(Operator.UNKNOWN);
        assertThat(Operator.knownNames()).startsWith("in, startsWith,").endsWith("segmentMatch").doesNotContain("unknown");
    }

    @Test
    void offConfigOfABooleanFlagServesFalseWhenOffAndTrueWhenSwitchedOn() {
        Flag falseFirst = new Flag("f", "F", null, FlagKind.BOOLEAN,
                List.of(Variation.of(BooleanNode.FALSE), Variation.of(BooleanNode.TRUE)), null, null, null, false);
        FlagConfig config = FlagConfig.off(falseFirst);
        assertThat(config).isEqualTo(new FlagConfig(false, 0, List.of(), List.of(), Serve.ofVariation(1), List.of()));
        assertThat(FlagConfig.off(booleanFlag()).offVariation()).isEqualTo(1);
        assertThat(FlagConfig.off(booleanFlag()).fallthrough()).isEqualTo(Serve.ofVariation(0));
        ModelValidator.validateConfig(falseFirst, config);
    }

    @Test
    void offConfigOfOtherFlagsServesTheFirstVariation() {
        FlagConfig config = FlagConfig.off(stringFlag("a", "b"));
        assertThat(config.offVariation()).isZero();
        assertThat(config.fallthrough()).isEqualTo(Serve.ofVariation(0));
        assertThat(config.on()).isFalse();
    }

    @Test
    void offConfigRejectsABooleanFlagWithoutFalse() {
        Flag broken = new Flag("f", "F", null, FlagKind.BOOLEAN,
                List.of(Variation.of(BooleanNode.TRUE), Variation.of(BooleanNode.TRUE)), null, null, null, false);
        assertThatThrownBy(() -> FlagConfig.off(broken)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exceptionShowsFieldAndMessage() {
        InvalidModelException e = new InvalidModelException("rules[0].id", "must not be empty");
        assertThat(e.field()).isEqualTo("rules[0].id");
        assertThat(e.getMessage()).isEqualTo("must not be empty");
        assertThat(e).hasToString("InvalidModelException: rules[0].id: must not be empty");
    }
}
