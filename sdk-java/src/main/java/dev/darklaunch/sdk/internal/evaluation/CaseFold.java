package dev.darklaunch.sdk.internal.evaluation;

/**
 * Case-insensitive comparison by Unicode simple case folding — the rule RE2 applies to
 * {@code (?i)}, so {@code in}, {@code startsWith}, {@code endsWith}, {@code contains} and
 * {@code matches} all agree on what "ignoring case" means. Under it the Turkish dotted capital
 * {@code İ} (U+0130) and dotless small {@code ı} (U+0131) equal only themselves; Java's
 * {@code equalsIgnoreCase} instead treats them as {@code i}/{@code I}.
 *
 * <p>Written here because the JDK has no case folding and the SDK takes no dependency for it: the
 * fold of a code point is its lower case of its upper case (one representative per case orbit,
 * from the JDK's Unicode data, which is also what RE2/J consults), except for the two Turkish
 * letters, whose JDK mappings join the ASCII {@code i}'s orbit. A test compares this with RE2/J's
 * case folding over every code point. Nothing here allocates.
 */
final class CaseFold {

    private CaseFold() {
    }

    /** The representative of the code point's case orbit: two code points are equal ignoring case iff their folds are. */
    static int fold(int codePoint) {
        if (codePoint < 0x80) {
            return codePoint >= 'A' && codePoint <= 'Z' ? codePoint + ('a' - 'A') : codePoint;
        }
        if (codePoint == 0x130 || codePoint == 0x131) {
            return codePoint; // İ and ı have no simple case folding
        }
        return Character.toLowerCase(Character.toUpperCase(codePoint));
    }

    /** {@code text} with every code point folded (done once per clause value, at compile time). */
    static String foldAll(String text) {
        StringBuilder folded = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> folded.appendCodePoint(fold(cp)));
        return folded.toString();
    }

    /** Whether {@code text}, folded, equals {@code folded} (already folded). */
    static boolean equalsFolded(String text, String folded) {
        return matchAt(text, 0, folded) == text.length();
    }

    /** Whether {@code text} starts with {@code folded} ignoring case. */
    static boolean startsWithFolded(String text, String folded) {
        return matchAt(text, 0, folded) >= 0;
    }

    /** Whether {@code text} contains {@code folded} ignoring case. */
    static boolean containsFolded(String text, String folded) {
        for (int i = 0; i <= text.length(); i += i < text.length() ? Character.charCount(text.codePointAt(i)) : 1) {
            if (matchAt(text, i, folded) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code text} ends with {@code folded} ignoring case (compared backwards, code point by code point). */
    static boolean endsWithFolded(String text, String folded) {
        int t = text.length();
        int f = folded.length();
        while (f > 0) {
            if (t == 0) {
                return false;
            }
            int expected = folded.codePointBefore(f);
            int actual = text.codePointBefore(t);
            if (fold(actual) != expected) {
                return false;
            }
            f -= Character.charCount(expected);
            t -= Character.charCount(actual);
        }
        return true;
    }

    /** A hash of the folded text, equal for texts equal ignoring case ({@link String#hashCode} of a folded text). */
    static int foldedHash(String text) {
        int h = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int folded = fold(cp);
            if (Character.isBmpCodePoint(folded)) {
                h = 31 * h + folded;
            } else {
                h = 31 * (31 * h + Character.highSurrogate(folded)) + Character.lowSurrogate(folded);
            }
            i += Character.charCount(cp);
        }
        return h;
    }

    /**
     * Matches {@code folded} against {@code text} from index {@code from}: the index in
     * {@code text} just after the match, or -1 when it does not match there.
     */
    private static int matchAt(String text, int from, String folded) {
        int t = from;
        int f = 0;
        while (f < folded.length()) {
            if (t >= text.length()) {
                return -1;
            }
            int expected = folded.codePointAt(f);
            int actual = text.codePointAt(t);
            if (fold(actual) != expected) {
                return -1;
            }
            f += Character.charCount(expected);
            t += Character.charCount(actual);
        }
        return t;
    }
}
