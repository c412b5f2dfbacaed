package dev.darklaunch.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.darklaunch.sdk.internal.model.Cidr;
import dev.darklaunch.sdk.internal.model.EvaluationCost;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Semver;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Unleash constraints as clauses. Unleash evaluates a constraint as "operator applied to the
 * context field, then inverted when {@code inverted}", which is exactly a clause with
 * {@code negate}: a missing field fails the operator, so an inverted constraint on it matches.
 * {@code NOT_IN} is {@code in} negated. A constraint whose operator Unleash SDKs cannot evaluate
 * (an unknown operator, an unusable value, an empty list) has a constant result, which the caller
 * applies to the whole rule instead of writing a clause.
 */
final class UnleashConstraints {

    /** A translated constraint: a clause, or a constant (null clause) with its value. */
    record Term(Clause clause, boolean constant) {
        static final Term ALWAYS = new Term(null, true);
        static final Term NEVER = new Term(null, false);

        static Term failing(boolean inverted) {
            return inverted ? ALWAYS : NEVER;
        }

        boolean isConstant() {
            return clause == null;
        }
    }

    private UnleashConstraints() {
    }

    static Term translate(JsonNode constraint, String path, Consumer<String> warn) {
        String contextName = UnleashInput.text(constraint, "contextName", path);
        String operator = UnleashInput.text(constraint, "operator", path);
        boolean inverted = UnleashInput.bool(constraint, "inverted", path, false);
        boolean caseInsensitive = UnleashInput.bool(constraint, "caseInsensitive", path, false);
        String attribute = UnleashNames.attribute(contextName);
        List<String> values = UnleashInput.texts(constraint, "values", path);
        String value = UnleashInput.scalar(constraint, "value", path);
        String what = "constraint " + operator + " on '" + contextName + "'";
        return switch (operator) {
            case "IN", "NOT_IN" -> {
                boolean negate = inverted != operator.equals("NOT_IN");
                // an empty list contains nothing: IN fails, NOT_IN holds
                yield values.isEmpty() ? Term.failing(negate)
                        : clause(attribute, Operator.IN, texts(values), negate, false);
            }
            case "STR_STARTS_WITH" -> strings(attribute, Operator.STARTS_WITH, values, inverted, caseInsensitive);
            case "STR_ENDS_WITH" -> strings(attribute, Operator.ENDS_WITH, values, inverted, caseInsensitive);
            case "STR_CONTAINS" -> strings(attribute, Operator.CONTAINS, values, inverted, caseInsensitive);
            case "NUM_EQ" -> number(attribute, Operator.NUMBER_EQ, value, inverted, what, warn);
            case "NUM_LT" -> number(attribute, Operator.NUMBER_LT, value, inverted, what, warn);
            case "NUM_LTE" -> number(attribute, Operator.NUMBER_LTE, value, inverted, what, warn);
            case "NUM_GT" -> number(attribute, Operator.NUMBER_GT, value, inverted, what, warn);
            case "NUM_GTE" -> number(attribute, Operator.NUMBER_GTE, value, inverted, what, warn);
            case "DATE_AFTER", "DATE_BEFORE" -> {
                if (contextName.equals("currentTime")) {
                    warn.accept(what + ": Unleash SDKs fill in the current time; Darklaunch reads the context attribute "
                            + "currentTime, which applications must set");
                }
                yield date(attribute, operator.equals("DATE_AFTER") ? Operator.AFTER : Operator.BEFORE, value, inverted, what, warn);
            }
            case "SEMVER_EQ" -> semver(attribute, Operator.SEMVER_EQ, value, inverted, what, warn);
            case "SEMVER_LT" -> semver(attribute, Operator.SEMVER_LT, value, inverted, what, warn);
            case "SEMVER_LTE" -> semver(attribute, Operator.SEMVER_LTE, value, inverted, what, warn);
            case "SEMVER_GT" -> semver(attribute, Operator.SEMVER_GT, value, inverted, what, warn);
            case "SEMVER_GTE" -> semver(attribute, Operator.SEMVER_GTE, value, inverted, what, warn);
            case "REGEX" -> regex(attribute, value, inverted, caseInsensitive, what, warn);
            case "IN_CIDR" -> cidr(attribute, values, inverted, what, warn);
            default -> {
                // Unleash SDKs evaluate an operator they do not know as false, inverted or not
                warn.accept(what + ": unknown operator; the strategy never matches, as in Unleash SDKs");
                yield Term.NEVER;
            }
        };
    }

    private static Term clause(String attribute, Operator op, List<JsonNode> values, boolean negate, boolean caseInsensitive) {
        return new Term(new Clause(attribute, op, values, negate, caseInsensitive), false);
    }

    private static List<JsonNode> texts(List<String> values) {
        return values.stream().map(v -> (JsonNode) TextNode.valueOf(v)).toList();
    }

    private static Term strings(String attribute, Operator op, List<String> values, boolean inverted, boolean caseInsensitive) {
        return values.isEmpty() ? Term.failing(inverted) : clause(attribute, op, texts(values), inverted, caseInsensitive);
    }

    private static Term number(String attribute, Operator op, String value, boolean inverted, String what, Consumer<String> warn) {
        BigDecimal number = null;
        try {
            number = value == null ? null : new BigDecimal(value.strip());
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        if (number == null || !Double.isFinite(number.doubleValue())) {
            return unusable(what, "'" + value + "' is not a number", inverted, warn);
        }
        return clause(attribute, op, List.of(numberNode(number)), inverted, false);
    }

    /** Whole numbers as integers (as people wrote them), others as doubles. */
    private static JsonNode numberNode(BigDecimal number) {
        BigDecimal whole = number.stripTrailingZeros();
        if (whole.scale() <= 0 && whole.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            return JsonNodeFactory.instance.numberNode(whole.longValueExact());
        }
        return JsonNodeFactory.instance.numberNode(number.doubleValue());
    }

    /**
     * Dates as ISO-8601 instants. Unleash writes them with an offset; a date-time without one is
     * read as UTC, as Unleash's UI means it.
     */
    private static Term date(String attribute, Operator op, String value, boolean inverted, String what, Consumer<String> warn) {
        Instant instant = value == null ? null : instant(value.strip());
        if (instant == null) {
            return unusable(what, "'" + value + "' is not a date-time", inverted, warn);
        }
        return clause(attribute, op, List.of(TextNode.valueOf(instant.toString())), inverted, false);
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADateTime) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notADate) {
                    return null;
                }
            }
        }
    }

    private static Term semver(String attribute, Operator op, String value, boolean inverted, String what, Consumer<String> warn) {
        // strict SemVer, as Unleash: "v1.2.3" is not a version
        if (value == null || Semver.parse(value).isEmpty()) {
            return unusable(what, "'" + value + "' is not a semantic version", inverted, warn);
        }
        return clause(attribute, op, List.of(TextNode.valueOf(value)), inverted, false);
    }

    private static Term regex(String attribute, String value, boolean inverted, boolean caseInsensitive, String what,
                              Consumer<String> warn) {
        if (value == null || value.length() > ModelValidator.MAX_REGEX_LENGTH) {
            return unusable(what, value == null ? "no expression" : "the expression is longer than "
                    + ModelValidator.MAX_REGEX_LENGTH + " characters", inverted, warn);
        }
        if (!EvaluationCost.patternFits(value, caseInsensitive)) {
            // never compiled here: the model validator refuses it with the limit, naming the feature
            return clause(attribute, Operator.MATCHES, List.of(TextNode.valueOf(value)), inverted, caseInsensitive);
        }
        try {
            Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            // Unleash's engine is RE2-like too: lookaround and back-references are invalid there as well
            return unusable(what, "'" + value + "' is not a valid regular expression (" + e.getDescription() + ")", inverted, warn);
        }
        return clause(attribute, Operator.MATCHES, List.of(TextNode.valueOf(value)), inverted, caseInsensitive);
    }

    private static Term cidr(String attribute, List<String> values, boolean inverted, String what, Consumer<String> warn) {
        List<String> ranges = values.stream().map(String::strip).filter(v -> Cidr.parse(v).isPresent()).toList();
        if (ranges.size() < values.size()) {
            warn.accept(what + ": ignored values that are not addresses or CIDR ranges, as Unleash SDKs do");
        }
        return ranges.isEmpty() ? Term.failing(inverted) : clause(attribute, Operator.IN_CIDR, texts(ranges), inverted, false);
    }

    /** Unleash SDKs evaluate a constraint with an unusable value as false, before inverting. */
    private static Term unusable(String what, String problem, boolean inverted, Consumer<String> warn) {
        warn.accept(what + ": " + problem + "; it is always " + inverted + ", as in Unleash SDKs");
        return Term.failing(inverted);
    }
}
