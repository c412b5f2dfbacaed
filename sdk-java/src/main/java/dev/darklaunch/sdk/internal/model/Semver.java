package dev.darklaunch.sdk.internal.model;

import java.util.Optional;

/**
 * A semantic version (<a href="https://semver.org/spec/v2.0.0.html">SemVer 2.0.0</a>), ordered by
 * SemVer precedence. Build metadata is accepted by {@link #parse} but not kept: it does not take
 * part in precedence, so {@code 1.0.0+a} and {@code 1.0.0+b} are equal.
 *
 * <p>Parsing is strict: exactly {@code MAJOR.MINOR.PATCH}, no leading {@code v}, no leading zeros
 * in numeric identifiers, no empty identifiers, no surrounding whitespace. Major, minor and patch
 * must fit in a {@code long}; pre-release numbers may have any length. Parsing and comparing
 * allocate nothing beyond the result (and the pre-release string when there is one).
 *
 * @param major the major version, {@code >= 0}
 * @param minor the minor version, {@code >= 0}
 * @param patch the patch version, {@code >= 0}
 * @param preRelease the pre-release identifiers without the leading {@code -}, e.g.
 *     {@code "rc.1"}, or the empty string for a release
 */
public record Semver(long major, long minor, long patch, String preRelease) implements Comparable<Semver> {

    /** @throws IllegalArgumentException if a number is negative or the pre-release is malformed */
    public Semver {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers must not be negative");
        }
        if (preRelease == null || (!preRelease.isEmpty() && identifiersEnd(preRelease, 0, true) != preRelease.length())) {
            throw new IllegalArgumentException("not a SemVer pre-release: " + preRelease);
        }
    }

    /** The version {@code text} denotes, or empty if it is not a strict SemVer 2.0.0 version. */
    public static Optional<Semver> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int n = text.length();
        int majorEnd = numberEnd(text, 0);
        int minorEnd = followedByDot(text, majorEnd) ? numberEnd(text, majorEnd + 1) : -1;
        int patchEnd = followedByDot(text, minorEnd) ? numberEnd(text, minorEnd + 1) : -1;
        if (patchEnd < 0) {
            return Optional.empty();
        }
        long major = toLong(text, 0, majorEnd);
        long minor = toLong(text, majorEnd + 1, minorEnd);
        long patch = toLong(text, minorEnd + 1, patchEnd);
        if (major < 0 || minor < 0 || patch < 0) {
            return Optional.empty();
        }
        int i = patchEnd;
        String preRelease = "";
        if (i < n && text.charAt(i) == '-') {
            int end = identifiersEnd(text, i + 1, true);
            if (end < 0) {
                return Optional.empty();
            }
            preRelease = text.substring(i + 1, end);
            i = end;
        }
        if (i < n && text.charAt(i) == '+') {
            i = identifiersEnd(text, i + 1, false);
        }
        return i == n ? Optional.of(new Semver(major, minor, patch, preRelease)) : Optional.empty();
    }

    /** Compares by SemVer precedence: numbers, then a release above any of its pre-releases. */
    @Override
    public int compareTo(Semver other) {
        int c = Long.compare(major, other.major);
        if (c == 0) {
            c = Long.compare(minor, other.minor);
        }
        if (c == 0) {
            c = Long.compare(patch, other.patch);
        }
        return c != 0 ? c : comparePreRelease(preRelease, 0, preRelease.length(), other.preRelease, 0, other.preRelease.length());
    }

    /**
     * Compares the version written in {@code text} with this one, by SemVer precedence, without
     * allocating: the evaluator calls it for every semver clause on a hot path.
     *
     * @return negative, zero or positive as {@code text} is lower than, equal to or higher than
     *     this version; {@link #NOT_A_VERSION} if {@code text} is not a strict SemVer version
     */
    public int compareText(String text) {
        int n = text.length();
        int majorEnd = numberEnd(text, 0);
        int minorEnd = followedByDot(text, majorEnd) ? numberEnd(text, majorEnd + 1) : -1;
        int patchEnd = followedByDot(text, minorEnd) ? numberEnd(text, minorEnd + 1) : -1;
        if (patchEnd < 0) {
            return NOT_A_VERSION;
        }
        long textMajor = toLong(text, 0, majorEnd);
        long textMinor = toLong(text, majorEnd + 1, minorEnd);
        long textPatch = toLong(text, minorEnd + 1, patchEnd);
        if (textMajor < 0 || textMinor < 0 || textPatch < 0) {
            return NOT_A_VERSION;
        }
        int preFrom = patchEnd;
        int preTo = patchEnd;
        int i = patchEnd;
        if (i < n && text.charAt(i) == '-') {
            preFrom = i + 1;
            preTo = identifiersEnd(text, preFrom, true);
            if (preTo < 0) {
                return NOT_A_VERSION;
            }
            i = preTo;
        }
        if (i < n && text.charAt(i) == '+') {
            i = identifiersEnd(text, i + 1, false);
        }
        if (i != n) {
            return NOT_A_VERSION;
        }
        int c = Long.compare(textMajor, major);
        if (c == 0) {
            c = Long.compare(textMinor, minor);
        }
        if (c == 0) {
            c = Long.compare(textPatch, patch);
        }
        return c != 0 ? Integer.signum(c) : Integer.signum(comparePreRelease(text, preFrom, preTo, preRelease, 0, preRelease.length()));
    }

    /** What {@link #compareText} returns for text that is not a version. */
    public static final int NOT_A_VERSION = Integer.MIN_VALUE;

    /** The version in SemVer form, e.g. {@code 1.0.0-rc.1}. */
    @Override
    public String toString() {
        String core = major + "." + minor + "." + patch;
        return preRelease.isEmpty() ? core : core + "-" + preRelease;
    }

    private static boolean followedByDot(String s, int end) {
        return end >= 0 && end < s.length() && s.charAt(end) == '.';
    }

    /** End of a numeric identifier without leading zeros starting at {@code from}, or -1. */
    private static int numberEnd(String s, int from) {
        int i = from;
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        if (i == from || (i - from > 1 && s.charAt(from) == '0')) {
            return -1;
        }
        return i;
    }

    /** The decimal value of {@code s[from, to)}, or -1 if it exceeds {@code Long.MAX_VALUE}. */
    private static long toLong(String s, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = s.charAt(i) - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * End of dot-separated, non-empty identifiers of {@code [0-9A-Za-z-]} starting at {@code from},
     * or -1 if there is none or one is empty. Pre-release numeric identifiers may not have leading
     * zeros; build identifiers may.
     */
    private static int identifiersEnd(String s, int from, boolean preRelease) {
        int i = from;
        while (true) {
            int start = i;
            boolean numeric = true;
            while (i < s.length() && isIdentifierChar(s.charAt(i))) {
                numeric &= isDigit(s.charAt(i));
                i++;
            }
            if (i == start || (preRelease && numeric && i - start > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            if (i == s.length() || s.charAt(i) != '.') {
                return i;
            }
            i++;
        }
    }

    private static int comparePreRelease(String a, int aFrom, int aTo, String b, int bFrom, int bTo) {
        if (aFrom == aTo || bFrom == bTo) {
            return Boolean.compare(aFrom == aTo, bFrom == bTo);
        }
        int ai = aFrom;
        int bi = bFrom;
        while (true) {
            int aEnd = identifierEnd(a, ai, aTo);
            int bEnd = identifierEnd(b, bi, bTo);
            int c = compareIdentifiers(a, ai, aEnd, b, bi, bEnd);
            if (c != 0) {
                return c;
            }
            boolean aDone = aEnd == aTo;
            boolean bDone = bEnd == bTo;
            if (aDone || bDone) {
                // A larger set of pre-release fields has a higher precedence.
                return Boolean.compare(bDone, aDone);
            }
            ai = aEnd + 1;
            bi = bEnd + 1;
        }
    }

    private static int identifierEnd(String s, int from, int to) {
        int dot = s.indexOf('.', from);
        return dot < 0 || dot > to ? to : dot;
    }

    private static int compareIdentifiers(String a, int aFrom, int aTo, String b, int bFrom, int bTo) {
        boolean aNumeric = isNumeric(a, aFrom, aTo);
        boolean bNumeric = isNumeric(b, bFrom, bTo);
        if (aNumeric != bNumeric) {
            return aNumeric ? -1 : 1; // numeric identifiers have lower precedence
        }
        int aLength = aTo - aFrom;
        int bLength = bTo - bFrom;
        if (aNumeric && aLength != bLength) {
            return Integer.compare(aLength, bLength); // no leading zeros: longer is larger
        }
        for (int k = 0; k < Math.min(aLength, bLength); k++) {
            int c = Character.compare(a.charAt(aFrom + k), b.charAt(bFrom + k));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(aLength, bLength);
    }

    private static boolean isNumeric(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierChar(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    }
}
