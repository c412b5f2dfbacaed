package dev.darklaunch.sdk.internal.evaluation;

import com.google.re2j.Pattern;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.internal.model.Cidr;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.Semver;
import dev.darklaunch.sdk.internal.model.Timestamps;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A compiled clause. Values were parsed, case-folded and indexed when the snapshot was compiled;
 * matching reads the context and compares, without parsing or allocating (regular expressions and
 * dates in text aside).
 *
 * <p>Semantics: a clause on a list attribute matches when any element matches; {@code negate}
 * inverts the result, so a negated clause matches contexts that lack the attribute; a clause whose
 * operator or values this SDK does not understand never matches.
 *
 * <p>Each operator family is its own final class with the comparison written out, rather than one
 * class calling a function object: a rule mixes operators, and a call through a shared interface
 * would then be megamorphic — several nanoseconds per clause on the hottest path.
 */
abstract class ClauseMatcher {

    abstract boolean matches(Context context);

    /** {@link #matches}, recording into {@code trace} (when not null) what it looked at beyond the attribute's value. */
    boolean matches(Context context, Explanation trace) {
        return matches(context);
    }

    /** The patterns case-folded, for comparing with {@link CaseFold} (once, at compile time). */
    static String[] folded(String[] patterns) {
        String[] folded = new String[patterns.length];
        for (int i = 0; i < patterns.length; i++) {
            folded[i] = CaseFold.foldAll(patterns[i]);
        }
        return folded;
    }

    static boolean allMatch(ClauseMatcher[] clauses, Context context) {
        return allMatch(clauses, context, null, null);
    }

    /**
     * Whether every clause matches, stopping at the first that does not; with a {@code trace}, each
     * clause tested is recorded, described by {@code described} (the rule's clauses as configured).
     */
    static boolean allMatch(ClauseMatcher[] clauses, Context context, Explanation trace, List<Clause> described) {
        for (int i = 0; i < clauses.length; i++) {
            boolean matched;
            if (trace == null) {
                matched = clauses[i].matches(context);
            } else {
                Clause clause = described != null && i < described.size() ? described.get(i) : null;
                trace.clauseStarted();
                matched = clauses[i].matches(context, trace);
                trace.clause(i, clause, clause == null || clause.attribute() == null ? null : context.get(clause.attribute()), matched,
                        clauses[i] instanceof Never);
            }
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    /** An operator applied to one attribute's value(s); subclasses test one value. */
    abstract static class OnAttribute extends ClauseMatcher {
        private final String attribute;
        private final boolean negate;

        OnAttribute(String attribute, boolean negate) {
            this.attribute = attribute.intern(); // contexts intern their names: lookups compare identity
            this.negate = negate;
        }

        @Override
        final boolean matches(Context context) {
            Object value = context.get(attribute);
            boolean result = false;
            // single values first, by classes (cheap checks); List is an interface, asked only for lists
            if (value instanceof String || value instanceof Boolean || value instanceof Number) {
                result = test(value);
            } else if (value instanceof List<?> list) {
                for (int i = 0; i < list.size() && !result; i++) {
                    result = test(list.get(i));
                }
            }
            return result != negate;
        }

        /** Tests one value (never null, never a list). */
        abstract boolean test(Object value);
    }

    /** {@code in} with exactly one text value: one comparison, no hashing ("plan equals pro"). */
    static final class EqualsText extends OnAttribute {
        private final String expected;
        private final boolean ignoreCase;

        EqualsText(String attribute, boolean negate, String expected, boolean ignoreCase) {
            super(attribute, negate);
            this.expected = ignoreCase ? CaseFold.foldAll(expected) : expected;
            this.ignoreCase = ignoreCase;
        }

        @Override
        boolean test(Object value) {
            return value instanceof String s && (ignoreCase ? CaseFold.equalsFolded(s, expected) : s.equals(expected));
        }
    }

    /** {@code in}: text through a set (case-insensitive: a table of folded texts), numbers, booleans. */
    static final class In extends OnAttribute {
        private final Set<String> texts;
        private final FoldedTexts foldedTexts;
        private final double[] numbers;
        private final boolean matchTrue;
        private final boolean matchFalse;

        In(String attribute, boolean negate, Set<String> texts, boolean ignoreCase, double[] numbers, boolean matchTrue,
           boolean matchFalse) {
            super(attribute, negate);
            this.texts = ignoreCase ? null : texts;
            this.foldedTexts = ignoreCase ? new FoldedTexts(texts) : null;
            this.numbers = numbers;
            this.matchTrue = matchTrue;
            this.matchFalse = matchFalse;
        }

        @Override
        boolean test(Object value) {
            if (value instanceof String s) {
                return texts != null ? texts.contains(s) : foldedTexts.contains(s);
            }
            if (value instanceof Boolean b) {
                return b ? matchTrue : matchFalse;
            }
            if (value instanceof Number n) {
                double d = n.doubleValue();
                for (double candidate : numbers) {
                    if (candidate == d) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** startsWith: text beginning with any of the patterns. */
    static final class StartsWith extends OnAttribute {
        private final String[] patterns;
        private final boolean ignoreCase;

        StartsWith(String attribute, boolean negate, String[] patterns, boolean ignoreCase) {
            super(attribute, negate);
            this.patterns = ignoreCase ? folded(patterns) : patterns;
            this.ignoreCase = ignoreCase;
        }

        @Override
        boolean test(Object value) {
            if (value instanceof String s) {
                for (String p : patterns) {
                    if (ignoreCase ? CaseFold.startsWithFolded(s, p) : s.startsWith(p)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** endsWith: text ending with any of the patterns. */
    static final class EndsWith extends OnAttribute {
        private final String[] patterns;
        private final boolean ignoreCase;

        EndsWith(String attribute, boolean negate, String[] patterns, boolean ignoreCase) {
            super(attribute, negate);
            this.patterns = ignoreCase ? folded(patterns) : patterns;
            this.ignoreCase = ignoreCase;
        }

        @Override
        boolean test(Object value) {
            if (value instanceof String s) {
                for (String p : patterns) {
                    if (ignoreCase ? CaseFold.endsWithFolded(s, p) : s.endsWith(p)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** contains: text containing any of the patterns. */
    static final class Contains extends OnAttribute {
        private final String[] patterns;
        private final boolean ignoreCase;

        Contains(String attribute, boolean negate, String[] patterns, boolean ignoreCase) {
            super(attribute, negate);
            this.patterns = ignoreCase ? folded(patterns) : patterns;
            this.ignoreCase = ignoreCase;
        }

        @Override
        boolean test(Object value) {
            if (value instanceof String s) {
                for (String p : patterns) {
                    if (ignoreCase ? CaseFold.containsFolded(s, p) : s.contains(p)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** matches: linear-time regular expressions (RE2/J), found anywhere in the text. */
    static final class Matches extends OnAttribute {
        private final Pattern[] patterns;

        Matches(String attribute, boolean negate, Pattern[] patterns) {
            super(attribute, negate);
            this.patterns = patterns;
        }

        @Override
        boolean test(Object value) {
            if (value instanceof String s) {
                for (Pattern pattern : patterns) {
                    if (pattern.matcher(s).find()) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** How an ordered comparison's result (negative, zero, positive) is accepted. */
    enum Order {
        EQ, LT, LTE, GT, GTE;

        boolean accepts(int c) {
            return switch (this) {
                case EQ -> c == 0;
                case LT -> c < 0;
                case LTE -> c <= 0;
                case GT -> c > 0;
                case GTE -> c >= 0;
            };
        }
    }

    /** Number comparisons, with numbers or numeric text; any value satisfying the order wins. */
    static final class Numbers extends OnAttribute {
        private final Order order;
        private final double[] numbers;

        Numbers(String attribute, boolean negate, Order order, double[] numbers) {
            super(attribute, negate);
            this.order = order;
            this.numbers = numbers;
        }

        @Override
        boolean test(Object value) {
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
                if (order.accepts(d < candidate ? -1 : d > candidate ? 1 : 0)) {
                    return true;
                }
            }
            return false;
        }

        /** Numbers arriving as text (as from other flag systems' contexts); NaN when not a number. */
        static double parseNumber(String s) {
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
    }

    /** Semantic-version comparisons, parsing the attribute in place (no allocation). */
    static final class Versions extends OnAttribute {
        private final Order order;
        private final Semver[] versions;

        Versions(String attribute, boolean negate, Order order, Semver[] versions) {
            super(attribute, negate);
            this.order = order;
            this.versions = versions;
        }

        @Override
        boolean test(Object value) {
            if (value instanceof String s) {
                for (Semver version : versions) {
                    int c = version.compareText(s);
                    if (c != Semver.NOT_A_VERSION && order.accepts(c)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** before / after: epoch milliseconds or ISO-8601 text, in clause values and attributes alike. */
    static final class Dates extends OnAttribute {
        private final Order order;
        private final long[] instants;

        Dates(String attribute, boolean negate, Order order, long[] instants) {
            super(attribute, negate);
            this.order = order;
            this.instants = instants;
        }

        @Override
        boolean test(Object value) {
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
                if (order.accepts(Long.compare(millis, instant))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** inCidr: a literal IPv4 or IPv6 address inside any of the ranges. */
    static final class InCidr extends OnAttribute {
        private final Cidr[] ranges;

        InCidr(String attribute, boolean negate, Cidr[] ranges) {
            super(attribute, negate);
            this.ranges = ranges;
        }

        @Override
        boolean test(Object value) {
            if (value instanceof String s) {
                for (Cidr range : ranges) {
                    if (range.contains(s)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** {@code exists}: the context has the attribute. */
    static final class Exists extends ClauseMatcher {
        private final String attribute;
        private final boolean negate;

        Exists(String attribute, boolean negate) {
            this.attribute = attribute.intern();
            this.negate = negate;
        }

        @Override
        boolean matches(Context context) {
            return (context.get(attribute) != null) != negate;
        }
    }

    /** {@code segmentMatch}: the context belongs to any of the segments. */
    static final class InSegment extends ClauseMatcher {
        private final CompiledSegment[] segments;
        private final boolean negate;

        InSegment(CompiledSegment[] segments, boolean negate) {
            this.segments = segments;
            this.negate = negate;
        }

        @Override
        boolean matches(Context context) {
            return matches(context, null);
        }

        @Override
        boolean matches(Context context, Explanation trace) {
            boolean result = false;
            for (int i = 0; i < segments.length && !result; i++) {
                result = segments[i].contains(context, trace);
            }
            return result != negate;
        }
    }

    /** A clause this SDK cannot evaluate (an operator from a newer server, unusable values). */
    static final class Never extends ClauseMatcher {
        static final Never INSTANCE = new Never();

        @Override
        boolean matches(Context context) {
            return false;
        }
    }
}
