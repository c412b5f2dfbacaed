package dev.darklaunch.sdk.internal.model;

import static dev.darklaunch.sdk.internal.model.Fixtures.assertInvalid;
import static dev.darklaunch.sdk.internal.model.Fixtures.booleanFlag;
import static dev.darklaunch.sdk.internal.model.Fixtures.json;
import static dev.darklaunch.sdk.internal.model.Fixtures.values;
import static dev.darklaunch.sdk.internal.model.Fixtures.withClause;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Clause rules, shared by flag rules and segment rules, checked here through flag rules. */
class ClauseValidationTest {
    private static final String CLAUSE = "rules[0].clauses[0]";

    static Stream<Arguments> validValues() {
        return Stream.of(
                Arguments.of(Operator.IN, "[\"a\", 1, 2.5, true]"),
                Arguments.of(Operator.STARTS_WITH, "[\"Dr. \", \"\"]"),
                Arguments.of(Operator.ENDS_WITH, "[\"@example.com\"]"),
                Arguments.of(Operator.CONTAINS, "[\"beta\"]"),
                Arguments.of(Operator.MATCHES, "[\"^[a-z]+@(example|darklaunch)\\\\.dev$\", \"(?i)firefox\"]"),
                Arguments.of(Operator.NUMBER_EQ, "[0, -1, 1e10]"),
                Arguments.of(Operator.NUMBER_GTE, "[123456789012345678901234567890]"),
                Arguments.of(Operator.SEMVER_LT, "[\"1.0.0-alpha.1\", \"2.0.0+build.5\"]"),
                Arguments.of(Operator.BEFORE, "[\"2025-06-01T00:00:00Z\", \"2025-06-01T02:00:00+02:00\", 1700000000000, -5]"),
                Arguments.of(Operator.AFTER, "[\"2025-06-01T00:00:00.123456789Z\"]"),
                Arguments.of(Operator.IN_CIDR, "[\"10.0.0.0/8\", \"192.168.1.7\", \"::1/128\", \"2001:db8::/32\", \"::ffff:10.0.0.0/104\"]"),
                Arguments.of(Operator.EXISTS, "[]"),
                Arguments.of(Operator.SEGMENT_MATCH, "[\"beta-testers\", \"staff\"]"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("validValues")
    void validValuesPass(Operator op, String valuesJson) {
        ModelValidator.validateConfig(booleanFlag(), withClause(clause(op, valuesJson)));
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of(Operator.IN, "[\"a\", {\"b\": 1}]", "values[1]", "in compares with strings, numbers or booleans, got an object"),
                Arguments.of(Operator.IN, "[[1]]", "values[0]", "got an array"),
                Arguments.of(Operator.IN, "[1e400]", "values[0]", "is not a finite number"),
                Arguments.of(Operator.STARTS_WITH, "[42]", "values[0]", "startsWith compares with strings, got a number (42)"),
                Arguments.of(Operator.ENDS_WITH, "[true]", "values[0]", "endsWith compares with strings, got a boolean (true)"),
                Arguments.of(Operator.CONTAINS, "[\"a\", 1]", "values[1]", "contains compares with strings"),
                Arguments.of(Operator.MATCHES, "[\"(ab\"]", "values[0]", "'(ab' is not a valid regular expression: missing closing )"),
                Arguments.of(Operator.MATCHES, "[\"(a)\\\\1\"]", "values[0]", "is not a valid regular expression"),
                Arguments.of(Operator.MATCHES, "[\"(?=a)\"]", "values[0]", "no backreferences or lookaround"),
                Arguments.of(Operator.MATCHES, "[7]", "values[0]", "matches compares with regular expressions (strings), got a number"),
                Arguments.of(Operator.NUMBER_LT, "[\"5\"]", "values[0]", "numberLt compares with numbers, got a string (\"5\")"),
                Arguments.of(Operator.NUMBER_EQ, "[1e999]", "values[0]", "is not a finite number"),
                Arguments.of(Operator.SEMVER_EQ, "[\"1.0\"]", "values[0]", "'1.0' is not a semantic version: use MAJOR.MINOR.PATCH"),
                Arguments.of(Operator.SEMVER_GT, "[\"v1.2.3\"]", "values[0]", "no leading 'v'"),
                Arguments.of(Operator.SEMVER_GTE, "[1]", "values[0]", "semverGte compares with semantic versions (strings such as \"1.4.0\"), got a number"),
                Arguments.of(Operator.BEFORE, "[\"2025-06-01\"]", "values[0]", "'2025-06-01' is not an ISO-8601 date-time with a zone or offset, such as 2025-05-01T09:30:00Z"),
                Arguments.of(Operator.AFTER, "[\"2025-06-01T00:00:00\"]", "values[0]", "is not an ISO-8601 date-time with a zone or offset"),
                Arguments.of(Operator.AFTER, "[1.5]", "values[0]", "epoch milliseconds must be a whole number"),
                Arguments.of(Operator.AFTER, "[99999999999999999999]", "values[0]", "within the range of a 64-bit integer"),
                Arguments.of(Operator.BEFORE, "[false]", "values[0]", "before compares with ISO-8601 date-time strings or epoch milliseconds, got a boolean"),
                Arguments.of(Operator.IN_CIDR, "[\"10.0.0.0/33\"]", "values[0]", "'10.0.0.0/33' is not an IPv4 or IPv6 address range in CIDR notation"),
                Arguments.of(Operator.IN_CIDR, "[\"localhost/8\"]", "values[0]", "no host names"),
                Arguments.of(Operator.IN_CIDR, "[16777216]", "values[0]", "inCidr compares with address ranges in CIDR notation (strings), got a number"),
                Arguments.of(Operator.SEGMENT_MATCH, "[\"beta testers\"]", "values[0]", "'beta testers' is not a valid key"),
                Arguments.of(Operator.SEGMENT_MATCH, "[3]", "values[0]", "segmentMatch compares with segment keys (strings), got a number"),
                Arguments.of(Operator.EXISTS, "[true]", "values", "exists takes no values (it tests whether the attribute is present), got 1"),
                Arguments.of(Operator.IN, "[]", "values", "needs at least 1 value, got 0"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidValues")
    void valuesMustSuitTheOperator(Operator op, String valuesJson, String field, String message) {
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(clause(op, valuesJson))), CLAUSE + "." + field, message);
    }

    @ParameterizedTest
    @EnumSource(value = Operator.class, names = {"EXISTS", "UNKNOWN"}, mode = EnumSource.Mode.EXCLUDE)
    void noOperatorAcceptsNulInAString(Operator op) {
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(new Clause("a", op, values("x\u0000"), false, false))),
                CLAUSE + ".values[0]", "contains a NUL character (U+0000) at index 1");
    }

    @Test
    void nullValuesAreRejected() {
        Clause clause = new Clause("a", Operator.IN, java.util.Arrays.asList(json("1"), null), false, false);
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(clause)),
                CLAUSE + ".values[1]", "in compares with strings, numbers or booleans, got null");
    }

    @Test
    void valueCountAndTotalLengthAreBounded() {
        List<JsonNode> tooMany = Collections.nCopies(ModelValidator.MAX_CLAUSE_VALUES + 1, json("1"));
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(new Clause("a", Operator.IN, tooMany, false, false))),
                CLAUSE + ".values", "has 10001 values; at most 10000 are allowed");
        List<JsonNode> long100k = new ArrayList<>(Collections.nCopies(5, json("\"" + "x".repeat(100_000) + "\"")));
        ModelValidator.validateConfig(booleanFlag(), withClause(new Clause("a", Operator.IN, long100k, false, false)));
        long100k.add(json("\"y\""));
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(new Clause("a", Operator.IN, long100k, false, false))),
                CLAUSE + ".values", "have 500001 characters in total; at most 500000 are allowed");
    }

    @Test
    void aRegularExpressionHasAtMost1000Characters() {
        ModelValidator.validateConfig(booleanFlag(), withClause(clause(Operator.MATCHES, "[\"" + "a".repeat(1000) + "\"]")));
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(clause(Operator.MATCHES, "[\"" + "a".repeat(1001) + "\"]"))),
                CLAUSE + ".values[0]", "the regular expression is 1001 characters long; at most 1000 are allowed");
    }

    @ParameterizedTest(name = "attribute \"{0}\": {1}")
    @CsvSource(delimiter = '|', value = {
        "1st      | '1st' is not a valid attribute name: it starts with '1'",
        "-x       | it starts with '-'",
        "a b      | it contains ' ' at index 1",
        "a/b      | it contains '/' at index 1",
    })
    void attributeNamesAreChecked(String attribute, String message) {
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(Clause.of(attribute, Operator.IN, json("1")))),
                CLAUSE + ".attribute", message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"key", "_private", "user.email", "a-b_c.d9"})
    void validAttributeNamesPass(String attribute) {
        ModelValidator.validateConfig(booleanFlag(), withClause(Clause.of(attribute, Operator.IN, json("1"))));
    }

    @Test
    void attributeAndOperatorAreRequired() {
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(Clause.of(null, Operator.IN, json("1")))),
                CLAUSE + ".attribute", "is required: an attribute name is 1 to 100 ASCII letters");
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(Clause.of("a", null, json("1")))),
                CLAUSE + ".op", "is required; use one of: in, startsWith, endsWith, contains, matches, numberEq");
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(Clause.of("a", Operator.UNKNOWN, json("1")))),
                CLAUSE + ".op", "is not a known operator; use one of: in, startsWith");
    }

    private static Clause clause(Operator op, String valuesJson) {
        List<JsonNode> values = new ArrayList<>();
        json(valuesJson).forEach(values::add);
        return new Clause("attr", op, values, false, false);
    }
}
