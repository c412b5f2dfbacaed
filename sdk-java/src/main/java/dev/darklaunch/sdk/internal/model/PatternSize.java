package dev.darklaunch.sdk.internal.model;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How large a regular expression becomes once compiled: an estimate, from the pattern's text
 * alone, of the number of instructions of its RE2 program, with counted repetitions expanded
 * ({@code x{3}} is {@code xxx}, so {@code (a{1000}){1000}} is a million instructions).
 *
 * <p>RE2 matches in linear time, but its compiler expands counted repetitions: a nested one turns
 * a few characters into a program of gigabytes that takes seconds to build. RE2/J tells a
 * program's size only once it has compiled it ({@code Pattern.programSize()}) and has no
 * parse-only step, while the limit must be checked <em>before</em> anything compiles the
 * pattern — so this is a small hand-written scan over the
 * pattern syntax (literals, escapes, classes, groups, alternation, {@code * + ?}, {@code {n}},
 * {@code {n,}}, {@code {n,m}}, nested products). It errs on the high side: every item costs at
 * least one instruction, even an empty group, so the size also bounds the repetition product.
 *
 * <p>Iterative, with an explicit stack: patterns that reach the SDK unvalidated may nest deeply.
 */
final class PatternSize {

    /** Sizes saturate here: far above any limit, far below overflow. */
    static final long SATURATED = 1L << 40;
    /** What every program has besides the pattern: a fail instruction, the whole match's capture, the match. */
    private static final int PROGRAM_OVERHEAD = 4;

    private PatternSize() {
    }

    /** The estimated program size of {@code pattern}; at most {@link #SATURATED}. Never throws. */
    static long of(String pattern) {
        Deque<Group> open = new ArrayDeque<>();
        Group current = new Group(false);
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < n && pattern.charAt(i + 1) == 'Q') {
                        int end = pattern.indexOf("\\E", i + 2);
                        int stop = end < 0 ? n : end;
                        for (int k = i + 2; k < stop; k++) {
                            current.atom(1);
                        }
                        i = end < 0 ? n : end + 2;
                    } else {
                        current.atom(1);
                        i = afterEscape(pattern, i);
                    }
                }
                case '[' -> {
                    current.atom(1);
                    i = afterClass(pattern, i);
                }
                case '(' -> {
                    int bodyStart = groupBodyStart(pattern, i);
                    if (bodyStart < 0) {
                        i = afterFlags(pattern, i); // (?i): sets flags, matches nothing
                    } else {
                        open.push(current);
                        current = new Group(pattern.charAt(i + 1) != '?' || isNamed(pattern, i));
                        i = bodyStart;
                    }
                }
                case ')' -> {
                    if (open.isEmpty()) {
                        current.atom(1); // unbalanced: RE2 rejects it; count it and go on
                    } else {
                        long size = current.close();
                        current = open.pop();
                        current.atom(size);
                    }
                    i++;
                }
                case '|' -> {
                    current.alternative();
                    i++;
                }
                case '*', '+', '?' -> {
                    current.repeat(c == '+' ? 1 : 0, c == '?' ? 1 : -1);
                    i = skipLazy(pattern, i + 1);
                }
                case '{' -> {
                    int[] bounds = new int[2];
                    int end = repetition(pattern, i, bounds);
                    if (end < 0) {
                        current.atom(1); // not a repetition: a literal '{'
                        i++;
                    } else {
                        current.repeat(bounds[0], bounds[1]);
                        i = skipLazy(pattern, end);
                    }
                }
                default -> {
                    current.atom(1);
                    i += Character.isHighSurrogate(c) && i + 1 < n ? 2 : 1;
                }
            }
        }
        while (!open.isEmpty()) {
            long size = current.close();
            current = open.pop();
            current.atom(size);
        }
        return add(current.close(), PROGRAM_OVERHEAD);
    }

    /** A group being read: the size of its finished alternatives and of the current one. */
    private static final class Group {
        private final boolean capturing;
        private long alternatives;
        private int alternativeCount = 1;
        private long sequence;
        private long last = -1; // size of the last atom of the sequence (what a repetition applies to), -1 for none

        Group(boolean capturing) {
            this.capturing = capturing;
        }

        void atom(long size) {
            last = Math.max(1, size);
            sequence = add(sequence, last);
        }

        /** Applies {@code {min,max}} to the last atom; max -1 means unbounded. */
        void repeat(int min, int max) {
            if (last < 0) {
                atom(1); // a repetition with nothing before it: RE2 rejects it
            }
            long x = last;
            // each loop or optional copy costs a split, and RE2 adds one more instruction to loop over
            // something that can match empty: 2 per loop or optional copy covers both
            long repeated = max < 0
                    ? add(multiply(x, Math.max(min, 1)), 2) // x{n,}: n copies, the last one looped
                    : add(multiply(x, min), multiply(add(x, 2), max - min));
            sequence = add(sequence - x, Math.max(1, repeated));
            last = Math.max(1, repeated);
        }

        void alternative() {
            alternatives = add(alternatives, Math.max(1, sequence));
            alternativeCount++;
            sequence = 0;
            last = -1;
        }

        long close() {
            long size = add(add(alternatives, Math.max(1, sequence)), alternativeCount - 1);
            return capturing ? add(size, 2) : size;
        }
    }

    private static long add(long a, long b) {
        return Math.min(SATURATED, a + b);
    }

    private static long multiply(long a, long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return a > SATURATED / b ? SATURATED : Math.min(SATURATED, a * b);
    }

    /**
     * The code points RE2/J cannot match ignoring case: its case-orbit table predates Unicode 9,
     * which added these Cyrillic letters (U+1C80 rounded ve … U+1C88 unblended uk) to existing
     * orbits, while the JDK's case data has them — so compiling {@code (?i)ᲀ}, or a class range
     * holding one, walks the orbit forever and never returns. A test recomputes this set from
     * RE2/J over every code point, so an upgrade that changes it is noticed.
     */
    static final int FOLD_HAZARD_FIRST = 0x1C80;
    static final int FOLD_HAZARD_LAST = 0x1C88;

    /**
     * Whether compiling {@code pattern} ignoring case (by the clause's flag, or a {@code (?i)}
     * group inside it) would hang RE2/J: a literal, an escape or a class range holding one of the
     * code points above. Never throws.
     */
    static boolean hangsIgnoringCase(String pattern, boolean caseInsensitive) {
        if (!caseInsensitive && !hasCaseInsensitiveGroup(pattern)) {
            return false;
        }
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            if (c == '[') {
                int end = afterClass(pattern, i);
                if (classHolds(pattern, i + 1, end)) {
                    return true;
                }
                i = end;
            } else if (c == '\\' && i + 1 < n && pattern.charAt(i + 1) == 'Q') {
                int end = pattern.indexOf("\\E", i + 2);
                if (holdsHazard(pattern.substring(i + 2, end < 0 ? n : end))) {
                    return true;
                }
                i = end < 0 ? n : end + 2;
            } else {
                int[] value = new int[1];
                int next = item(pattern, i, value);
                if (isHazard(value[0])) {
                    return true;
                }
                i = next;
            }
        }
        return false;
    }

    private static boolean hasCaseInsensitiveGroup(String pattern) {
        for (int k = pattern.indexOf("(?"); k >= 0; k = pattern.indexOf("(?", k + 2)) {
            for (int j = k + 2; j < pattern.length() && Character.isLetter(pattern.charAt(j)); j++) {
                if (pattern.charAt(j) == 'i') {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the class body between {@code from} and {@code end} holds a hazard, singly or in a range. */
    private static boolean classHolds(String p, int from, int end) {
        int i = from;
        int stop = Math.max(from, end - 1); // before the closing ']'
        int[] low = new int[1];
        int[] high = new int[1];
        while (i < stop) {
            if (p.startsWith("[:", i)) {
                int close = p.indexOf(":]", i + 2);
                i = close < 0 ? stop : close + 2;
                continue;
            }
            i = item(p, i, low);
            if (i + 1 < stop && p.charAt(i) == '-') {
                i = item(p, i + 1, high);
                if (low[0] >= 0 && high[0] >= 0 && low[0] <= FOLD_HAZARD_LAST && high[0] >= FOLD_HAZARD_FIRST) {
                    return true;
                }
            } else if (isHazard(low[0])) {
                return true;
            }
        }
        return false;
    }

    /** Reads one code point or escape at {@code i} into {@code value} (-1 for an escape that is not one code point). */
    private static int item(String p, int i, int[] value) {
        char c = p.charAt(i);
        if (c != '\\') {
            value[0] = p.codePointAt(i);
            return i + Character.charCount(value[0]);
        }
        int end = afterEscape(p, i);
        value[0] = -1;
        if (i + 1 < p.length() && p.charAt(i + 1) == 'x') {
            String hex = p.substring(Math.min(p.length(), i + 2), end).replace("{", "").replace("}", "");
            try {
                value[0] = hex.isEmpty() || hex.length() > 8 ? -1 : Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                value[0] = -1;
            }
        } else if (end == i + 2) {
            value[0] = p.charAt(i + 1); // an escaped punctuation character stands for itself
        }
        return end;
    }

    private static boolean holdsHazard(String text) {
        return text.codePoints().anyMatch(PatternSize::isHazard);
    }

    private static boolean isHazard(int codePoint) {
        return codePoint >= FOLD_HAZARD_FIRST && codePoint <= FOLD_HAZARD_LAST;
    }

    /** Index after an escape starting at {@code i} ({@code \p{Greek}}, {@code \x{10FFFF}}, {@code \d}, …). */
    private static int afterEscape(String p, int i) {
        if (i + 1 >= p.length()) {
            return p.length();
        }
        char e = p.charAt(i + 1);
        if ((e == 'p' || e == 'P' || e == 'x') && i + 2 < p.length() && p.charAt(i + 2) == '{') {
            int close = p.indexOf('}', i + 3);
            return close < 0 ? p.length() : close + 1;
        }
        if (e == 'p' || e == 'P') {
            return Math.min(p.length(), i + 3);
        }
        if (e == 'x') {
            return Math.min(p.length(), i + 4);
        }
        if (e >= '0' && e <= '7') {
            int k = i + 2;
            while (k < p.length() && k < i + 4 && p.charAt(k) >= '0' && p.charAt(k) <= '7') {
                k++;
            }
            return k;
        }
        return i + 2 + (Character.isHighSurrogate(e) && i + 2 < p.length() ? 1 : 0);
    }

    /** Index after a character class starting at {@code i}; a class is one instruction however many ranges it has. */
    private static int afterClass(String p, int i) {
        int k = i + 1;
        if (k < p.length() && p.charAt(k) == '^') {
            k++;
        }
        if (k < p.length() && p.charAt(k) == ']') {
            k++; // a leading ']' is literal
        }
        while (k < p.length()) {
            char c = p.charAt(k);
            if (c == '\\') {
                k = afterEscape(p, k);
            } else if (c == '[' && k + 1 < p.length() && p.charAt(k + 1) == ':') {
                int close = p.indexOf(":]", k + 2);
                k = close < 0 ? k + 1 : close + 2;
            } else if (c == ']') {
                return k + 1;
            } else {
                k++;
            }
        }
        return k;
    }

    /**
     * Where the body of the group opening at {@code i} starts, or -1 when it is a flag setting
     * such as {@code (?i)} that opens no group.
     */
    private static int groupBodyStart(String p, int i) {
        if (i + 1 >= p.length() || p.charAt(i + 1) != '?') {
            return i + 1;
        }
        if (isNamed(p, i)) {
            int close = p.indexOf('>', i);
            return close < 0 ? p.length() : close + 1;
        }
        int k = i + 2;
        while (k < p.length() && (Character.isLetter(p.charAt(k)) || p.charAt(k) == '-')) {
            k++;
        }
        if (k < p.length() && p.charAt(k) == ':') {
            return k + 1;
        }
        return -1;
    }

    private static int afterFlags(String p, int i) {
        int close = p.indexOf(')', i);
        return close < 0 ? p.length() : close + 1;
    }

    private static boolean isNamed(String p, int i) {
        return p.startsWith("(?P<", i) || (p.startsWith("(?<", i) && !p.startsWith("(?<=", i) && !p.startsWith("(?<!", i));
    }

    private static int skipLazy(String p, int i) {
        return i < p.length() && p.charAt(i) == '?' ? i + 1 : i;
    }

    /**
     * Reads {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code i} into {@code bounds} (max -1
     * when unbounded); returns the index after it, or -1 when the brace is a literal.
     */
    private static int repetition(String p, int i, int[] bounds) {
        int k = i + 1;
        int min = 0;
        int digits = 0;
        while (k < p.length() && p.charAt(k) >= '0' && p.charAt(k) <= '9') {
            min = (int) Math.min(100_000, min * 10L + (p.charAt(k) - '0'));
            k++;
            digits++;
        }
        if (digits == 0 || k >= p.length()) {
            return -1;
        }
        int max = min;
        if (p.charAt(k) == ',') {
            k++;
            int maxDigits = 0;
            max = 0;
            while (k < p.length() && p.charAt(k) >= '0' && p.charAt(k) <= '9') {
                max = (int) Math.min(100_000, max * 10L + (p.charAt(k) - '0'));
                k++;
                maxDigits++;
            }
            if (maxDigits == 0) {
                max = -1;
            }
        }
        if (k >= p.length() || p.charAt(k) != '}') {
            return -1;
        }
        bounds[0] = min;
        bounds[1] = max < 0 ? -1 : Math.max(min, max);
        return k + 1;
    }
}
