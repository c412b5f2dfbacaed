package dev.darklaunch.sdk.internal.model;

import static dev.darklaunch.sdk.internal.model.ModelValidator.MAX_CLAUSE_VALUES;
import static dev.darklaunch.sdk.internal.model.ModelValidator.MAX_CLAUSE_VALUE_CHARS;
import static dev.darklaunch.sdk.internal.model.ModelValidator.MAX_PATTERN_SIZE;
import static dev.darklaunch.sdk.internal.model.ModelValidator.MAX_REGEX_LENGTH;
import static dev.darklaunch.sdk.internal.model.ModelValidator.checkCount;
import static dev.darklaunch.sdk.internal.model.ModelValidator.describe;
import static dev.darklaunch.sdk.internal.model.ModelValidator.finiteProblem;
import static dev.darklaunch.sdk.internal.model.ModelValidator.textProblem;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/** The clause rules shared by flag rules and segment rules. */
final class ClauseValidator {
    private ClauseValidator() {}

    /**
     * @param field the clause's path, e.g. {@code rules[2].clauses[0]}
     * @param segmentMatchAllowed false in segment rules, which may not refer to other segments
     */
    static void validate(String field, Clause clause, boolean segmentMatchAllowed) {
        if (clause.attribute() == null) {
            throw new InvalidModelException(field + ".attribute", "is required: an attribute name is "
                    + Syntax.ATTRIBUTE.rule() + " (\"key\" is the context key)");
        }
        ModelValidator.check(field + ".attribute", Syntax.ATTRIBUTE.problem(clause.attribute()));
        Operator op = clause.op();
        if (op == null || op == Operator.UNKNOWN) {
            throw new InvalidModelException(field + ".op", (op == null ? "is required" : "is not a known operator")
                    + "; use one of: " + Operator.knownNames());
        }
        if (op == Operator.SEGMENT_MATCH && !segmentMatchAllowed) {
            throw new InvalidModelException(field + ".op", "segmentMatch is not allowed in a segment rule: segments cannot contain other segments");
        }
        String values = field + ".values";
        if (op == Operator.EXISTS) {
            if (!clause.values().isEmpty()) {
                throw new InvalidModelException(values, "exists takes no values (it tests whether the attribute is present), got "
                        + clause.values().size() + "; leave values out or empty");
            }
            return;
        }
        checkCount(values, clause.values(), 1, MAX_CLAUSE_VALUES, "value");
        long chars = clause.values().stream().filter(JsonNode::isTextual).mapToLong(value -> value.textValue().length()).sum();
        if (chars > MAX_CLAUSE_VALUE_CHARS) {
            throw new InvalidModelException(values, "have " + chars + " characters in total; at most " + MAX_CLAUSE_VALUE_CHARS + " are allowed");
        }
        for (int k = 0; k < clause.values().size(); k++) {
            ModelValidator.check(values + "[" + k + "]", valueProblem(op, clause.values().get(k), clause.caseInsensitive()));
        }
    }

    /** What is wrong with one value of a clause with operator {@code op}, or {@code null}. */
    private static String valueProblem(Operator op, JsonNode value, boolean caseInsensitive) {
        if (value.isTextual() && textProblem(value.textValue()) != null) {
            return textProblem(value.textValue());
        }
        return switch (op) {
            case IN -> value.isTextual() || value.isBoolean() ? null
                    : value.isNumber() ? finiteProblem(value)
                    : wrongType(op, "strings, numbers or booleans", value);
            case STARTS_WITH, ENDS_WITH, CONTAINS -> value.isTextual() ? null : wrongType(op, "strings", value);
            case MATCHES -> regexProblem(value, caseInsensitive);
            case NUMBER_EQ, NUMBER_LT, NUMBER_LTE, NUMBER_GT, NUMBER_GTE ->
                    value.isNumber() ? finiteProblem(value) : wrongType(op, "numbers", value);
            case SEMVER_EQ, SEMVER_LT, SEMVER_LTE, SEMVER_GT, SEMVER_GTE -> semverProblem(op, value);
            case BEFORE, AFTER -> dateProblem(op, value);
            case IN_CIDR -> cidrProblem(value);
            case SEGMENT_MATCH -> value.isTextual() ? Syntax.KEY.problem(value.textValue()) : wrongType(op, "segment keys (strings)", value);
            case EXISTS, UNKNOWN -> throw new IllegalStateException("checked by the caller: " + op);
        };
    }

    private static String wrongType(Operator op, String expected, JsonNode value) {
        return op.jsonName() + " compares with " + expected + ", got " + describe(value);
    }

    private static String regexProblem(JsonNode value, boolean caseInsensitive) {
        if (!value.isTextual()) {
            return wrongType(Operator.MATCHES, "regular expressions (strings)", value);
        }
        String regex = value.textValue();
        if (regex.length() > MAX_REGEX_LENGTH) {
            return "the regular expression is " + regex.length() + " characters long; at most " + MAX_REGEX_LENGTH + " are allowed";
        }
        // before compiling: a nested counted repetition compiles to a program of gigabytes
        long size = PatternSize.of(regex);
        if (size > MAX_PATTERN_SIZE) {
            return Syntax.quote(regex) + " is too large once compiled: its counted repetitions expand to about "
                    + (size >= PatternSize.SATURATED ? "more than " + PatternSize.SATURATED : String.valueOf(size))
                    + " instructions; at most " + MAX_PATTERN_SIZE + " are allowed (nest fewer or smaller {n} repetitions)";
        }
        if (PatternSize.hangsIgnoringCase(regex, caseInsensitive)) {
            return Syntax.quote(regex) + " cannot be matched ignoring case: the regular expression engine (RE2/J) cannot fold the case of "
                    + "U+1C80 to U+1C88 (Cyrillic letters of Unicode 9); list their case variants without ignoring case";
        }
        try {
            Pattern.compile(regex);
            return null;
        } catch (PatternSyntaxException e) {
            return Syntax.quote(regex) + " is not a valid regular expression: " + e.getDescription()
                    + " (RE2 syntax, which runs in linear time: no backreferences or lookaround)";
        }
    }

    private static String semverProblem(Operator op, JsonNode value) {
        if (!value.isTextual()) {
            return wrongType(op, "semantic versions (strings such as \"1.4.0\")", value);
        }
        return Semver.parse(value.textValue()).isPresent() ? null
                : Syntax.quote(value.textValue()) + " is not a semantic version: use MAJOR.MINOR.PATCH with an optional "
                        + "-pre.release and +build, such as 1.4.0 or 2.0.0-rc.1 (no leading 'v', no leading zeros)";
    }

    private static String dateProblem(Operator op, JsonNode value) {
        if (Timestamps.epochMillis(value).isPresent()) {
            return null;
        }
        if (value.isTextual()) {
            return Syntax.quote(value.textValue()) + " is not an ISO-8601 date-time with a zone or offset, such as "
                    + "2025-05-01T09:30:00Z or 2025-05-01T11:30:00+02:00";
        }
        if (value.isNumber()) {
            return "epoch milliseconds must be a whole number within the range of a 64-bit integer, got " + describe(value);
        }
        return wrongType(op, "ISO-8601 date-time strings or epoch milliseconds", value);
    }

    private static String cidrProblem(JsonNode value) {
        if (!value.isTextual()) {
            return wrongType(Operator.IN_CIDR, "address ranges in CIDR notation (strings)", value);
        }
        return Cidr.parse(value.textValue()).isPresent() ? null
                : Syntax.quote(value.textValue()) + " is not an IPv4 or IPv6 address range in CIDR notation, such as "
                        + "10.0.0.0/8 or 2001:db8::/32 (literal addresses only, no host names)";
    }
}
