package dev.darklaunch.sdk.internal.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.darklaunch.sdk.internal.evaluation.ClauseMatcher.Order;
import dev.darklaunch.sdk.internal.model.Cidr;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.EvaluationCost;
import dev.darklaunch.sdk.internal.model.Semver;
import dev.darklaunch.sdk.internal.model.Timestamps;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a clause into a {@link ClauseMatcher}: parses its values once (numbers, versions, dates,
 * address ranges, linear-time regular expressions), indexes them, and drops values that cannot be
 * used. What cannot be compiled never matches; the one exception is a regular expression too large
 * to compile (see {@link EvaluationCost#patternFits}), which throws rather than compiling it.
 */
final class ClauseCompiler {

    private ClauseCompiler() {
    }

    static ClauseMatcher compile(Clause clause, Map<String, CompiledSegment> segments) {
        return compile(clause, segments::get);
    }

    static ClauseMatcher compile(Clause clause, Function<String, CompiledSegment> segments) {
        if (clause.op() == null || clause.attribute() == null) {
            return ClauseMatcher.Never.INSTANCE;
        }
        String a = clause.attribute();
        boolean negate = clause.negate();
        boolean ci = clause.caseInsensitive();
        List<JsonNode> values = clause.values();
        ClauseMatcher matcher = switch (clause.op()) {
            case EXISTS -> new ClauseMatcher.Exists(a, negate);
            case SEGMENT_MATCH -> inSegments(clause, segments);
            case IN -> in(a, negate, values, ci);
            case STARTS_WITH -> texts(values) == null ? null : new ClauseMatcher.StartsWith(a, negate, texts(values), ci);
            case ENDS_WITH -> texts(values) == null ? null : new ClauseMatcher.EndsWith(a, negate, texts(values), ci);
            case CONTAINS -> texts(values) == null ? null : new ClauseMatcher.Contains(a, negate, texts(values), ci);
            case MATCHES -> matches(a, negate, values, ci);
            case NUMBER_EQ -> numbers(a, negate, Order.EQ, values);
            case NUMBER_LT -> numbers(a, negate, Order.LT, values);
            case NUMBER_LTE -> numbers(a, negate, Order.LTE, values);
            case NUMBER_GT -> numbers(a, negate, Order.GT, values);
            case NUMBER_GTE -> numbers(a, negate, Order.GTE, values);
            case SEMVER_EQ -> versions(a, negate, Order.EQ, values);
            case SEMVER_LT -> versions(a, negate, Order.LT, values);
            case SEMVER_LTE -> versions(a, negate, Order.LTE, values);
            case SEMVER_GT -> versions(a, negate, Order.GT, values);
            case SEMVER_GTE -> versions(a, negate, Order.GTE, values);
            case BEFORE -> dates(a, negate, Order.LT, values);
            case AFTER -> dates(a, negate, Order.GT, values);
            case IN_CIDR -> cidrs(a, negate, values);
            case UNKNOWN -> null;
        };
        return matcher == null ? ClauseMatcher.Never.INSTANCE : matcher;
    }

    private static ClauseMatcher in(String attribute, boolean negate, List<JsonNode> values, boolean ci) {
        Set<String> texts = new LinkedHashSet<>();
        List<Double> numbers = new ArrayList<>();
        boolean matchTrue = false;
        boolean matchFalse = false;
        for (JsonNode value : values) {
            if (value.isTextual()) {
                texts.add(value.textValue());
            } else if (value.isNumber()) {
                numbers.add(value.doubleValue());
            } else if (value.isBoolean()) {
                matchTrue |= value.booleanValue();
                matchFalse |= !value.booleanValue();
            }
        }
        if (texts.isEmpty() && numbers.isEmpty() && !matchTrue && !matchFalse) {
            return null;
        }
        if (texts.size() == 1 && numbers.isEmpty() && !matchTrue && !matchFalse) {
            return new ClauseMatcher.EqualsText(attribute, negate, texts.iterator().next(), ci);
        }
        return new ClauseMatcher.In(attribute, negate, new HashSet<>(texts), ci,
                numbers.stream().mapToDouble(Double::doubleValue).toArray(), matchTrue, matchFalse);
    }

    /** The text values, or null when there are none. */
    private static String[] texts(List<JsonNode> values) {
        String[] patterns = values.stream().filter(JsonNode::isTextual).map(JsonNode::textValue).toArray(String[]::new);
        return patterns.length == 0 ? null : patterns;
    }

    private static ClauseMatcher matches(String attribute, boolean negate, List<JsonNode> values, boolean ci) {
        List<Pattern> patterns = new ArrayList<>();
        for (JsonNode value : values) {
            if (value.isTextual()) {
                if (!EvaluationCost.patternFits(value.textValue(), ci)) {
                    // never compile it: a nested counted repetition compiles to gigabytes, and some case folds never end (the flag is malformed)
                    throw new IllegalArgumentException("a regular expression too large to compile");
                }
                try {
                    patterns.add(Pattern.compile(value.textValue(), ci ? Pattern.CASE_INSENSITIVE : 0));
                } catch (PatternSyntaxException ignored) {
                    // an expression this engine cannot compile never matches
                }
            }
        }
        return patterns.isEmpty() ? null : new ClauseMatcher.Matches(attribute, negate, patterns.toArray(Pattern[]::new));
    }

    private static ClauseMatcher numbers(String attribute, boolean negate, Order order, List<JsonNode> values) {
        double[] numbers = values.stream().filter(JsonNode::isNumber).mapToDouble(JsonNode::doubleValue).toArray();
        return numbers.length == 0 ? null : new ClauseMatcher.Numbers(attribute, negate, order, numbers);
    }

    private static ClauseMatcher versions(String attribute, boolean negate, Order order, List<JsonNode> values) {
        Semver[] versions = values.stream().filter(JsonNode::isTextual)
                .map(v -> Semver.parse(v.textValue())).flatMap(Optional::stream).toArray(Semver[]::new);
        return versions.length == 0 ? null : new ClauseMatcher.Versions(attribute, negate, order, versions);
    }

    private static ClauseMatcher dates(String attribute, boolean negate, Order order, List<JsonNode> values) {
        long[] instants = values.stream().map(Timestamps::epochMillis).filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong).toArray();
        return instants.length == 0 ? null : new ClauseMatcher.Dates(attribute, negate, order, instants);
    }

    private static ClauseMatcher cidrs(String attribute, boolean negate, List<JsonNode> values) {
        Cidr[] ranges = values.stream().filter(JsonNode::isTextual).map(v -> Cidr.parse(v.textValue()))
                .flatMap(Optional::stream).toArray(Cidr[]::new);
        return ranges.length == 0 ? null : new ClauseMatcher.InCidr(attribute, negate, ranges);
    }

    private static ClauseMatcher inSegments(Clause clause, Function<String, CompiledSegment> segments) {
        if (clause.values().stream().noneMatch(JsonNode::isTextual)) {
            return null; // no segment key at all: values this SDK cannot use
        }
        CompiledSegment[] found = clause.values().stream().filter(JsonNode::isTextual)
                .map(v -> segments.apply(v.textValue())).filter(Objects::nonNull).toArray(CompiledSegment[]::new);
        // a segment that does not exist contains nobody: with no segment left the clause is a plain "false"
        return new ClauseMatcher.InSegment(found, clause.negate());
    }
}
