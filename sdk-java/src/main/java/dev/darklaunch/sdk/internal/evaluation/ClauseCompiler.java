package dev.darklaunch.sdk.internal.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.darklaunch.sdk.internal.model.Cidr;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.Semver;
import dev.darklaunch.sdk.internal.model.Timestamps;
import dev.darklaunch.sdk.internal.evaluation.ClauseMatcher.ValueTest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * Turns a clause into a {@link ClauseMatcher}: parses its values once (numbers, versions, dates,
 * address ranges, linear-time regular expressions), lower-cases or indexes them, and drops values
 * that cannot be used. Never throws: what cannot be compiled never matches.
 */
final class ClauseCompiler {

    private ClauseCompiler() {
    }

    static ClauseMatcher compile(Clause clause, Map<String, CompiledSegment> segments) {
        if (clause.op() == null || clause.attribute() == null) {
            return ClauseMatcher.Never.INSTANCE;
        }
        return switch (clause.op()) {
            case EXISTS -> new ClauseMatcher.Exists(clause.attribute(), clause.negate());
            case SEGMENT_MATCH -> inSegments(clause, segments);
            case UNKNOWN -> ClauseMatcher.Never.INSTANCE;
            default -> {
                ValueTest test = test(clause);
                yield test == null ? ClauseMatcher.Never.INSTANCE
                        : new ClauseMatcher.OnAttribute(clause.attribute(), test, clause.negate());
            }
        };
    }

    private static ValueTest test(Clause clause) {
        boolean ci = clause.caseInsensitive();
        List<JsonNode> values = clause.values();
        return switch (clause.op()) {
            case IN -> in(values, ci);
            case STARTS_WITH -> strings(values, ci, (s, p) -> s.regionMatches(ci, 0, p, 0, p.length()));
            case ENDS_WITH -> strings(values, ci, (s, p) -> s.length() >= p.length()
                    && s.regionMatches(ci, s.length() - p.length(), p, 0, p.length()));
            case CONTAINS -> strings(values, ci, ci ? ClauseCompiler::containsIgnoreCase : String::contains);
            case MATCHES -> matches(values, ci);
            case NUMBER_EQ -> numbers(values, c -> c == 0);
            case NUMBER_LT -> numbers(values, c -> c < 0);
            case NUMBER_LTE -> numbers(values, c -> c <= 0);
            case NUMBER_GT -> numbers(values, c -> c > 0);
            case NUMBER_GTE -> numbers(values, c -> c >= 0);
            case SEMVER_EQ -> versions(values, c -> c == 0);
            case SEMVER_LT -> versions(values, c -> c < 0);
            case SEMVER_LTE -> versions(values, c -> c <= 0);
            case SEMVER_GT -> versions(values, c -> c > 0);
            case SEMVER_GTE -> versions(values, c -> c >= 0);
            case BEFORE -> dates(values, c -> c < 0);
            case AFTER -> dates(values, c -> c > 0);
            case IN_CIDR -> cidrs(values);
            default -> null;
        };
    }

    /** Membership: text through a hash set (or a case-insensitive tree: no lower-casing per call), numbers, booleans. */
    private static ValueTest in(List<JsonNode> values, boolean ci) {
        Set<String> texts = ci ? new TreeSet<>(String.CASE_INSENSITIVE_ORDER) : new HashSet<>();
        List<Double> numbers = new ArrayList<>();
        boolean anyTrue = false;
        boolean anyFalse = false;
        for (JsonNode value : values) {
            if (value.isTextual()) {
                texts.add(value.textValue());
            } else if (value.isNumber()) {
                numbers.add(value.doubleValue());
            } else if (value.isBoolean()) {
                anyTrue |= value.booleanValue();
                anyFalse |= !value.booleanValue();
            }
        }
        if (texts.isEmpty() && numbers.isEmpty() && !anyTrue && !anyFalse) {
            return null;
        }
        double[] numberArray = numbers.stream().mapToDouble(Double::doubleValue).toArray();
        boolean matchTrue = anyTrue;
        boolean matchFalse = anyFalse;
        if (texts.size() == 1 && numberArray.length == 0 && !matchTrue && !matchFalse) {
            String only = texts.iterator().next(); // "plan equals pro": one comparison, no hashing
            return value -> value instanceof String s && (ci ? s.equalsIgnoreCase(only) : s.equals(only));
        }
        return value -> {
            if (value instanceof String s) {
                return texts.contains(s);
            }
            if (value instanceof Boolean b) {
                return b ? matchTrue : matchFalse;
            }
            if (value instanceof Number n) {
                double d = n.doubleValue();
                for (double candidate : numberArray) {
                    if (candidate == d) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    interface TextTest {
        boolean test(String value, String pattern);
    }

    private static ValueTest strings(List<JsonNode> values, boolean ci, TextTest test) {
        String[] patterns = values.stream().filter(JsonNode::isTextual).map(JsonNode::textValue).toArray(String[]::new);
        if (patterns.length == 0) {
            return null;
        }
        return value -> {
            if (value instanceof String s) {
                for (String pattern : patterns) {
                    if (test.test(s, pattern)) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    private static boolean containsIgnoreCase(String value, String pattern) {
        for (int i = 0; i + pattern.length() <= value.length(); i++) {
            if (value.regionMatches(true, i, pattern, 0, pattern.length())) {
                return true;
            }
        }
        return false;
    }

    private static ValueTest matches(List<JsonNode> values, boolean ci) {
        List<Pattern> patterns = new ArrayList<>();
        for (JsonNode value : values) {
            if (value.isTextual()) {
                try {
                    patterns.add(Pattern.compile(value.textValue(), ci ? Pattern.CASE_INSENSITIVE : 0));
                } catch (PatternSyntaxException ignored) {
                    // an expression this engine cannot compile never matches
                }
            }
        }
        if (patterns.isEmpty()) {
            return null;
        }
        Pattern[] all = patterns.toArray(Pattern[]::new);
        return value -> {
            if (value instanceof String s) {
                for (Pattern pattern : all) {
                    if (pattern.matcher(s).find()) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    /** Number comparisons: the attribute compared with each value; a match with any value wins. */
    private static ValueTest numbers(List<JsonNode> values, IntPredicate accept) {
        double[] numbers = values.stream().filter(JsonNode::isNumber).mapToDouble(JsonNode::doubleValue).toArray();
        if (numbers.length == 0) {
            return null;
        }
        return value -> {
            double d;
            if (value instanceof Number n) {
                d = n.doubleValue();
            } else if (value instanceof String s) {
                d = parseNumber(s);
                if (Double.isNaN(d)) {
                    return false;
                }
            } else {
                return false;
            }
            for (double candidate : numbers) {
                // not Double.compare: it orders -0.0 below 0.0, and "-0" must equal 0
                if (accept.test(d < candidate ? -1 : d > candidate ? 1 : 0)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** Numbers arriving as text (as from other flag systems' contexts); NaN when not a number. */
    private static double parseNumber(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return Double.NaN;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return Double.NaN;
            }
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static ValueTest versions(List<JsonNode> values, IntPredicate accept) {
        Semver[] versions = values.stream().filter(JsonNode::isTextual)
                .map(v -> Semver.parse(v.textValue())).flatMap(java.util.Optional::stream).toArray(Semver[]::new);
        if (versions.length == 0) {
            return null;
        }
        return value -> {
            if (value instanceof String s) {
                for (Semver version : versions) {
                    int c = version.compareText(s);
                    if (c != Semver.NOT_A_VERSION && accept.test(c)) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    /** Dates as epoch milliseconds (numbers) or ISO-8601 text, in clause values and attributes alike. */
    private static ValueTest dates(List<JsonNode> values, IntPredicate accept) {
        long[] instants = values.stream().map(Timestamps::epochMillis).filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong).toArray();
        if (instants.length == 0) {
            return null;
        }
        return value -> {
            long millis;
            if (value instanceof Number n) {
                millis = n.longValue();
            } else if (value instanceof String s) {
                OptionalLong parsed = Timestamps.epochMillis(s);
                if (parsed.isEmpty()) {
                    return false;
                }
                millis = parsed.getAsLong();
            } else {
                return false;
            }
            for (long instant : instants) {
                if (accept.test(Long.compare(millis, instant))) {
                    return true;
                }
            }
            return false;
        };
    }

    private static ValueTest cidrs(List<JsonNode> values) {
        Cidr[] ranges = values.stream().filter(JsonNode::isTextual).map(v -> Cidr.parse(v.textValue()))
                .flatMap(java.util.Optional::stream).toArray(Cidr[]::new);
        if (ranges.length == 0) {
            return null;
        }
        return value -> {
            if (value instanceof String s) {
                for (Cidr range : ranges) {
                    if (range.contains(s)) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    private static ClauseMatcher inSegments(Clause clause, Map<String, CompiledSegment> segments) {
        if (clause.values().stream().noneMatch(JsonNode::isTextual)) {
            return ClauseMatcher.Never.INSTANCE; // no segment key at all: values this SDK cannot use
        }
        CompiledSegment[] found = clause.values().stream().filter(JsonNode::isTextual)
                .map(v -> segments.get(v.textValue())).filter(java.util.Objects::nonNull).toArray(CompiledSegment[]::new);
        // a segment that does not exist contains nobody: with no segment left the clause is a plain "false"
        return new ClauseMatcher.InSegment(found, clause.negate());
    }
}
