package dev.darklaunch.sdk.internal.evaluation;

import dev.darklaunch.sdk.Context;

import java.util.List;

/**
 * A compiled clause. Values were parsed, lower-cased and indexed when the snapshot was compiled;
 * matching reads the context and compares, without parsing or allocating (regular expressions and
 * dates in text aside).
 *
 * <p>Semantics: a clause on a list attribute matches when any element matches; {@code negate}
 * inverts the result, so a negated clause matches contexts that lack the attribute; a clause whose
 * operator or values this SDK does not understand never matches.
 */
abstract class ClauseMatcher {

    abstract boolean matches(Context context);

    /** Tests one attribute value (never null, never a list). */
    interface ValueTest {
        boolean test(Object value);
    }

    /** The common case: an operator applied to one attribute. */
    static final class OnAttribute extends ClauseMatcher {
        private final String attribute;
        private final ValueTest test;
        private final boolean negate;

        OnAttribute(String attribute, ValueTest test, boolean negate) {
            this.attribute = attribute;
            this.test = test;
            this.negate = negate;
        }

        @Override
        boolean matches(Context context) {
            Object value = context.get(attribute);
            boolean result;
            if (value == null) {
                result = false;
            } else if (value instanceof List<?> list) {
                result = false;
                for (int i = 0; i < list.size() && !result; i++) {
                    result = test.test(list.get(i));
                }
            } else {
                result = test.test(value);
            }
            return result != negate;
        }
    }

    /** {@code exists}: the context has the attribute. */
    static final class Exists extends ClauseMatcher {
        private final String attribute;
        private final boolean negate;

        Exists(String attribute, boolean negate) {
            this.attribute = attribute;
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
            boolean result = false;
            for (int i = 0; i < segments.length && !result; i++) {
                result = segments[i].contains(context);
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

    static boolean allMatch(ClauseMatcher[] clauses, Context context) {
        for (ClauseMatcher clause : clauses) {
            if (!clause.matches(context)) {
                return false;
            }
        }
        return true;
    }
}
