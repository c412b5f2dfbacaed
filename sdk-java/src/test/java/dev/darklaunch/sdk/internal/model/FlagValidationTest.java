package dev.darklaunch.sdk.internal.model;

import static dev.darklaunch.sdk.internal.model.Fixtures.assertInvalid;
import static dev.darklaunch.sdk.internal.model.Fixtures.json;
import static dev.darklaunch.sdk.internal.model.Fixtures.values;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ModelValidator#validateKey}, {@link ModelValidator#validateFlag} and {@link ModelValidator#validateSegment}. */
class FlagValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "new-checkout", "v2.beta_flag", "A-Z.0_9"})
    void validKeysPass(String key) {
        ModelValidator.validateKey("key", key);
    }

    @Test
    void aKeyHasAtMost100Characters() {
        ModelValidator.validateKey("key", "k".repeat(100));
        assertInvalid(() -> ModelValidator.validateKey("key", "k".repeat(101)), "key", "is 101 characters long; a key is 1 to 100");
    }

    @ParameterizedTest(name = "key \"{0}\": {1}")
    @CsvSource(delimiter = '|', value = {
        "''            | must not be empty",
        "-flag         | it starts with '-'",
        "_flag         | it starts with '_'",
        "my flag       | it contains ' ' at index 2",
        "flag/1        | it contains '/' at index 4",
        "café          | it contains 'é' at index 3",
    })
    void invalidKeysAreExplained(String key, String message) {
        assertInvalid(() -> ModelValidator.validateKey("environments[1].key", key), "environments[1].key", message);
    }

    @Test
    void aMissingKeyIsExplained() {
        assertInvalid(() -> ModelValidator.validateKey("key", null), "key", "is required: a key is 1 to 100 ASCII letters");
    }

    @Test
    void aValidFlagOfEveryKindPasses() {
        ModelValidator.validateFlag(Fixtures.booleanFlag());
        ModelValidator.validateFlag(Fixtures.stringFlag("a"));
        ModelValidator.validateFlag(flag(FlagKind.NUMBER, values(1, 2.5, -3, 1e300)));
        ModelValidator.validateFlag(flag(FlagKind.JSON, List.of(json("{\"a\": [1, null]}"), json("[]"), json("\"s\""), json("false"))));
    }

    static Stream<Arguments> invalidFlags() {
        Flag valid = Fixtures.stringFlag("a", "b");
        return Stream.of(
                Arguments.of("key is required", with(valid, null, valid.name(), valid.kind()), "key", "is required"),
                Arguments.of("key syntax", with(valid, "no spaces", valid.name(), valid.kind()), "key", "contains ' ' at index 2"),
                Arguments.of("name is required", with(valid, "f", null, valid.kind()), "name", "is required: a name of 1 to 200 characters"),
                Arguments.of("name is not blank", with(valid, "f", "  ", valid.kind()), "name", "is required"),
                Arguments.of("name length", with(valid, "f", "n".repeat(201), valid.kind()), "name", "is 201 characters long; at most 200"),
                Arguments.of("kind is required", with(valid, "f", "F", null), "kind", "is required: one of boolean, string, number, json"),
                Arguments.of("description length",
                        new Flag("f", "F", "d".repeat(2001), FlagKind.STRING, valid.variations(), null, null, null, false),
                        "description", "is 2001 characters long; at most 2000 are allowed"),
                Arguments.of("owner length",
                        new Flag("f", "F", null, FlagKind.STRING, valid.variations(), null, "o".repeat(201), null, false),
                        "owner", "is 201 characters long; at most 200 are allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFlags")
    void flagFieldsAreChecked(String rule, Flag flag, String field, String message) {
        assertInvalid(() -> ModelValidator.validateFlag(flag), field, message);
    }

    @Test
    void aMissingFlagIsReported() {
        assertInvalid(() -> ModelValidator.validateFlag(null), "", "a flag is required");
    }

    static Stream<Arguments> invalidVariations() {
        return Stream.of(
                Arguments.of(FlagKind.BOOLEAN, values(true), "variations", "a boolean flag has exactly 2 variations, true and false; got 1"),
                Arguments.of(FlagKind.BOOLEAN, values(true, false, true), "variations", "exactly 2 variations"),
                Arguments.of(FlagKind.BOOLEAN, values(true, "false"), "variations[1].value", "must be true or false for a boolean flag, got a string (\"false\")"),
                Arguments.of(FlagKind.BOOLEAN, values(false, false), "variations[1].value", "is the same as variations[0].value; variation values must be distinct (one true, one false)"),
                Arguments.of(FlagKind.STRING, values(), "variations", "needs at least 1 variation, got 0"),
                Arguments.of(FlagKind.STRING, values(IntStream.range(0, 101).mapToObj(i -> "v" + i).toArray()), "variations", "has 101 variations; at most 100 are allowed"),
                Arguments.of(FlagKind.STRING, values("a", 1), "variations[1].value", "must be JSON strings for a string flag, got a number (1)"),
                Arguments.of(FlagKind.STRING, values("a", "a"), "variations[1].value", "is the same as variations[0].value"),
                Arguments.of(FlagKind.STRING, values("a\u0000b"), "variations[0].value", "contains a NUL character (U+0000) at index 1"),
                Arguments.of(FlagKind.STRING, values("a\uD800"), "variations[0].value", "contains an unpaired UTF-16 surrogate (U+D800) at index 1"),
                Arguments.of(FlagKind.NUMBER, values(1, "2"), "variations[1].value", "must be finite JSON numbers for a number flag, got a string"),
                Arguments.of(FlagKind.NUMBER, List.of(json("1e400")), "variations[0].value", "is not a finite number"),
                Arguments.of(FlagKind.NUMBER, values(1, 1.0), "variations[1].value", "is the same as variations[0].value"),
                Arguments.of(FlagKind.JSON, List.of(json("null")), "variations[0].value", "is required; a json flag's variation values are any JSON value except null"),
                Arguments.of(FlagKind.JSON, List.of(json("{\"a\": {\"b\": [\"\\u0000\"]}}")), "variations[0].value", "contains a NUL character"),
                Arguments.of(FlagKind.JSON, List.of(json("{\"a\\u0000\": 1}")), "variations[0].value", "has a property name that contains a NUL character"),
                Arguments.of(FlagKind.JSON, List.of(json("{\"a\": 1}"), json("{\"a\": 1}")), "variations[1].value", "is the same as variations[0].value"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidVariations")
    void variationValuesMatchTheKindAndAreDistinct(FlagKind kind, List<JsonNode> values, String field, String message) {
        assertInvalid(() -> ModelValidator.validateFlag(flag(kind, values)), field, message);
    }

    @Test
    void variationNamesAndDescriptionsAreBounded() {
        Flag flag = new Flag("f", "F", null, FlagKind.STRING,
                List.of(Variation.of(json("\"a\"")), new Variation(json("\"b\""), "n".repeat(201), null)), null, null, null, false);
        assertInvalid(() -> ModelValidator.validateFlag(flag), "variations[1].name", "is 201 characters long; at most 200");
    }

    @Test
    void tagsAreBoundedWellFormedAndDistinct() {
        List<String> tooMany = IntStream.range(0, 51).mapToObj(i -> "t" + i).toList();
        assertInvalid(() -> ModelValidator.validateFlag(tagged(tooMany)), "tags", "has 51 tags; at most 50 are allowed");
        assertInvalid(() -> ModelValidator.validateFlag(tagged(List.of("team:web", "needs review"))), "tags[1]",
                "'needs review' is not a valid tag: it contains ' ' at index 5; a tag is 1 to 64 ASCII letters, digits, ':', '.', '_', '/' or '-'");
        assertInvalid(() -> ModelValidator.validateFlag(tagged(List.of("t".repeat(65)))), "tags[0]", "is 65 characters long");
        assertInvalid(() -> ModelValidator.validateFlag(tagged(List.of("a/b", "x", "a/b"))), "tags[2]", "'a/b' is listed twice (also tags[0])");
        ModelValidator.validateFlag(tagged(List.of("team:web/checkout_v2.1-beta", "Q3")));
    }

    @Test
    void segmentsNeedAKeyAndAName() {
        ModelValidator.validateSegment(new Segment("beta-testers", "Beta testers", null));
        assertInvalid(() -> ModelValidator.validateSegment(new Segment("beta testers", "Beta", null)), "key", "contains ' '");
        assertInvalid(() -> ModelValidator.validateSegment(new Segment("beta", "", null)), "name", "is required");
        assertInvalid(() -> ModelValidator.validateSegment(new Segment("beta", "Beta", "\u0000")), "description", "NUL");
        assertInvalid(() -> ModelValidator.validateSegment(null), "", "a segment is required");
    }

    private static Flag flag(FlagKind kind, List<JsonNode> values) {
        return new Flag("f", "F", null, kind, values.stream().map(Variation::of).toList(), null, null, null, false);
    }

    private static Flag tagged(List<String> tags) {
        return new Flag("f", "F", null, FlagKind.STRING, List.of(Variation.of(json("\"a\""))), tags, null, null, false);
    }

    private static Flag with(Flag flag, String key, String name, FlagKind kind) {
        return new Flag(key, name, flag.description(), kind, flag.variations(), flag.tags(), flag.owner(), flag.lifecycle(), flag.archived());
    }
}
